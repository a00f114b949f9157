import Foundation
import Imaging
import Ingest
import Store
import TestSupport
import Testing
import Vocabulary

/// `ingest --watch`: a real process watching a folder that files arrive in, stopped by SIGTERM.
@Suite(.serialized) struct HotFolderTests {
    /// The bundled sample scans: 5 documents of 4 pages and one blank sheet among them.
    static let sample = Fixtures.repositoryRoot + "/scans"

    func sampleFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.sample).filter { $0.hasSuffix(".tif") }.sorted()
    }

    @Test func filesArrivingWhileWatchingAreReadMovedAndTheStopIsClean() async throws {
        let dir = Fixtures.temporaryDirectory()
        let incoming = dir + "/in"
        try FileManager.default.createDirectory(atPath: incoming + "/station-2", withIntermediateDirectories: true)
        let files = try sampleFiles()
        let storePath = dir + "/s.sqlite"
        let (status, output) = try await Fixtures.runPindai(
            ["ingest", "--watch", incoming, "--done", dir + "/done", "--settle", "0.5", "--store", storePath, "--workers", "1", "--batch", "hot"]
        ) { stop in
            let fm = FileManager.default
            // A station that writes under a temporary name and renames at the end…
            try fm.copyItem(atPath: Self.sample + "/" + files[0], toPath: incoming + "/" + files[0] + ".part")
            // …one that writes in place, into a sub-folder…
            try fm.copyItem(atPath: Self.sample + "/" + files[1], toPath: incoming + "/station-2/" + files[1])
            // …and a file that is not a scan at all.
            try Data("not a scan".utf8).write(to: URL(fileURLWithPath: incoming + "/notes.txt"))
            try await Task.sleep(for: .seconds(2))
            #expect(!fm.fileExists(atPath: dir + "/done/" + files[0]), "a .part file is left alone")
            try fm.moveItem(atPath: incoming + "/" + files[0] + ".part", toPath: incoming + "/" + files[0])
            for name in files[2...] { try fm.copyItem(atPath: Self.sample + "/" + name, toPath: incoming + "/" + name) }
            // Wait until every file has left the folder, then stop the watcher as a service manager would.
            let deadline = Date().addingTimeInterval(240)
            while Date() < deadline {
                let left = (fm.enumerator(atPath: incoming)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".tif") || $0.hasSuffix(".txt") }
                if left.isEmpty { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            // The backlog as other processes see it, while the watcher still runs.
            let live = try await SQLiteStore(path: storePath).status()
            #expect(live.hotFolders.map(\.folder) == [incoming] && live.hotFolders.first?.stopped == false)
            try stop(.terminate)
        }
        #expect(status == 0, "SIGTERM is a clean stop: \(output)")
        #expect(output.contains("stopped: \(files.count + 1) file(s) taken"), "\(output)")
        let fm = FileManager.default
        for name in files.dropFirst(2) { #expect(fm.fileExists(atPath: dir + "/done/" + name)) }
        #expect(fm.fileExists(atPath: dir + "/done/" + files[0]))
        #expect(fm.fileExists(atPath: dir + "/done/station-2/" + files[1]), "the path below the folder is kept")
        #expect(fm.fileExists(atPath: dir + "/done/notes.txt"), "a bad file is recorded and moved on, not retried forever")
        let store = try SQLiteStore(path: storePath)
        #expect(try await store.counts(batch: "hot").pages == 20)
        let reasons = try await store.exceptions(batch: nil).map(\.reason.rawValue).sorted()
        #expect(reasons == ["blank-page", "unsupported-format"], "\(reasons)")
        let folders = try await store.status().hotFolders
        #expect(folders.count == 1 && folders[0].stopped && folders[0].backlogFiles == 0 && folders[0].filesTaken == files.count + 1)
    }

    @Test func aStopInTheMiddleOfAFileLeavesItForTheNextRun() async throws {
        let dir = Fixtures.temporaryDirectory()
        let incoming = dir + "/in"
        try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
        let files = try sampleFiles()
        for name in files { try FileManager.default.copyItem(atPath: Self.sample + "/" + name, toPath: incoming + "/" + name) }
        let storePath = dir + "/s.sqlite"
        let arguments = ["ingest", "--watch", incoming, "--done", dir + "/done", "--settle", "0", "--store", storePath, "--workers", "1"]
        let store = try SQLiteStore(path: storePath)
        // Stopped as soon as the watcher is running and the first page is stored: the run is in
        // the middle of its first file.
        let probe = StoreProbe(path: storePath)
        let (status, output) = try await Fixtures.runPindai(arguments, send: .terminate, when: { probe.watcherRunning() && probe.pagesRead() >= 1 })
        #expect(status == 0, "\(output)")
        let stored = try await store.counts(batch: nil).pages
        #expect(stored >= 1 && stored < 20, "stopped early, after finishing the pages in hand: \(output)")
        let leftBehind = try FileManager.default.contentsOfDirectory(atPath: incoming).filter { $0.hasSuffix(".tif") }
        #expect(!leftBehind.isEmpty, "unfinished files stay in the folder")
        // The next start resumes: every page once, every file moved.
        let again = try await Fixtures.runPindai(arguments) { stop in
            let deadline = Date().addingTimeInterval(240)
            while Date() < deadline, try !FileManager.default.contentsOfDirectory(atPath: incoming).filter({ $0.hasSuffix(".tif") }).isEmpty {
                try await Task.sleep(for: .milliseconds(200))
            }
            try stop(.terminate)
        }
        #expect(again.status == 0, "\(again.output)")
        #expect(try await store.counts(batch: nil).pages == 20)
        #expect(try await store.exceptions(batch: nil).map(\.reason) == [.blankPage])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/done").filter { $0.hasSuffix(".tif") }.count == files.count)
    }
}
