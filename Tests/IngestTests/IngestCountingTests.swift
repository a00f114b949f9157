import FormRendering
import FormTemplate
import Foundation
import Geometry
import Imaging
import Raster
import Store
import TestSupport
import Testing
import Vocabulary

/// The summary counts what the store took, with real `pindai ingest` processes: a copy of a
/// file in the same run is a duplicate at once, and the printed figures equal the store's.
@Suite(.serialized) struct IngestCountingTests {
    let template = Fixtures.rskK4

    func page(_ number: Int, serial: Int) -> GreyImage {
        FormRenderer(template: template).image(page: template.page(number)!, serial: serial, resolution: Resolution(dpi: 150))
    }

    /// A 4-page G4 document, as a scanner writes it.
    func writeDocument(serial: Int, to path: String) throws {
        try ImageWriter.write((1...4).map { page($0, serial: serial) }, to: path, as: .tiffG4(threshold: 160))
    }

    /// The summary's first line and its `exception REASON: N` lines.
    func parse(_ output: String) -> (files: Int, read: Int, exceptions: Int, byReason: [String: Int])? {
        let lines = output.split(separator: "\n").map(String.init)
        guard let head = lines.first(where: { $0.hasPrefix("ingested ") }) else { return nil }
        let numbers = head.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count >= 3 else { return nil }
        var byReason: [String: Int] = [:]
        for line in lines where line.hasPrefix("  exception ") {
            let parts = line.dropFirst("  exception ".count).split(separator: ":")
            if parts.count == 2, let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) { byReason[String(parts[0])] = n }
        }
        return (numbers[0], numbers[1], numbers[2], byReason)
    }

    @Test(arguments: [1, 2, 4])
    func twoCopiesInOneRunAreOneReadFileAndOneDuplicate(workers: Int) async throws {
        let dir = Fixtures.temporaryDirectory("copies\(workers)")
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        try writeDocument(serial: 40, to: dir + "/in/a.tif")
        try FileManager.default.copyItem(atPath: dir + "/in/a.tif", toPath: dir + "/in/b.tif")
        let (status, output) = try await Fixtures.runPindai([
            "ingest", dir + "/in", "--store", dir + "/s.sqlite", "--workers", String(workers), "--batch", "copies",
        ])
        #expect(status == 0, "\(output)")
        let summary = try #require(parse(output), "\(output)")
        #expect(summary.files == 2 && summary.read == 4 && summary.exceptions == 1 && summary.byReason == ["duplicate-file": 1], "\(output)")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        #expect(try await store.fileStatuses() == [dir + "/in/a.tif": .done])
        #expect(try await store.counts(batch: "copies").pages == 4)
        let exceptions = try await store.exceptions(batch: nil)
        #expect(exceptions.map(\.reason) == [.duplicateFile])
        #expect(exceptions.first?.path == dir + "/in/b.tif")
        #expect(exceptions.first?.detail == "same content as \(dir)/in/a.tif (batch copies), read; not read again")
        // Run again: nothing new, nothing doubled.
        let again = try await Fixtures.runPindai(["ingest", dir + "/in", "--store", dir + "/s.sqlite", "--workers", String(workers)])
        #expect(again.output.contains("ingested 2 file(s): 0 page(s) read, 0 exception(s), 2 file(s) already stored and skipped"), "\(again.output)")
        #expect(try await store.exceptions(batch: nil).count == 1)
    }

    @Test func theSummaryEqualsTheStoresCountsOnAFolderOfGoodAndBadFiles() async throws {
        let dir = Fixtures.temporaryDirectory()
        let input = dir + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        try writeDocument(serial: 41, to: input + "/a.tif")
        try FileManager.default.copyItem(atPath: input + "/a.tif", toPath: input + "/b.tif")
        try writeDocument(serial: 42, to: dir + "/whole.tif")
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/whole.tif"))
        try whole.prefix(whole.count * 2 / 3).write(to: URL(fileURLWithPath: input + "/c-truncated.tif"))
        try Data((0..<5000).map { UInt8(($0 * 7919) % 256) }).write(to: URL(fileURLWithPath: input + "/d-random.png"))
        try Data().write(to: URL(fileURLWithPath: input + "/e-empty.tif"))
        try Data("not a scan\n".utf8).write(to: URL(fileURLWithPath: input + "/f-notes.txt"))
        try ImageWriter.write([GreyImage(width: 1240, height: 1754, fill: 250, dpi: 150)], to: input + "/g-blank.png", as: .png)

        let (status, output) = try await Fixtures.runPindai(["ingest", input, "--store", dir + "/s.sqlite", "--batch", "mixed"])
        #expect(status == 0, "\(output)")
        let summary = try #require(parse(output), "\(output)")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let exceptions = try await store.exceptions(batch: nil)
        var byReason: [String: Int] = [:]
        for e in exceptions { byReason[e.reason.rawValue, default: 0] += 1 }
        #expect(summary.read == (try await store.counts(batch: "mixed").pages), "\(output)")
        #expect(summary.exceptions == exceptions.count)
        #expect(summary.byReason == byReason)
        let reasons = Dictionary(exceptions.map { (($0.path as NSString).lastPathComponent, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(reasons["b.tif"] == .duplicateFile)
        #expect(reasons["c-truncated.tif"] == .truncated)
        #expect(reasons["d-random.png"] == .undecodable, "random bytes named .png are a corrupt image, not an unknown format")
        #expect(reasons["e-empty.tif"] == .undecodable)
        #expect(reasons["f-notes.txt"] == .unsupportedFormat)
        #expect(reasons["g-blank.png"] == .blankPage)
        #expect(summary.read > 4, "a.tif and the intact pages of the truncated copy")
    }

    @Test func twoIngestProcessesOnOneFolderReadEveryFileOnce() async throws {
        let dir = Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        for serial in 50..<54 { try writeDocument(serial: serial, to: dir + "/in/doc-\(serial).tif") }
        let arguments = ["ingest", dir + "/in", "--store", dir + "/s.sqlite", "--workers", "1", "--batch", "shared"]
        async let first = Fixtures.runPindai(arguments)
        async let second = Fixtures.runPindai(arguments)
        let outputs = try await [first, second]
        #expect(outputs.allSatisfy { $0.status == 0 }, "\(outputs.map(\.output))")
        let summaries = outputs.compactMap { parse($0.output) }
        #expect(summaries.count == 2)
        #expect(summaries.map(\.read).reduce(0, +) == 16, "\(outputs.map(\.output))")
        #expect(summaries.allSatisfy { $0.exceptions == 0 }, "the other process's files are left to it, not duplicates")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        #expect(try await store.counts(batch: "shared").pages == 16)
        #expect(try await store.fileStatuses().values.map(\.rawValue).sorted() == ["done", "done", "done", "done"])
        #expect(try await store.exceptions(batch: nil).isEmpty)
    }

    /// Two ingest machines started on a new store both find it unmigrated; the one that loses the
    /// race must carry on from the other's schema, not fail with "duplicate column".
    @Test func storesOpenedAtOnceOnANewFileAllMigrateIt() async throws {
        for round in 0..<4 {
            let path = Fixtures.temporaryDirectory("migrate\(round)") + "/s.sqlite"
            let opened = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do { _ = try SQLiteStore(path: path); return nil } catch { return "\(error)" }
                    }
                }
                return await group.reduce(into: [String]()) { if let e = $1 { $0.append(e) } }
            }
            #expect(opened.isEmpty, "\(opened)")
            #expect(try await SQLiteStore(path: path).counts(batch: nil).pages == 0)
        }
    }

    @Test func anImageDeclaringAHugeSizeIsRefusedBeforeDecoding() async throws {
        let dir = Fixtures.temporaryDirectory()
        // A PNG header declaring 40,000 × 60,000 pixels (2.4 gigapixels), then a little data.
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        png += Array("IHDR".utf8)
        png += [0x00, 0x00, 0x9C, 0x40, 0x00, 0x00, 0xEA, 0x60, 8, 0, 0, 0, 0, 0, 0, 0, 0]
        png += [UInt8](repeating: 0, count: 200)
        try Data(png).write(to: URL(fileURLWithPath: dir + "/bomb.png"))
        let (status, output) = try await Fixtures.runPindai(["ingest", dir + "/bomb.png", "--store", dir + "/s.sqlite"])
        #expect(status == 0, "\(output)")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let e = try #require(try await store.exceptions(batch: nil).first)
        #expect(e.reason == .oversized)
        #expect(e.detail.hasPrefix("page 1 declares 40000 × 60000 pixels (2400 megapixels), more than twice the largest form at 600 dpi (35 megapixels)"))
    }

    @Test func declaredSizesAreReadFromEveryFormatsHeaders() throws {
        let dir = Fixtures.temporaryDirectory()
        let image = GreyImage(width: 120, height: 80, fill: 200, dpi: 300)
        for (name, encoding) in [("a.png", ImageWriter.Encoding.png), ("a.jpg", .jpeg(quality: 80)), ("a.tif", .tiffG4(threshold: 128))] {
            try ImageWriter.write(name.hasSuffix(".tif") ? [image, image] : [image], to: dir + "/" + name, as: encoding)
            let sizes = ImageHeader.declaredSizes(of: try Data(contentsOf: URL(fileURLWithPath: dir + "/" + name)))
            #expect(sizes.first?.width == 120 && sizes.first?.height == 80, "\(name)")
        }
        let tiff = ImageHeader.declaredSizes(of: try Data(contentsOf: URL(fileURLWithPath: dir + "/a.tif")))
        #expect(tiff.count == 2)
    }
}
