import Alignment
import Crypto
import DigitRecognition
import Foundation
import FormTemplate
import Identification
import Imaging
import Reading
import Store

/// pindai's main job: every page of every scan file becomes field readings in the store, or an
/// exception with a reason. Never a crash, never a silent drop; a killed run started again
/// resumes where it stopped without storing anything twice.
public struct Ingestor: Sendable {
    /// The forms this reader knows.
    public var templates: [FormTemplate]
    /// Where results go.
    public var store: any CaptureStore
    /// Batch name.
    public var batch: String
    /// Parallel workers, one Tesseract engine each.
    public var workers: Int
    /// Tesseract model: folder and name.
    public var model: (directory: String, name: String)?
    /// Acceptance thresholds.
    public var policy: AcceptancePolicy
    /// Files never to ingest (the store's own database files, when it sits among the scans).
    public var excluded: Set<String> = []
    /// Called after each page is stored with its form, version and serial, so the next stage
    /// (the verification queue) can start on a document while the batch is still being read.
    public var pageStored: (@Sendable (_ form: String, _ version: Int, _ serial: Int) async throws -> Void)?

    /// Creates an ingest run.
    public init(
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

    /// Progress after each page.
    public struct Progress: Sendable {
        /// Pages handled so far in this run.
        public var done: Int
        /// Pages to handle in this run.
        public var total: Int
        /// Seconds since the run started.
        public var elapsed: Double
        /// A line worth logging (a file skipped, an exception), without personal data.
        public var message: String?
    }

    struct PageJob: Sendable {
        var fileID: Int64
        var path: String
        var index: Int
    }

    /// Runs the ingest over `paths` (files and folders).
    public func run(_ paths: [String], progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> IngestSummary {
        let started = Date()
        var summary = IngestSummary()
        let excludedPaths = Set(excluded.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        let (found, missing) = ScanFileFinder.files(in: paths)
        let files = found.filter { !excludedPaths.contains(URL(fileURLWithPath: $0).standardizedFileURL.path) }
        let batchID = try await store.batchID(named: batch)
        for path in missing {
            try await store.saveException(
                ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: "missing-file", detail: "no such file or folder; check the path"),
                fileID: nil)
            summary.exceptions["missing-file", default: 0] += 1
        }
        summary.files = files.count

        // Claim files and list their pages.
        var jobs: [PageJob] = []
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                try await store.saveException(
                    ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: "unreadable", detail: "cannot open the file; check permissions"),
                    fileID: nil)
                summary.exceptions["unreadable", default: 0] += 1
                continue
            }
            let sha = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            var fileID: Int64
            if let existing = try await store.file(sha256: sha) {
                if existing.status != "reading" {
                    summary.alreadyStored += 1
                    if existing.path != path {
                        try await store.saveException(
                            ExceptionRecord(
                                batch: batch, path: path, pageIndex: nil, reason: "duplicate-file",
                                detail: "same content as \(existing.path) (batch \(existing.batch)), already stored; not read again"),
                            fileID: existing.id)
                        summary.exceptions["duplicate-file", default: 0] += 1
                    }
                    progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): already stored, skipped"))
                    continue
                }
                fileID = existing.id
            } else {
                fileID = try await store.addFile(batchID: batchID, path: path, sha256: sha, size: Int64(data.count))
            }
            let count: Int
            do {
                count = try ImageFile.pageCount(of: path)
            } catch {
                try await store.saveException(
                    ExceptionRecord(batch: batch, path: path, pageIndex: nil, reason: error.reason.rawValue, detail: error.detail), fileID: fileID)
                try await store.finishFile(id: fileID, status: "failed")
                summary.exceptions[error.reason.rawValue, default: 0] += 1
                progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): \(error.detail)"))
                continue
            }
            try await store.setPageCount(fileID: fileID, pageCount: count)
            let stored = try await store.storedPageIndexes(fileID: fileID)
            // Report a truncated file once, on the first run that sees it.
            if let structure = TIFFStructure.inspect(data: data), structure.truncated, stored.isEmpty {
                let detail = "the file ends inside page \(structure.pages + 1) (a truncated copy?); \(count) page(s) before it are read; recopy or rescan the file"
                try await store.saveException(
                    ExceptionRecord(batch: batch, path: path, pageIndex: structure.pages, reason: "truncated", detail: detail), fileID: fileID)
                summary.exceptions["truncated", default: 0] += 1
                progress(Progress(done: 0, total: 0, elapsed: Date().timeIntervalSince(started), message: "\(path): \(detail)"))
            }
            if stored.count == count {
                try await store.finishFile(id: fileID, status: "done")
                continue
            }
            for i in 0..<count where !stored.contains(i) { jobs.append(PageJob(fileID: fileID, path: path, index: i)) }
        }

        // Read pages in parallel; each worker owns its Tesseract engine.
        let queue = JobQueue(jobs: jobs)
        let total = jobs.count
        let tally = Tally()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<min(workers, max(1, jobs.count)) {
                group.addTask {
                    let recognizer = try model.map { try DigitRecognizer(directory: $0.directory, model: $0.name) }
                    let worker = PageWorker(
                        templates: templates, reader: PageReader(recognizer: recognizer, policy: policy), store: store, batch: batch,
                        pageStored: pageStored)
                    while let job = await queue.next() {
                        let result = try await worker.process(job)
                        let done = await tally.add(result)
                        progress(Progress(done: done, total: total, elapsed: Date().timeIntervalSince(started), message: result.message))
                    }
                }
            }
            try await group.waitForAll()
        }
        // Files whose pages are all stored are done.
        for fileID in Set(jobs.map(\.fileID)) { try await store.finishFile(id: fileID, status: "done") }

        let t = await tally.snapshot()
        summary.pagesRead = t.pagesRead
        summary.pagesHandled = t.handled
        summary.accepted = t.accepted
        summary.queued = t.queued
        summary.images = t.images
        summary.stageSeconds = t.stages
        for (k, v) in t.exceptions { summary.exceptions[k, default: 0] += v }
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }
}

/// Hands out page jobs to workers.
actor JobQueue {
    private var jobs: [Ingestor.PageJob]
    private var nextIndex = 0

    init(jobs: [Ingestor.PageJob]) {
        self.jobs = jobs
    }

    func next() -> Ingestor.PageJob? {
        guard nextIndex < jobs.count else { return nil }
        defer { nextIndex += 1 }
        return jobs[nextIndex]
    }
}

/// Counts what workers report.
actor Tally {
    private var handled = 0
    private var pagesRead = 0
    private var accepted = 0
    private var queued = 0
    private var images = 0
    private var exceptions: [String: Int] = [:]
    private var stages: [String: Double] = [:]

    func add(_ r: PageWorker.Result) -> Int {
        handled += 1
        if let reason = r.exception { exceptions[reason, default: 0] += 1 } else { pagesRead += 1 }
        accepted += r.accepted
        queued += r.queued
        images += r.images
        for (k, v) in r.timings { stages[k, default: 0] += v }
        return handled
    }

    func snapshot() -> (handled: Int, pagesRead: Int, accepted: Int, queued: Int, images: Int, exceptions: [String: Int], stages: [String: Double]) {
        (handled, pagesRead, accepted, queued, images, exceptions, stages)
    }
}
