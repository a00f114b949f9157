import Foundation
import GRDB
import Vocabulary

// MARK: - What a field office's store hands to the central one

extension SQLiteStore {
    /// Every file of the store, in the order it was first seen.
    package func allFiles() async throws -> [StoredFile] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT file.*, batch.name AS batchName FROM file JOIN batch ON batch.id = file.batchId ORDER BY file.id")
                .map(Self.storedFile)
        }
    }

    /// A file's pages as they were stored: each read page with its readings (their values and
    /// statuses now, verified ones included), its image and older clips, each exception page with its exception.
    package func storedPages(fileID: Int64) async throws -> [StoredPage] {
        try await pool.read { db in
            let pages = try Row.fetchAll(db, sql: "SELECT * FROM page WHERE fileId = ? ORDER BY pageIndex", arguments: [fileID])
            return try pages.map { row in
                let pageID: Int64 = row["id"]
                let timingsJSON: String = row["timings"]
                var page = PageRecord(
                    fileID: fileID, pageIndex: row["pageIndex"], status: row["status"], form: row["form"], version: row["version"],
                    pageNumber: row["pageNumber"], serial: row["serial"], quarterTurns: row["quarterTurns"], residual: row["residualMM"],
                    marksUsed: row["marksUsed"],
                    timings: (try? JSONDecoder().decode([String: Double].self, from: Data(timingsJSON.utf8))) ?? [:])
                page.model = row["model"]
                page.image = try Data.fetchOne(db, sql: "SELECT bytes FROM pageImage WHERE pageId = ?", arguments: [pageID]).map { [UInt8]($0) } ?? []
                let readings = try Row.fetchAll(
                    db, sql: "SELECT reading.*, clip.png FROM reading LEFT JOIN clip ON clip.readingId = reading.id WHERE pageId = ? ORDER BY reading.id",
                    arguments: [pageID]
                ).map { r in
                    ReadingRecord(
                        fieldID: r["fieldId"], kind: r["kind"], value: r["value"], confidence: r["confidence"], status: r["status"],
                        reason: r["reason"], boxesJSON: r["boxes"], clip: Self.fieldClip(r), model: r["model"])
                }
                let exception = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT exception.*, batch.name AS batchName FROM exception LEFT JOIN batch ON batch.id = exception.batchId
                        WHERE pageId = ? ORDER BY exception.id LIMIT 1
                        """, arguments: [pageID]
                ).map(Self.exception)
                return StoredPage(page: page, readings: readings, exception: exception)
            }
        }
    }

    /// Exceptions about whole files, or about files that were never stored (a copy, an
    /// unreadable one), each with the content hash of its file when there is one.
    package func fileExceptions() async throws -> [(exception: ExceptionRecord, sha256: String?)] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT exception.*, batch.name AS batchName, file.sha256 FROM exception
                    LEFT JOIN batch ON batch.id = exception.batchId LEFT JOIN file ON file.id = exception.fileId
                    WHERE exception.pageId IS NULL ORDER BY exception.id
                    """
            ).map { (Self.exception($0), $0["sha256"]) }
        }
    }

    static func exception(_ row: Row) -> ExceptionRecord {
        ExceptionRecord(
            id: row["id"], batch: row["batchName"] ?? "", path: row["path"], pageIndex: row["pageIndex"], reason: row["reason"],
            detail: row["detail"], createdAt: row["createdAt"], pageID: row["pageId"])
    }
}
