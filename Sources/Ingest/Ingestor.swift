import Alignment
import Crypto
import DigitRecognition
import FormTemplate
import Foundation
import Identification
import Imaging
import Reading
import Store
import Vocabulary

/// pindai's main job: every page of every scan file becomes field readings in the store, or an
/// exception with a reason. Never a crash, never a silent drop; a killed run started again
/// resumes where it stopped without storing anything twice.
package struct Ingestor: Sendable {
    /// The forms this reader knows.
    package var templates: [FormTemplate]
    /// Where results go.
    package var store: any CaptureStore
    /// Batch name.
    package var batch: String
    /// Parallel workers, one Tesseract engine each.
    package var workers: Int
    /// Tesseract model: folder and name.
    package var model: (directory: String, name: String)?
    /// Acceptance thresholds.
    package var policy: AcceptancePolicy
    /// Duplex scans: in every multi-page file, each second image is the back of the sheet before
    /// it. Blank backs are counted, not raised; a back with writing is an `ink-on-back` exception.
    package var duplex = false
    /// Asked before each page: once it says true, workers finish the page in hand and stop; the
    /// files left part-read are resumed by the next run (a hot folder's graceful shutdown).
    package var shouldStop: (@Sendable () -> Bool)?
    /// Files never to ingest (the store's own database files, when it sits among the scans).
    package var excluded: Set<String> = []
    /// Called after each page is stored with its form, version and serial, so the next stage
    /// (the verification queue) can start on a document while the batch is still being read.
    package var pageStored: (@Sendable (_ form: String, _ version: Int, _ serial: Int) async throws -> Void)?
    /// Who claims the run's files (this process, a new token per run; a benchmark gives each
    /// of its runs a host of its own so that they share files as separate machines would).
    package var owner = IngestOwner()

    /// Creates an ingest run.
    package init(
        templates: [FormTemplate], store: any CaptureStore, batch: String, workers: Int,
        model: (directory: String, name: String)?, policy: AcceptancePolicy = AcceptancePolicy()
    ) {
        self.templates = templates
        self.store = store
        self.batch = batch
        self.workers = max(1, workers)
        self.model = model
        self.policy = policy
    }

    /// How colour scans become grey: the dropout colour of the templates, when they name one.
    var colourReduction: ColourReduction {
        guard let c = templates.lazy.compactMap(\.dropoutColour).first else { return .luminance }
        return .dropout(red: c.red, green: c.green, blue: c.blue)
    }

    /// Twice the pixels of the largest form's paper at 600 dpi: no scan of a form is larger, so
    /// an image declaring more is refused before decoding.
    var largestPagePixels: Double {
        let mm = templates.map { $0.paper.width * $0.paper.height }.max() ?? 210 * 297
        return 2 * mm * pow(600 / 25.4, 2)
    }

    /// Progress after each page.
    package struct Progress: Sendable {
        /// Pages handled so far in this run.
        package var done: Int
        /// Pages to handle in this run.
        package var total: Int
        /// Seconds since the run started.
        package var elapsed: Double
        /// A line worth logging (a file skipped, an exception), without personal data.
        package var message: String?
    }

    struct PageJob: Sendable {
        var fileID: Int64
        var path: String
        var index: Int
    }

    /// Runs the ingest over `paths` (files and folders).
    package func run(_ paths: [String], progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> IngestSummary {
        let started = Date()
        var summary = IngestSummary()
        let excludedPaths = Set(excluded.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        let (found, missing) = ScanFileFinder.files(in: paths)
        let files = found.filter { !excludedPaths.contains(URL(fileURLWithPath: $0).standardizedFileURL.path) }
        let batchID = try await store.batchID(named: batch)
        let owner = self.owner
        for path in missing {
            if try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: .missingFile, detail: "no such file or folder; check the path"),
                fileID: nil)
            {
                summary.exceptions[.missingFile, default: 0] += 1
            }
        }
        summary.files = files.count
        let ledger = Ledger()
        let ingest = self
        // Files are claimed one at a time as the workers run out of pages, not all at the start:
        // ingest processes on several machines pointed at one folder then share its files.
        let feeder = FileFeeder(paths: files) { path in
            try await ingest.claim(path, batchID: batchID, owner: owner, ledger: ledger, started: started, progress: progress)
        }

        // Read pages in parallel; each worker owns its Tesseract engine.
        let modelName = model.map { DigitRecognizer.identity(directory: $0.directory, model: $0.name) }
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    // The engine is made on the first page: a run with nothing to read makes none.
                    var worker: PageWorker?
                    while shouldStop?() != true, let job = try await feeder.next() {
                        if worker == nil {
                            let recognizer = try model.map { try DigitRecognizer(directory: $0.directory, model: $0.name) }
                            var made = PageWorker(
                                templates: templates, reader: PageReader(recognizer: recognizer, policy: policy), store: store, batch: batch,
                                pageStored: pageStored)
                            made.model = modelName
                            made.duplex = duplex
                            made.colour = colourReduction
                            worker = made
                        }
                        guard let current = worker else { break }
                        let result = try await current.process(job)
                        worker = current
                        let (done, renew) = await tally.add(result)
                        if renew { try await store.renewClaims(owner: owner) }
                        progress(Progress(done: done, total: await feeder.known, elapsed: Date().timeIntervalSince(started), message: result.message))
                    }
                }
            }
            try await group.waitForAll()
        }
        let (pageCounts, settled, counted) = await ledger.snapshot()
        var settledFiles = settled
        // Files whose pages are all stored are done; a stopped run leaves the rest to the next.
        for (fileID, file) in pageCounts.sorted(by: { $0.key < $1.key }) {
            if shouldStop != nil, try await store.storedPageIndexes(fileID: fileID).count < file.count { continue }
            try await store.finishFile(id: fileID, status: .done)
            settledFiles.append(file.path)
        }
        summary.settledFiles = settledFiles
        summary.alreadyStored = counted.alreadyStored
        summary.heldElsewhere = counted.heldElsewhere
        for (k, v) in counted.exceptions { summary.exceptions[k, default: 0] += v }

        let t = await tally.snapshot()
        summary.pagesRead = t.pagesRead
        summary.blankBacks = t.blankBacks
        summary.pagesHandled = t.handled
        summary.accepted = t.accepted
        summary.queued = t.queued
        summary.images = t.images
        summary.stageSeconds = t.stages
        for (k, v) in t.exceptions { summary.exceptions[k, default: 0] += v }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Claims one file for this run and lists its pages still to read; a file that is stored,
    /// a copy, held by another live run or bad ends in the ledger (and its exception) instead.
    func claim(
        _ path: String, batchID: Int64, owner: IngestOwner, ledger: Ledger, started: Date, progress: @escaping @Sendable (Progress) -> Void
    ) async throws -> [PageJob] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: .unreadable, detail: "cannot open the file; check permissions"),
                fileID: nil)
            {
                await ledger.exception(.unreadable)
            }
            await ledger.settle(path)
            return []
        }
        let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let fileID: Int64
        switch try await store.claimFile(batchID: batchID, path: path, sha256: sha, size: Int64(data.count), owner: owner) {
        case .claimed(let id, _):
            fileID = id
        case .alreadyStored:
            await ledger.alreadyStored()
            await ledger.settle(path)
            progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): already stored, skipped"))
            return []
        case .duplicate(let existing):
            let detail = "same content as \(existing.path) (batch \(existing.batch)), \(existing.status == .reading ? "read" : "already stored"); not read again"
            if try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: .duplicateFile, detail: detail), fileID: existing.id)
            {
                await ledger.exception(.duplicateFile)
                progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): duplicate-file: \(detail)"))
            } else {
                await ledger.alreadyStored()
            }
            await ledger.settle(path)
            return []
        case .heldElsewhere(_, let holder):
            await ledger.heldElsewhere()
            progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): being read by \(holder), left to it"))
            return []
        }
        // A decompression bomb is refused on its headers, before a pixel is decoded.
        // A TIFF's directory chain is walked once, for its sizes here and its truncation below.
        let structure = TIFFStructure.inspect(data: data)
        let sizes = structure?.sizes.map { ($0.width, $0.height) } ?? ImageHeader.declaredSizes(of: data)
        if let (page, size) = sizes.enumerated().first(where: { Double($0.element.width) * Double($0.element.height) > largestPagePixels }) {
            let detail = String(
                format: "page %d declares %d × %d pixels (%.0f megapixels), more than twice the largest form at 600 dpi (%.0f megapixels); not decoded: rescan at 600 dpi or less",
                page + 1, size.width, size.height, Double(size.width) * Double(size.height) / 1e6, largestPagePixels / 2e6)
            if try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: page, reason: .oversized, detail: detail), fileID: fileID)
            {
                await ledger.exception(.oversized)
            }
            try await store.finishFile(id: fileID, status: .failed)
            await ledger.settle(path)
            progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): oversized: \(detail)"))
            return []
        }
        let count: Int
        do {
            count = try ImageFile.pageCount(of: path)
        } catch {
            if try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: error.reason.exceptionReason, detail: error.detail), fileID: fileID)
            {
                await ledger.exception(error.reason.exceptionReason)
            }
            try await store.finishFile(id: fileID, status: .failed)
            await ledger.settle(path)
            progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): \(error.detail)"))
            return []
        }
        try await store.setPageCount(fileID: fileID, pageCount: count)
        let stored = try await store.storedPageIndexes(fileID: fileID)
        // Report a truncated file once, on the first run that sees it.
        if structure == nil, stored.isEmpty, ImageFile.endsEarly(path) {
            let detail = "the PDF stops before its end (a copy cut short?); the \(count) page(s) that could be rebuilt are read, any after the cut are lost: recopy or rescan the file"
            if try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: .truncated, detail: detail), fileID: fileID)
            {
                await ledger.exception(.truncated)
            }
            progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): \(detail)"))
        }
        if let structure, structure.truncated, stored.isEmpty {
            let detail = "the file ends inside page \(structure.pages + 1) (a truncated copy?); \(count) page(s) before it are read; recopy or rescan the file"
            if try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: structure.pages, reason: .truncated, detail: detail), fileID: fileID)
            {
                await ledger.exception(.truncated)
            }
            progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): \(detail)"))
        }
        if stored.count == count {
            try await store.finishFile(id: fileID, status: .done)
            await ledger.settle(path)
            return []
        }
        await ledger.register(fileID: fileID, path: path, count: count)
        return (0..<count).filter { !stored.contains($0) }.map { PageJob(fileID: fileID, path: path, index: $0) }
    }
}

/// Hands out page jobs to workers, claiming the next file (through `claim`) only when the pages
/// of the files claimed so far are all handed out. Claims run one at a time, in the files' order:
/// of two copies of a file in one run, the first in that order is the one read and the other
/// its duplicate, however many workers run dry at once. Each file is claimed once, by the store.
actor FileFeeder {
    private var paths: ArraySlice<String>
    private var pending: [Ingestor.PageJob] = []
    private let claim: @Sendable (String) async throws -> [Ingestor.PageJob]
    /// The claim under way: a worker that runs dry meanwhile waits for it instead of claiming
    /// the next file beside it (an actor lets a second caller in at every `await`).
    private var claiming: Task<Void, any Error>?
    /// Pages to handle so far: those of the files claimed (the progress line's total).
    private(set) var known = 0

    init(paths: [String], claim: @escaping @Sendable (String) async throws -> [Ingestor.PageJob]) {
        self.paths = paths[...]
        self.claim = claim
    }

    func next() async throws -> Ingestor.PageJob? {
        while pending.isEmpty {
            if let claiming {
                try await claiming.value
                continue
            }
            guard let path = paths.popFirst() else { return nil }
            // The task runs on this actor: its pages are added before anyone waiting on it resumes.
            let task = Task {
                defer { claiming = nil }
                let jobs = try await claim(path)
                known += jobs.count
                pending += jobs
            }
            claiming = task
            try await task.value
        }
        return pending.removeFirst()
    }
}

/// What the claiming of files found, for the run's summary: files settled without reading
/// (stored, copies, bad), files left to other runs, exceptions, and the files being read.
actor Ledger {
    private var pageCounts: [Int64: (path: String, count: Int)] = [:]
    private var settled: [String] = []
    private var stored = 0
    private var held = 0
    private var exceptions: [ExceptionReason: Int] = [:]

    func exception(_ reason: ExceptionReason) { exceptions[reason, default: 0] += 1 }
    func settle(_ path: String) { settled.append(path) }
    func alreadyStored() { stored += 1 }
    func heldElsewhere() { held += 1 }
    func register(fileID: Int64, path: String, count: Int) { pageCounts[fileID] = (path, count) }

    func snapshot() -> (
        pageCounts: [Int64: (path: String, count: Int)], settled: [String], counted: (alreadyStored: Int, heldElsewhere: Int, exceptions: [ExceptionReason: Int])
    ) {
        (pageCounts, settled, (stored, held, exceptions))
    }
}

/// Counts what workers report.
actor Tally {
    private var handled = 0
    private var pagesRead = 0
    private var blankBacks = 0
    private var accepted = 0
    private var queued = 0
    private var images = 0
    private var exceptions: [ExceptionReason: Int] = [:]
    private var stages: [String: Double] = [:]
    private var lastRenewal = Date()

    /// Counts what the store took from one page; says how many pages are done and whether the
    /// run's file claims are due for renewal (a quarter of the lease has passed).
    func add(_ r: PageWorker.Result) -> (done: Int, renewClaims: Bool) {
        handled += 1
        switch r.outcome {
        case .read: pagesRead += 1
        case .blankBack: blankBacks += 1
        case .exception(let reason): exceptions[reason, default: 0] += 1
        case .alreadyStored: break
        }
        accepted += r.accepted
        queued += r.queued
        images += r.images
        for (k, v) in r.timings { stages[k, default: 0] += v }
        let renew = Date().timeIntervalSince(lastRenewal) > IngestOwner.lease / 4
        if renew { lastRenewal = Date() }
        return (handled, renew)
    }

    func snapshot() -> (
        handled: Int, pagesRead: Int, blankBacks: Int, accepted: Int, queued: Int, images: Int, exceptions: [ExceptionReason: Int], stages: [String: Double]
    ) {
        (handled, pagesRead, blankBacks, accepted, queued, images, exceptions, stages)
    }
}
