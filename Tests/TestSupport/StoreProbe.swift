import Foundation
import GRDB

/// Reads a SQLite store synchronously, from any thread, for tests that must act on what a running
/// `pindai` has just written.
///
/// The store's own API is async, and its continuations resume on the concurrency pool; on a
/// 2-core machine that pool has two threads, which the suites running beside a test can keep busy
/// for seconds. A test that must signal a process "as soon as the first page is stored" would
/// then signal after the run is over. The probe runs on a thread of its own instead.
package struct StoreProbe: Sendable {
    private let path: String

    package init(path: String) {
        self.path = path
    }

    /// Pages stored as read.
    package func pagesRead() -> Int {
        count("SELECT count(*) FROM page WHERE status = 'read'")
    }

    /// True once a hot-folder watcher has reported itself running.
    package func watcherRunning() -> Bool {
        count("SELECT count(*) FROM hotFolder WHERE stopped = 0") > 0
    }

    private func count(_ sql: String) -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        // A table not created yet, or the store file not there yet, counts as nothing.
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return 0 }
        return (try? queue.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }) ?? 0
    }
}
