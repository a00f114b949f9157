import Foundation
import Ingest
import Logging
import ServiceLifecycle
import Store
import Verification

/// `ingest --watch`: a service that reads a hot folder until SIGTERM or Ctrl-C, run by
/// swift-service-lifecycle's `ServiceGroup` so that a stop request lets the page in hand be
/// finished and stored before the process exits.
struct WatchService: Service {
    let folder: HotFolder
    let ingestor: Ingestor
    let review: DocumentReview
    let store: any PindaiStore
    let batch: String
    /// Seconds between polls of an idle folder.
    var pollInterval = 1.0

    /// Runs the service in a group that turns SIGTERM and SIGINT into a graceful shutdown.
    func runUntilStopped() async throws {
        var logger = Logger(label: "pindai.watch")
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: self)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    func run() async throws {
        let stop = StopRequest()
        try await withGracefulShutdownHandler {
            try await watch(stop)
        } onGracefulShutdown: {
            stop.request()
        }
    }

    private func say(_ line: String) {
        print(line)
        fflush(nil)
    }

    private func watch(_ stop: StopRequest) async throws {
        var state = HotFolder.State()
        var taken = 0
        var ingestor = ingestor
        ingestor.shouldStop = { stop.isRequested }
        let touched = TouchedDocuments()
        let perPage = ingestor.pageStored
        ingestor.pageStored = { form, version, serial in
            try await perPage?(form, version, serial)
            await touched.add(form: form, version: version, serial: serial)
        }
        say("watching \(folder.directory) for scans (batch \(batch); SIGTERM or Ctrl-C stops after the page in hand)")
        while !stop.isRequested {
            let poll = folder.poll(&state)
            try await store.reportHotFolder(
                HotFolderReport(folder: folder.directory, backlogFiles: poll.backlogFiles, backlogBytes: poll.backlogBytes, filesTaken: taken, stopped: false))
            guard !poll.ready.isEmpty else {
                // Idle: wait for the next poll in short steps, so a stop request is seen at once.
                for _ in 0..<max(1, Int(pollInterval * 10)) where !stop.isRequested { try await Task.sleep(for: .milliseconds(100)) }
                continue
            }
            let summary = try await ingestor.run(poll.ready) { p in
                if let message = p.message { say(message) }
            }
            for problem in folder.settle(summary.settledFiles, state: &state) { say(problem) }
            taken += summary.settledFiles.count
            // Documents that gained pages are checked as complete now; one whose page comes in a
            // later file gets a missing-pages item that closes when the page arrives.
            var promoted = 0
            for key in await touched.drain() {
                if case .promoted = try await review.refresh(form: key.form, version: key.version, serial: key.serial, final: true) { promoted += 1 }
            }
            for line in summary.lines { say(line) }
            say("documents: \(promoted) promoted to the core store in this round; \(taken) file(s) taken since the watch started")
        }
        let last = folder.poll(&state)
        try await store.reportHotFolder(
            HotFolderReport(folder: folder.directory, backlogFiles: last.backlogFiles, backlogBytes: last.backlogBytes, filesTaken: taken, stopped: true))
        say("stopped: \(taken) file(s) taken; \(last.backlogFiles) file(s) left in \(folder.directory) for the next run")
    }
}

/// Set once by the graceful-shutdown handler, read by the workers before each page.
final class StopRequest: @unchecked Sendable {
    // @unchecked: the one flag is guarded by `lock`; it is set from the signal handler's task
    // and read from every worker.
    private let lock = NSLock()
    private var requested = false

    func request() {
        lock.lock()
        requested = true
        lock.unlock()
    }

    var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}

/// Documents that gained a page in the current round.
actor TouchedDocuments {
    struct Key: Hashable {
        var form: String
        var version: Int
        var serial: Int
    }

    private var keys: Set<Key> = []

    func add(form: String, version: Int, serial: Int) {
        keys.insert(Key(form: form, version: version, serial: serial))
    }

    func drain() -> [Key] {
        defer { keys = [] }
        return keys.sorted { ($0.form, $0.version, $0.serial) < ($1.form, $1.version, $1.serial) }
    }
}
