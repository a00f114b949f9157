import Vocabulary

/// Where ingest puts what it reads. SQLite (``SQLiteStore``) is the embedded default; a
/// PostgreSQL implementation lets several ingest machines share one store.
package protocol CaptureStore: Sendable {
    /// The batch id for `name`, created on first use.
    func batchID(named name: String) async throws -> Int64
    /// The file with this content, if any was ever ingested.
    func file(sha256: String) async throws -> StoredFile?
    /// Claims the file with this content for `owner`, in one atomic step: the content's first
    /// sight registers it (status `reading`); a file left `reading` by an owner that is gone
    /// (its process dead, or its lease expired) is taken over to resume it; anything else is a
    /// copy already stored, a duplicate, or held by a live owner.
    func claimFile(batchID: Int64, path: String, sha256: String, size: Int64, owner: IngestOwner) async throws -> FileClaim
    /// Extends the lease on every file `owner` is reading.
    func renewClaims(owner: IngestOwner) async throws
    /// Records the page count once the file is opened.
    func setPageCount(fileID: Int64, pageCount: Int) async throws
    /// Page indexes of the file already stored (for resuming a killed run).
    func storedPageIndexes(fileID: Int64) async throws -> Set<Int>
    /// Stores a page, its readings and clips atomically. `exception` is stored when the page is an
    /// exception; for a read page it only names the batch and path, in case the page turns out to
    /// duplicate one already stored.
    func savePage(_ page: PageRecord, readings: [ReadingRecord], exception: ExceptionRecord?) async throws -> PageSaveOutcome
    /// Stores an exception that concerns a whole file (or a file that is not stored), unless the
    /// same path already has one for the same reason and file; says whether it was new.
    @discardableResult
    func saveException(_ exception: ExceptionRecord, fileID: Int64?) async throws -> Bool
    /// Marks a file `done` or `failed`.
    func finishFile(id: Int64, status: FileStatus) async throws
    /// Exceptions, newest last, optionally for one batch.
    func exceptions(batch: String?) async throws -> [ExceptionRecord]
    /// Documents assembled from read pages, optionally for one batch.
    func documents(batch: String?) async throws -> [DocumentSummary]
    /// How many read pages each digit model read (`none` for pages read without one).
    func pagesByModel() async throws -> [String: Int]
    /// Every reading of one document.
    func readings(form: String, serial: Int) async throws -> [ReadingRecord]
    /// Records a hot folder's backlog, for the status page and metrics of other processes.
    func reportHotFolder(_ report: HotFolderReport) async throws
}

/// What an `ingest --watch` process sees of its folder.
package struct HotFolderReport: Sendable, Hashable {
    /// The folder watched.
    package var folder: String
    /// Files seen and not yet handled.
    package var backlogFiles: Int
    /// Their bytes.
    package var backlogBytes: Int64
    /// Files handled since the watch started.
    package var filesTaken: Int
    /// Whether the watcher has stopped (its last report).
    package var stopped: Bool

    /// Creates a report.
    package init(folder: String, backlogFiles: Int, backlogBytes: Int64, filesTaken: Int, stopped: Bool) {
        (self.folder, self.backlogFiles, self.backlogBytes, self.filesTaken, self.stopped) = (folder, backlogFiles, backlogBytes, filesTaken, stopped)
    }
}
