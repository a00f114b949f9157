import Foundation
import Logging
import PostgresNIO
import Vocabulary

/// The store on a PostgreSQL server that many ingest machines and verifiers share (postgres-nio's
/// `PostgresClient` pool, no ORM). Files and review items are claimed with a lease, each in one
/// short transaction (`FOR UPDATE SKIP LOCKED`); pages are recognised, and items looked at,
/// outside any transaction.
package final class PostgresStore: PindaiStore {
    let pool: RenewingPool
    let logger: Logger
    /// Where the store is.
    package let server: PostgresLocation

    /// Where the store is, as messages show it (without its password).
    package var location: String { server.display }
    /// A server's store has no files on this machine that ingest could mistake for scans.
    package var ownFiles: Set<String> { [] }

    /// The core store in the same database, on the same connection pool.
    package func coreRecords() throws -> any CoreRecords { PostgresCoreStore(sharing: self) }

    private init(server: PostgresLocation, pool: RenewingPool, logger: Logger) {
        (self.server, self.pool, self.logger) = (server, pool, logger)
    }

    /// Connects to the server at `location` (`postgres://user@host:port/db`) and migrates it.
    package static func open(_ location: String) async throws -> PostgresStore {
        let parsed = try PostgresLocation(location)
        var logger = Logger(label: "pindai.store.postgres")
        logger.logLevel = .error
        let pool = RenewingPool(configuration: parsed.configuration, background: logger)
        do {
            try await migrate(pool, logger: logger)
        } catch {
            pool.close()
            throw StoreError("\(parsed.display): cannot open the store: \(String(reflecting: error))\n(check the server runs and the database exists)")
        }
        return PostgresStore(server: parsed, pool: pool, logger: logger)
    }

    /// Stops the connection pool.
    package func close() {
        pool.close()
    }

    // MARK: - Files

    /// The batch's id, creating it on first use. Two machines starting one batch at once both
    /// get its id: `DO UPDATE` locks and returns the row the other machine inserted, where
    /// `DO NOTHING` plus a `SELECT` would miss it (the statement's snapshot predates the insert).
    package func batchID(named name: String) async throws -> Int64 {
        let rows = try await pool.retryingQuery(
            """
            INSERT INTO batch (name, createdAt) VALUES (\(name), \(Date()))
            ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw StoreError("batch \(name) could not be created")
    }

    private static let fileColumns = "file.id, batch.name, file.path, file.sha256, file.size, file.pageCount, file.status, file.claimedBy, file.claimExpires"

    private typealias FileRow = (Int64, String, String, String, Int64, Int?, String, String?, Date?)

    private static func storedFile(_ r: FileRow) throws -> StoredFile {
        StoredFile(id: r.0, batch: r.1, path: r.2, sha256: r.3, size: r.4, pageCount: r.5, status: try word(r.6))
    }

    package func file(sha256: String) async throws -> StoredFile? {
        let rows = try await pool.retryingQuery(
            "SELECT \(unescaped: Self.fileColumns) FROM file JOIN batch ON batch.id = file.batchId WHERE sha256 = \(sha256)", logger: logger)
        for try await row in rows.decode(FileRow.self) { return try Self.storedFile(row) }
        return nil
    }

    /// Claims a file's content: the first sight inserts it claimed; otherwise the row is locked
    /// with `FOR UPDATE SKIP LOCKED` (a row another machine is claiming this instant is theirs)
    /// and taken over only when its holder is gone.
    package func claimFile(batchID: Int64, path: String, sha256: String, size: Int64, owner: IngestOwner) async throws -> FileClaim {
        let now = Date()
        let expires = now.addingTimeInterval(IngestOwner.lease)
        return try await pool.transaction(logger: logger) { [self] db in
            let inserted = try await db.query(
                """
                INSERT INTO file (batchId, path, sha256, size, status, addedAt, claimedBy, claimExpires)
                VALUES (\(batchID), \(path), \(sha256), \(size), \(FileStatus.reading.rawValue), \(now), \(owner.encoded), \(expires))
                ON CONFLICT (sha256) DO NOTHING RETURNING id
                """, logger: logger)
            for try await id in inserted.decode(Int64.self) { return .claimed(id: id, resumed: false) }
            let locked = try await db.query(
                """
                SELECT \(unescaped: Self.fileColumns) FROM file JOIN batch ON batch.id = file.batchId
                WHERE sha256 = \(sha256) FOR UPDATE OF file SKIP LOCKED
                """, logger: logger)
            var row: FileRow?
            for try await r in locked.decode(FileRow.self) { row = r }
            guard let row else {
                let other = try await self.file(sha256: sha256)
                guard let other else { throw StoreError("the file row for \(path) vanished while it was claimed") }
                return .heldElsewhere(other, owner: "another machine, claiming it now")
            }
            let existing = try Self.storedFile(row)
            guard existing.status == .reading else {
                return existing.path == path ? .alreadyStored(existing) : .duplicate(of: existing)
            }
            if let holder = row.7, let other = IngestOwner(encoded: holder), other.holds(expires: row.8, observer: owner, now: now) {
                if other.token == owner.token { return existing.path == path ? .alreadyStored(existing) : .duplicate(of: existing) }
                return .heldElsewhere(existing, owner: "\(other.host) pid \(other.pid)")
            }
            try await db.query(
                "UPDATE file SET claimedBy = \(owner.encoded), claimExpires = \(expires), path = \(path) WHERE id = \(existing.id)", logger: logger)
            return .claimed(id: existing.id, resumed: true)
        }
    }

    package func renewClaims(owner: IngestOwner) async throws {
        try await pool.retryingQuery(
            """
            UPDATE file SET claimExpires = \(Date().addingTimeInterval(IngestOwner.lease))
            WHERE claimedBy = \(owner.encoded) AND status = \(FileStatus.reading.rawValue)
            """, logger: logger)
    }

    package func setPageCount(fileID: Int64, pageCount: Int) async throws {
        try await pool.retryingQuery("UPDATE file SET pageCount = \(pageCount) WHERE id = \(fileID)", logger: logger)
    }

    package func storedPageIndexes(fileID: Int64) async throws -> Set<Int> {
        var indexes: Set<Int> = []
        for try await i in try await pool.retryingQuery("SELECT pageIndex FROM page WHERE fileId = \(fileID)", logger: logger).decode(Int.self) {
            indexes.insert(i)
        }
        return indexes
    }

    package func finishFile(id: Int64, status: FileStatus) async throws {
        try await pool.retryingQuery("UPDATE file SET status = \(status.rawValue), finishedAt = \(Date()) WHERE id = \(id)", logger: logger)
    }

    /// Every stored file's status, by path.
    package func fileStatuses() async throws -> [String: FileStatus] {
        var statuses: [String: FileStatus] = [:]
        for try await (path, status) in try await pool.retryingQuery("SELECT path, status FROM file ORDER BY id", logger: logger).decode((String, String).self) {
            if statuses[path] == nil { statuses[path] = try word(status) }
        }
        return statuses
    }
}
