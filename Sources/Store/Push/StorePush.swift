import Foundation
import Vocabulary

/// Merges a field office's SQLite store into another store (the central PostgreSQL one),
/// exactly once and safe to run again: each file is claimed on the target by its content
/// (SHA-256) as an ingest machine claims it, its pages are stored through the same
/// `savePage` ingest uses (a page already there is left alone, the same document page from
/// another file becomes a `duplicate-page` exception), and the file is marked finished last.
/// A push broken off midway resumes where it stopped; a file the central store already holds
/// (pushed before, or scanned again centrally) is skipped.
///
/// What moves: files, pages, readings with their current values and statuses (so fields the
/// office verified stay verified), clips and exceptions. The target's own review then opens
/// items for what is still doubtful and promotes clean families into its core store; the
/// office's audit trail and core records stay in the office file.
package struct StorePush: Sendable {
    /// What a push did.
    package struct Summary: Sendable, Hashable {
        /// Files stored on the target by this push.
        package var filesPushed = 0
        /// Files the target already held (an earlier push, or the same content ingested there).
        package var filesAlreadyThere = 0
        /// Pages stored by this push.
        package var pages = 0
        /// Of those, exception pages (duplicates found on the target included).
        package var exceptionPages = 0
        /// File-level exceptions stored by this push.
        package var fileExceptions = 0
        /// Files another machine is storing on the target right now (run again later).
        package var heldElsewhere: [String] = []
        /// Files the office has not finished reading (finish that run first).
        package var unfinished: [String] = []
        /// Batches touched, for reviewing them on the target.
        package var batches: Set<String> = []

        /// The summary's lines, as the command prints them.
        package var lines: [String] {
            var out = [
                "pushed \(filesPushed) file(s): \(pages) page(s), \(exceptionPages) of them exception(s); \(fileExceptions) file exception(s)",
                "\(filesAlreadyThere) file(s) already in the target store and skipped",
            ]
            for path in unfinished { out.append("not pushed, still being read in the office store: \(path) (finish that ingest run, then push again)") }
            for path in heldElsewhere { out.append("not pushed, another machine is storing it now: \(path) (push again later)") }
            return out
        }
    }

    /// The field office's store.
    package let source: SQLiteStore
    /// Where it goes.
    package let target: any PindaiStore
    /// The claim owner on the target (host, pid, token), as an ingest run's.
    package let owner: IngestOwner

    /// Creates a push.
    package init(source: SQLiteStore, target: any PindaiStore, owner: IngestOwner = IngestOwner()) {
        (self.source, self.target, self.owner) = (source, target, owner)
    }

    /// Pushes every finished file, then the exceptions about files; `progress` hears each path.
    package func run(progress: @Sendable (String) -> Void = { _ in }) async throws -> Summary {
        var summary = Summary()
        var batchIDs: [String: Int64] = [:]
        func batchID(_ name: String) async throws -> Int64 {
            if let id = batchIDs[name] { return id }
            let id = try await target.batchID(named: name)
            batchIDs[name] = id
            summary.batches.insert(name)
            return id
        }
        var targetFiles: [String: Int64] = [:]
        for file in try await source.allFiles() {
            guard file.status != .reading else {
                summary.unfinished.append(file.path)
                continue
            }
            let claim = try await target.claimFile(
                batchID: try await batchID(file.batch), path: file.path, sha256: file.sha256, size: file.size, owner: owner)
            switch claim {
            case .claimed(let id, _):
                progress(file.path)
                try await push(file, as: id, into: &summary)
                targetFiles[file.sha256] = id
                summary.filesPushed += 1
            case .alreadyStored(let stored), .duplicate(of: let stored):
                targetFiles[file.sha256] = stored.id
                summary.filesAlreadyThere += 1
            case .heldElsewhere:
                summary.heldElsewhere.append(file.path)
            }
            try await target.renewClaims(owner: owner)
        }
        for (exception, sha256) in try await source.fileExceptions() {
            var fileID: Int64?
            if let sha256 {
                // An exception about a file the target did not take from this push stays with that file's own record.
                guard let id = targetFiles[sha256] else { continue }
                fileID = id
            }
            _ = try await batchID(exception.batch)
            if try await target.saveException(exception, fileID: fileID) { summary.fileExceptions += 1 }
        }
        return summary
    }

    /// Stores one claimed file's pages that the target does not hold yet, then finishes it.
    private func push(_ file: StoredFile, as id: Int64, into summary: inout Summary) async throws {
        if let count = file.pageCount { try await target.setPageCount(fileID: id, pageCount: count) }
        let stored = try await target.storedPageIndexes(fileID: id)
        for var page in try await source.storedPages(fileID: file.id) where !stored.contains(page.page.pageIndex) {
            page.page.fileID = id
            // A read page names its batch and path, in case the target finds it a duplicate (as ingest does).
            let exception =
                page.exception
                ?? (page.page.status == .read
                    ? ExceptionRecord(batch: file.batch, path: file.path, pageIndex: page.page.pageIndex, reason: .duplicatePage, detail: "") : nil)
            let outcome = try await target.savePage(page.page, readings: page.readings, exception: exception)
            switch outcome {
            case .saved where page.page.status == .exception, .duplicatePage: summary.exceptionPages += 1
            case .saved, .alreadyStored: break
            }
            if outcome != .alreadyStored { summary.pages += 1 }
        }
        try await target.finishFile(id: id, status: file.status)
    }
}
