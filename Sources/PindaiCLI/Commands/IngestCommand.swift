import ArgumentParser
import Foundation
import Ingest
import Store
import Verification

/// `pindai ingest PATH...`: the main job.
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read scan files into the store: every page becomes field readings or an exception with a reason.",
        discussion: """
            Files and folders (recursive): multi-page TIFF (G4, grey or colour; LZW, Deflate, JPEG, PackBits), \
            multi-page PDF (scanned images taken at their own resolution, other pages drawn at 300 dpi), PNG, \
            JPEG, at any resolution from 200 to 600 dpi. A file already stored (same SHA-256) is skipped; a run \
            killed midway resumes where it stopped when started again.

            --watch DIR keeps running: every file a scanning station finishes writing into DIR is read \
            (a file is taken once its size and time have not changed for --settle seconds; names ending in \
            .part or .tmp are left until renamed), then moved to --done DIR if given. SIGTERM or Ctrl-C \
            finishes the page in hand and stops; the next start resumes what was left.

            Examples:
              pindai ingest scans/ --batch sample
              pindai ingest --watch /srv/scans/incoming --done /srv/scans/done --batch kaltim-01 --duplex
            """
    )

    @Argument(help: "Scan files or folders.")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Watch a folder and read every scan written into it, until stopped.", valueName: "dir"))
    var watch: String?

    @Option(help: ArgumentHelp("With --watch, move each file here once its pages are stored (its path below the folder kept).", valueName: "dir"))
    var done: String?

    @Option(help: "With --watch, seconds a file must stay unchanged before it is read.")
    var settle: Double = 2

    @Flag(help: "Duplex scans: every second image of a file is the back of a sheet; blank backs are counted, inked ones become ink-on-back exceptions.")
    var duplex = false

    @Option(help: "Batch name the pages are attached to.")
    var batch: String = "default"

    @Option(help: "Parallel workers, one Tesseract engine each (default: number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var coreOptions: CoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func validate() throws {
        if let watch {
            guard paths.isEmpty else { throw ValidationError("--watch reads one folder; give no other paths") }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: watch, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--watch \(watch): no such folder; create it, or check the path")
            }
        } else {
            guard !paths.isEmpty else { throw ValidationError("give at least one scan file or folder, or --watch DIR") }
            guard done == nil else { throw ValidationError("--done goes with --watch") }
        }
        guard settle >= 0 else { throw ValidationError("--settle must not be negative") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
    }

    func run() async throws {
        let templates = try templateOptions.load()
        let store = try await storeOptions.open()
        let model = try await modelOptions.locate(for: store)
        if let note = model?.note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        var ingestor = Ingestor(
            templates: templates, store: store, batch: batch, workers: workers, model: model.map { ($0.directory, $0.name) })
        ingestor.excluded = store.ownFiles
        ingestor.duplex = duplex
        // Open verification items as pages arrive, so verifiers never wait for the whole batch.
        let review = DocumentReview(templates: templates, store: store, core: try await coreOptions.open(beside: store))
        ingestor.pageStored = { form, version, serial in
            try await review.refresh(form: form, version: version, serial: serial, final: false)
        }
        if let watch {
            let service = WatchService(
                folder: HotFolder(directory: watch, doneDirectory: done, settle: settle), ingestor: ingestor, review: review, store: store,
                batch: batch)
            try await service.runUntilStopped()
            return
        }
        let progress = ProgressReporter()
        let summary: IngestSummary
        do {
            summary = try await ingestor.run(paths) { progress.report($0) }
        } catch {
            progress.finish()
            throw CLIError("ingest stopped: \(error)\n(everything stored so far is kept; run the same command again to resume)")
        }
        progress.finish()
        // Validate every document of the batch, open its items, promote what is clean and complete.
        let documents = try await review.refreshAll(batch: batch)
        print("store: \(store.location), batch \(batch)")
        for line in summary.lines { print(line) }
        print("documents: \(documents.promoted) promoted to the core store, \(documents.waiting) waiting for verification (\(documents.openItems) item(s) open)")
    }
}

/// A progress bar with pages/s and ETA on a terminal; plain log lines otherwise.
final class ProgressReporter: @unchecked Sendable {
    // @unchecked: the mutable state is guarded by `lock`; reports arrive from several workers.
    private let lock = NSLock()
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private var lastDraw = 0.0
    private var drawn = false

    func report(_ p: Ingestor.Progress) {
        lock.lock()
        defer { lock.unlock() }
        if let message = p.message {
            if drawn { print("\r\u{1B}[K", terminator: "") }
            print(message)
            drawn = false
        }
        guard p.total > 0 else { return }
        if isTerminal {
            guard p.elapsed - lastDraw > 0.1 || p.done == p.total else { return }
            lastDraw = p.elapsed
            let rate = p.elapsed > 0 ? Double(p.done) / p.elapsed : 0
            let eta = rate > 0 ? Double(p.total - p.done) / rate : 0
            let width = 30
            let filled = Int(Double(width) * Double(p.done) / Double(p.total))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            print("\r\u{1B}[K\(bar) \(p.done)/\(p.total) pages  \(String(format: "%.1f", rate)) pages/s  ETA \(Int(eta.rounded())) s", terminator: "")
            fflush(nil)
            drawn = true
        } else if p.done == p.total || p.done % 50 == 0 {
            print("\(p.done)/\(p.total) pages, \(String(format: "%.1f", p.elapsed)) s")
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { print("") }
        drawn = false
    }
}
