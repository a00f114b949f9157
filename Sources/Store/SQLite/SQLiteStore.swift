import Foundation
import GRDB
import Vocabulary

/// The embedded store: one SQLite file in WAL mode (GRDB), readable by its owner only because
/// it holds names and NIK numbers.
package final class SQLiteStore: PindaiStore {
    let pool: DatabasePool
    /// The database file.
    package let path: String

    /// Seconds a writer waits for another process's write to finish before it gives up: many
    /// ingest and verifier processes share one file, and a page's transaction takes milliseconds.
    package static let busyTimeout: TimeInterval = 30

    /// The database file's path.
    package var location: String { path }
    /// The core store in the same file.
    package func coreRecords() throws -> any CoreRecords { try CoreStore(path: path) }

    /// The database file and SQLite's companions to it (WAL, shared memory, journal).
    package var ownFiles: Set<String> { Set(["", "-wal", "-shm", "-journal"].map { path + $0 }) }

    /// Opens (creating and migrating if needed) the store at `path`.
    package init(path: String) throws {
        self.path = path
        let previous = umask(0o077)
        defer { umask(previous) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        chmod(path, 0o600)
        try Self.migrate(pool)
    }

    /// Brings the schema up to date, also when another process opens a new store at the same
    /// moment: GRDB reads the applied migrations once, so a migration the other process committed
    /// meanwhile fails here ("duplicate column"). The attempt is then repeated from the new
    /// state, as long as the other process keeps making progress; a failure with no progress is
    /// a real one and is thrown.
    static func migrate(_ pool: DatabasePool) throws {
        let migrator = Self.migrator
        while true {
            let before = try pool.read { try migrator.appliedIdentifiers($0) }
            do {
                return try migrator.migrate(pool)
            } catch {
                let after = try pool.read { try migrator.appliedIdentifiers($0) }
                guard after.count > before.count else { throw error }
            }
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE batch (
                        id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, createdAt DATETIME NOT NULL,
                        expectedDocuments INTEGER, area TEXT);
                    CREATE TABLE file (
                        id INTEGER PRIMARY KEY, batchId INTEGER NOT NULL REFERENCES batch(id), path TEXT NOT NULL,
                        sha256 TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, pageCount INTEGER, status TEXT NOT NULL,
                        addedAt DATETIME NOT NULL, finishedAt DATETIME);
                    CREATE TABLE page (
                        id INTEGER PRIMARY KEY, fileId INTEGER NOT NULL REFERENCES file(id), pageIndex INTEGER NOT NULL,
                        status TEXT NOT NULL, form TEXT, version INTEGER, pageNumber INTEGER, serial INTEGER,
                        quarterTurns INTEGER, residualMM REAL, marksUsed INTEGER, timings TEXT NOT NULL DEFAULT '{}',
                        readAt DATETIME NOT NULL, UNIQUE(fileId, pageIndex));
                    CREATE UNIQUE INDEX page_identity ON page(form, version, serial, pageNumber) WHERE status = 'read';
                    CREATE TABLE reading (
                        id INTEGER PRIMARY KEY, pageId INTEGER NOT NULL REFERENCES page(id) ON DELETE CASCADE,
                        form TEXT NOT NULL, serial INTEGER NOT NULL, fieldId TEXT NOT NULL, kind TEXT NOT NULL, value TEXT,
                        confidence REAL NOT NULL, status TEXT NOT NULL, reason TEXT, boxes TEXT NOT NULL,
                        UNIQUE(pageId, fieldId));
                    CREATE INDEX reading_document ON reading(form, serial);
                    CREATE INDEX reading_status ON reading(status);
                    CREATE TABLE clip (
                        readingId INTEGER PRIMARY KEY REFERENCES reading(id) ON DELETE CASCADE, png BLOB NOT NULL);
                    CREATE TABLE exception (
                        id INTEGER PRIMARY KEY, batchId INTEGER REFERENCES batch(id), fileId INTEGER, pageId INTEGER,
                        path TEXT NOT NULL, pageIndex INTEGER, reason TEXT NOT NULL, detail TEXT NOT NULL,
                        createdAt DATETIME NOT NULL);
                    """)
        }
        m.registerMigration("v2-review") { db in
            try db.execute(
                sql: """
                    CREATE TABLE document (
                        form TEXT NOT NULL, version INTEGER NOT NULL, serial INTEGER NOT NULL, status TEXT NOT NULL,
                        warnings TEXT NOT NULL DEFAULT '[]', promotedAt DATETIME, PRIMARY KEY (form, version, serial));
                    CREATE TABLE reviewItem (
                        id INTEGER PRIMARY KEY, form TEXT NOT NULL, version INTEGER NOT NULL, serial INTEGER NOT NULL,
                        kind TEXT NOT NULL, rule TEXT NOT NULL, fields TEXT NOT NULL, reason TEXT NOT NULL,
                        confidence REAL NOT NULL, status TEXT NOT NULL, claimedBy TEXT, claimExpires DATETIME,
                        firstEntry TEXT, firstVerifier TEXT, createdAt DATETIME NOT NULL, decidedAt DATETIME,
                        UNIQUE(form, version, serial, kind, rule));
                    CREATE INDEX reviewItem_open ON reviewItem(status, confidence);
                    CREATE TABLE decision (
                        id INTEGER PRIMARY KEY, itemId INTEGER NOT NULL REFERENCES reviewItem(id), form TEXT NOT NULL,
                        serial INTEGER NOT NULL, fieldId TEXT NOT NULL, before TEXT, after TEXT, action TEXT NOT NULL,
                        verifier TEXT NOT NULL, at DATETIME NOT NULL, seconds REAL NOT NULL, keystrokes INTEGER NOT NULL);
                    CREATE INDEX decision_document ON decision(form, serial);
                    """)
        }
        m.registerMigration("v3-manifests") { db in
            try db.execute(sql: "ALTER TABLE batch ADD COLUMN expectedSerials TEXT")
        }
        // Looking documents up by a value: the sets of a family by their identity strip, a NIK
        // in other documents.
        m.registerMigration("v4-reading-values") { db in
            try db.execute(sql: "CREATE INDEX reading_value ON reading(fieldId, value)")
        }
        // Seconds per page in each stage, kept as histogram buckets as pages are stored, so a
        // metrics scrape reads a few rows however many pages the store holds.
        m.registerMigration("v5-stage-seconds") { db in
            try db.execute(
                sql: """
                    CREATE TABLE stageSeconds (
                        stage TEXT NOT NULL, bucket INTEGER NOT NULL, pages INTEGER NOT NULL, seconds REAL NOT NULL,
                        PRIMARY KEY (stage, bucket))
                    """)
            for json in try String.fetchAll(db, sql: "SELECT timings FROM page") {
                let timings = (try? JSONDecoder().decode([String: Double].self, from: Data(json.utf8))) ?? [:]
                try Self.addStageSeconds(timings, db: db)
            }
        }
        // Files are claimed by a run (owner and lease) in one statement, so two copies of one
        // content, or two ingest processes, never both read it.
        m.registerMigration("v6-file-claims") { db in
            try db.execute(sql: "ALTER TABLE file ADD COLUMN claimedBy TEXT")
            try db.execute(sql: "ALTER TABLE file ADD COLUMN claimExpires DATETIME")
        }
        // Which digit model read each page.
        m.registerMigration("v8-page-model") { db in
            try db.execute(sql: "ALTER TABLE page ADD COLUMN model TEXT")
        }
        // Pages a supervisor declared lost (the document goes on without them, or is rejected).
        m.registerMigration("v7-lost-pages") { db in
            try db.execute(sql: "ALTER TABLE document ADD COLUMN lostPages TEXT NOT NULL DEFAULT '[]'")
        }
        m.registerMigration("v10-area-reference") { db in
            try db.execute(sql: "CREATE TABLE areaReference (code TEXT PRIMARY KEY, name TEXT NOT NULL)")
        }
        // Every claim of a review item gets a token; decisions and renewals name it.
        m.registerMigration("v11-claim-tokens") { db in
            try db.execute(sql: "ALTER TABLE reviewItem ADD COLUMN claimToken TEXT")
        }
        m.registerMigration("v9-hot-folders") { db in
            try db.execute(
                sql: """
                    CREATE TABLE hotFolder (
                        folder TEXT PRIMARY KEY, backlogFiles INTEGER NOT NULL, backlogBytes INTEGER NOT NULL,
                        filesTaken INTEGER NOT NULL, stopped BOOLEAN NOT NULL, updatedAt DATETIME NOT NULL)
                    """)
        }
        // The store's default digit model (`pindai model use`), and the model of a field re-read
        // by another one than its page's (`pindai reread`).
        m.registerMigration("v12-models") { db in
            try db.execute(sql: "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute(sql: "ALTER TABLE reading ADD COLUMN model TEXT")
        }
        // Each read page's image, stored once; a field's clip is a rectangle of it, cut on demand
        // (clips stored before stay in `clip`).
        m.registerMigration("v13-page-images") { db in
            try db.execute(sql: "CREATE TABLE pageImage (pageId INTEGER PRIMARY KEY REFERENCES page(id) ON DELETE CASCADE, bytes BLOB NOT NULL)")
            try db.execute(sql: "ALTER TABLE reading ADD COLUMN clipRect TEXT")
        }
        return m
    }

    /// Claims a file's content for `owner` (see ``CaptureStore/claimFile(batchID:path:sha256:size:owner:)``).
    package func claimFile(batchID: Int64, path: String, sha256: String, size: Int64, owner: IngestOwner) async throws -> FileClaim {
        let now = Date()
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO file (batchId, path, sha256, size, status, addedAt, claimedBy, claimExpires)
                    VALUES (?, ?, ?, ?, \(FileStatus.reading.sql), ?, ?, ?) ON CONFLICT(sha256) DO NOTHING
                    """, arguments: [batchID, path, sha256, size, now, owner.encoded, now.addingTimeInterval(IngestOwner.lease)])
            if db.changesCount == 1 { return .claimed(id: db.lastInsertedRowID, resumed: false) }
            guard let row = try Row.fetchOne(
                db, sql: "SELECT file.*, batch.name AS batchName FROM file JOIN batch ON batch.id = file.batchId WHERE sha256 = ?",
                arguments: [sha256])
            else { throw StoreError("the file row for \(path) vanished while it was claimed") }
            let existing = Self.storedFile(row)
            guard existing.status == .reading else {
                return existing.path == path ? .alreadyStored(existing) : .duplicate(of: existing)
            }
            let holder: String? = row["claimedBy"]
            let expires: Date? = row["claimExpires"]
            if let holder, let other = IngestOwner(encoded: holder), other.holds(expires: expires, observer: owner, now: now) {
                if other.token == owner.token { return existing.path == path ? .alreadyStored(existing) : .duplicate(of: existing) }
                return .heldElsewhere(existing, owner: "\(other.host) pid \(other.pid)")
            }
            // The earlier reader is gone: resume its file under this path.
            try db.execute(
                sql: "UPDATE file SET claimedBy = ?, claimExpires = ?, path = ? WHERE id = ?",
                arguments: [owner.encoded, now.addingTimeInterval(IngestOwner.lease), path, existing.id])
            return .claimed(id: existing.id, resumed: true)
        }
    }

    /// Extends the lease on every file `owner` is reading.
    package func renewClaims(owner: IngestOwner) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE file SET claimExpires = ? WHERE claimedBy = ? AND status = \(FileStatus.reading.sql)",
                arguments: [Date().addingTimeInterval(IngestOwner.lease), owner.encoded])
        }
    }

    static func storedFile(_ row: Row) -> StoredFile {
        StoredFile(
            id: row["id"], batch: row["batchName"], path: row["path"], sha256: row["sha256"], size: row["size"],
            pageCount: row["pageCount"], status: row["status"])
    }

    /// The batch id for `name`, created on first use.
    package func batchID(named name: String) async throws -> Int64 {
        try await pool.write { db in
            if let id = try Int64.fetchOne(db, sql: "SELECT id FROM batch WHERE name = ?", arguments: [name]) { return id }
            try db.execute(sql: "INSERT INTO batch (name, createdAt) VALUES (?, ?)", arguments: [name, Date()])
            return db.lastInsertedRowID
        }
    }

    /// The file with this content, if any was ever ingested.
    package func file(sha256: String) async throws -> StoredFile? {
        try await pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT file.*, batch.name AS batchName FROM file JOIN batch ON batch.id = file.batchId WHERE sha256 = ?
                    """, arguments: [sha256]
            ).map(Self.storedFile)
        }
    }

    /// Records the page count once the file is opened.
    package func setPageCount(fileID: Int64, pageCount: Int) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE file SET pageCount = ? WHERE id = ?", arguments: [pageCount, fileID])
        }
    }

    /// Page indexes of the file already stored, for resuming a killed run.
    package func storedPageIndexes(fileID: Int64) async throws -> Set<Int> {
        try await pool.read { db in
            Set(try Int.fetchAll(db, sql: "SELECT pageIndex FROM page WHERE fileId = ?", arguments: [fileID]))
        }
    }

    /// Stores a page with its image and readings in one transaction; a page already stored is
    /// left alone, and a second copy of a document page becomes a `duplicate-page` exception.
    package func savePage(_ page: PageRecord, readings: [ReadingRecord], exception: ExceptionRecord?) async throws -> PageSaveOutcome {
        let timings = String(decoding: try JSONEncoder().encode(page.timings), as: UTF8.self)
        return try await pool.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM page WHERE fileId = ? AND pageIndex = ?", arguments: [page.fileID, page.pageIndex]) == true {
                return .alreadyStored
            }
            var status = page.status
            var outcome = PageSaveOutcome.saved
            var exception = exception
            if status == .read, let form = page.form, let serial = page.serial, let number = page.pageNumber,
                let other = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT file.path, page.pageIndex FROM page JOIN file ON file.id = page.fileId
                        WHERE page.form = ? AND page.version = ? AND page.serial = ? AND page.pageNumber = ? AND page.status = \(PageStatus.read.sql)
                        """, arguments: [form, page.version, serial, number])
            {
                let otherPath: String = other["path"]
                let otherIndex: Int = other["pageIndex"]
                status = .exception
                outcome = .duplicatePage(otherPath: otherPath, otherIndex: otherIndex)
                exception = ExceptionRecord(
                    batch: exception?.batch ?? "", path: exception?.path ?? "", pageIndex: page.pageIndex, reason: .duplicatePage,
                    detail: "page \(number) of \(form) document \(serial) was already read from \(otherPath) page \(otherIndex + 1); this copy is not used (rescan only if that one was wrong)")
            }
            try db.execute(
                sql: """
                    INSERT INTO page (fileId, pageIndex, status, form, version, pageNumber, serial, quarterTurns, residualMM,
                                      marksUsed, timings, readAt, model)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    page.fileID, page.pageIndex, status, page.form, page.version, page.pageNumber, page.serial, page.quarterTurns,
                    page.residual, page.marksUsed, timings, Date(), status == .read ? page.model : nil,
                ])
            let pageID = db.lastInsertedRowID
            try Self.addStageSeconds(page.timings, db: db)
            // An exception page's image is kept too, for the person who decides what to do with it.
            if !page.image.isEmpty {
                try db.execute(sql: "INSERT INTO pageImage (pageId, bytes) VALUES (?, ?)", arguments: [pageID, Data(page.image)])
            }
            if status == .read, let form = page.form, let serial = page.serial {
                for r in readings {
                    try db.execute(
                        sql: """
                            INSERT INTO reading (pageId, form, serial, fieldId, kind, value, confidence, status, reason, boxes, model, clipRect)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            pageID, form, serial, r.fieldID, r.kind, r.value, r.confidence, r.status, r.reason, r.boxesJSON, r.model,
                            r.clip?.regionText,
                        ])
                    if let png = r.clip?.png, !png.isEmpty {
                        try db.execute(sql: "INSERT INTO clip (readingId, png) VALUES (?, ?)", arguments: [db.lastInsertedRowID, Data(png)])
                    }
                }
            }
            if status == .exception, let e = exception {
                try Self.insert(e, fileID: page.fileID, pageID: pageID, db: db)
            }
            return outcome
        }
    }

    /// Counts one page's stage seconds into their histogram buckets.
    static func addStageSeconds(_ timings: [String: Double], db: Database) throws {
        for (stage, seconds) in timings {
            try db.execute(
                sql: """
                    INSERT INTO stageSeconds (stage, bucket, pages, seconds) VALUES (?, ?, 1, ?)
                    ON CONFLICT(stage, bucket) DO UPDATE SET pages = pages + 1, seconds = seconds + excluded.seconds
                    """, arguments: [stage, StageHistogram.bucket(of: seconds), seconds])
        }
    }

    private static func insert(_ e: ExceptionRecord, fileID: Int64?, pageID: Int64?, db: Database) throws {
        let batchID = try Int64.fetchOne(db, sql: "SELECT id FROM batch WHERE name = ?", arguments: [e.batch])
        try db.execute(
            sql: """
                INSERT INTO exception (batchId, fileId, pageId, path, pageIndex, reason, detail, createdAt)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [batchID, fileID, pageID, e.path, e.pageIndex, e.reason, e.detail, e.createdAt])
    }

    /// Stores an exception about a whole file, once per path, reason and file.
    @discardableResult
    package func saveException(_ exception: ExceptionRecord, fileID: Int64?) async throws -> Bool {
        try await pool.write { db in
            let seen = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM exception WHERE path = ? AND reason = ? AND fileId IS ? AND pageId IS NULL AND pageIndex IS ?",
                arguments: [exception.path, exception.reason, fileID, exception.pageIndex]) ?? false
            guard !seen else { return false }
            try Self.insert(exception, fileID: fileID, pageID: nil, db: db)
            return true
        }
    }

    /// Marks a file `done` or `failed`.
    package func finishFile(id: Int64, status: FileStatus) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE file SET status = ?, finishedAt = ? WHERE id = ?", arguments: [status, Date(), id])
        }
    }

    /// Exceptions, oldest first, optionally for one batch.
    package func exceptions(batch: String?) async throws -> [ExceptionRecord] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT exception.*, batch.name AS batchName FROM exception LEFT JOIN batch ON batch.id = exception.batchId
                    WHERE ? IS NULL OR batch.name = ? ORDER BY exception.id
                    """, arguments: [batch, batch])
            return rows.map(Self.exception)
        }
    }

    /// Documents assembled from read pages, with their field counts.
    package func documents(batch: String?) async throws -> [DocumentSummary] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT page.form, page.version, page.serial, group_concat(page.pageNumber) AS pages,
                           (SELECT count(*) FROM reading r WHERE r.form = page.form AND r.serial = page.serial) AS fields,
                           (SELECT count(*) FROM reading r WHERE r.form = page.form AND r.serial = page.serial AND r.status = \(ReadingStatus.accepted.sql)) AS accepted,
                           (SELECT count(*) FROM reading r WHERE r.form = page.form AND r.serial = page.serial AND r.status = \(ReadingStatus.queued.sql)) AS queued
                    FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                    WHERE page.status = \(PageStatus.read.sql) AND (? IS NULL OR batch.name = ?)
                    GROUP BY page.form, page.version, page.serial ORDER BY page.form, page.serial
                    """, arguments: [batch, batch])
            return rows.map { row in
                let pages = ((row["pages"] as String?) ?? "").split(separator: ",").compactMap { Int($0) }.sorted()
                return DocumentSummary(
                    form: row["form"], version: row["version"], serial: row["serial"], pages: pages, fields: row["fields"],
                    accepted: row["accepted"], queued: row["queued"])
            }
        }
    }

    /// Every reading of one document, in page and field order.
    package func readings(form: String, serial: Int) async throws -> [ReadingRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT reading.fieldId, reading.kind, reading.value, reading.confidence, reading.status, reading.reason, reading.boxes,
                      COALESCE(reading.model, page.model) AS model
                    FROM reading JOIN page ON page.id = reading.pageId
                    WHERE reading.form = ? AND reading.serial = ? ORDER BY reading.id
                    """,
                arguments: [form, serial]
            ).map {
                ReadingRecord(
                    fieldID: $0["fieldId"], kind: $0["kind"], value: $0["value"], confidence: $0["confidence"], status: $0["status"],
                    reason: $0["reason"], boxesJSON: $0["boxes"], model: $0["model"])
            }
        }
    }

    package func storageBytes() async throws -> (total: Int64, images: Int64) {
        try await pool.read { db in
            let pages = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let size = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            let images = try Int64.fetchOne(
                db, sql: "SELECT (SELECT coalesce(sum(length(bytes)), 0) FROM pageImage) + (SELECT coalesce(sum(length(png)), 0) FROM clip)") ?? 0
            return (pages * size, images)
        }
    }

    /// Where a stored reading's picture is: its rectangle of the page image, or its own clip.
    static func fieldClip(_ row: Row) -> FieldClip? {
        if let region = FieldClip(regionText: row["clipRect"]) { return region }
        if let png = row["png"] as Data?, !png.isEmpty { return .png([UInt8](png)) }
        return nil
    }

    /// A page's stored image (G4 TIFF or PNG), nil when none was kept.
    package func pageImage(id: Int64) async throws -> [UInt8]? {
        try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT bytes FROM pageImage WHERE pageId = ?", arguments: [id]).map { [UInt8]($0) }
        }
    }

    /// Counts for summaries and benchmarks.
    package func counts(batch: String?) async throws -> (pages: Int, exceptions: Int, accepted: Int, queued: Int, image: Int) {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT
                      (SELECT count(*) FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                         WHERE page.status = \(PageStatus.read.sql) AND (?1 IS NULL OR batch.name = ?1)) AS pages,
                      (SELECT count(*) FROM exception LEFT JOIN batch ON batch.id = exception.batchId WHERE ?1 IS NULL OR batch.name = ?1) AS exceptions,
                      (SELECT count(*) FROM reading JOIN page ON page.id = reading.pageId JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                         WHERE reading.status = \(ReadingStatus.accepted.sql) AND (?1 IS NULL OR batch.name = ?1)) AS accepted,
                      (SELECT count(*) FROM reading JOIN page ON page.id = reading.pageId JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                         WHERE reading.status = \(ReadingStatus.queued.sql) AND (?1 IS NULL OR batch.name = ?1)) AS queued,
                      (SELECT count(*) FROM reading JOIN page ON page.id = reading.pageId JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                         WHERE reading.status = \(ReadingStatus.image.sql) AND (?1 IS NULL OR batch.name = ?1)) AS image
                    """, arguments: [batch])!
            return (row["pages"], row["exceptions"], row["accepted"], row["queued"], row["image"])
        }
    }

    /// How many read pages each digit model read (`none` for pages read without one).
    package func pagesByModel() async throws -> [String: Int] {
        try await pool.read { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT COALESCE(model, 'none') AS model, count(*) AS n FROM page WHERE status = \(PageStatus.read.sql) GROUP BY 1")
                    .map { ($0["model"] as String, $0["n"] as Int) },
                uniquingKeysWith: +)
        }
    }

    /// Every stored file's path and status, by path.
    package func fileStatuses() async throws -> [String: FileStatus] {
        try await pool.read { db in
            Dictionary(
                try Row.fetchAll(db, sql: "SELECT path, status FROM file").map { ($0["path"] as String, $0["status"] as FileStatus) },
                uniquingKeysWith: { a, _ in a })
        }
    }

    /// Per-stage time totals (seconds) over read pages.
    package func stageTimings(batch: String?) async throws -> [String: Double] {
        let all = try await pool.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT page.timings FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                    WHERE ? IS NULL OR batch.name = ?
                    """, arguments: [batch, batch])
        }
        var totals: [String: Double] = [:]
        for json in all {
            if let t = try? JSONDecoder().decode([String: Double].self, from: Data(json.utf8)) {
                for (k, v) in t { totals[k, default: 0] += v }
            }
        }
        return totals
    }
}

extension SQLiteStore {
    /// Moves everything from the write-ahead log into the database file (before copying it).
    package func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
