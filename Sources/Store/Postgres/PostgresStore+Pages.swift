import Foundation
import PostgresNIO
import Vocabulary

// MARK: - Pages, readings and exceptions

extension PostgresStore {
    /// Stores a page with its image and readings in one transaction. A document page is locked
    /// by its identity (an advisory lock on form, version, serial and page) before the check for
    /// an earlier copy, so two machines storing the same page at once give one read page and
    /// one `duplicate-page` exception, never two read pages. A file's pages are written only by
    /// the holder of its claim, so the page's own row needs no lock.
    package func savePage(_ page: PageRecord, readings: [ReadingRecord], exception: ExceptionRecord?) async throws -> PageSaveOutcome {
        let timings = String(decoding: try JSONEncoder().encode(page.timings), as: UTF8.self)
        return try await pool.transaction(logger: logger) { [self] db in
            if let form = page.form, let serial = page.serial, let number = page.pageNumber {
                let key = "\(form)|\(page.version ?? 0)|\(serial)|\(number)"
                try await db.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
            }
            for try await _ in try await db.query(
                "SELECT 1 FROM page WHERE fileId = \(page.fileID) AND pageIndex = \(page.pageIndex)", logger: logger
            ).decode(Int.self) {
                return .alreadyStored
            }
            var status = page.status
            var outcome = PageSaveOutcome.saved
            var exception = exception
            if status == .read, let form = page.form, let serial = page.serial, let number = page.pageNumber {
                let others = try await db.query(
                    """
                    SELECT file.path, page.pageIndex FROM page JOIN file ON file.id = page.fileId
                    WHERE page.form = \(form) AND page.version = \(page.version) AND page.serial = \(serial)
                      AND page.pageNumber = \(number) AND page.status = \(PageStatus.read.rawValue)
                    """, logger: logger)
                for try await (otherPath, otherIndex) in others.decode((String, Int).self) {
                    status = .exception
                    outcome = .duplicatePage(otherPath: otherPath, otherIndex: otherIndex)
                    exception = ExceptionRecord(
                        batch: exception?.batch ?? "", path: exception?.path ?? "", pageIndex: page.pageIndex, reason: .duplicatePage,
                        detail: "page \(number) of \(form) document \(serial) was already read from \(otherPath) page \(otherIndex + 1); this copy is not used (rescan only if that one was wrong)")
                }
            }
            let model = status == .read ? page.model : nil
            var pageID: Int64 = 0
            for try await id in try await db.query(
                """
                INSERT INTO page (fileId, pageIndex, status, form, version, pageNumber, serial, quarterTurns, residualMM,
                                  marksUsed, timings, readAt, model)
                VALUES (\(page.fileID), \(page.pageIndex), \(status.rawValue), \(page.form), \(page.version), \(page.pageNumber), \(page.serial),
                        \(page.quarterTurns), \(page.residual), \(page.marksUsed), \(timings), \(Date()), \(model))
                RETURNING id
                """, logger: logger
            ).decode(Int64.self) {
                pageID = id
            }
            // In one order on every machine, so two pages stored at once never wait on each other's rows.
            for (stage, seconds) in page.timings.sorted(by: { $0.key < $1.key }) {
                try await db.query(
                    """
                    INSERT INTO stageSeconds (stage, bucket, pages, seconds) VALUES (\(stage), \(StageHistogram.bucket(of: seconds)), 1, \(seconds))
                    ON CONFLICT (stage, bucket) DO UPDATE SET pages = stageSeconds.pages + 1, seconds = stageSeconds.seconds + excluded.seconds
                    """, logger: logger)
            }
            // An exception page's image is kept too, for the person who decides what to do with it.
            if !page.image.isEmpty {
                try await db.query("INSERT INTO pageImage (pageId, bytes) VALUES (\(pageID), \(ByteBuffer(bytes: page.image)))", logger: logger)
            }
            if status == .read, let form = page.form, let serial = page.serial, !readings.isEmpty {
                // A page's ~350 readings in one statement (arrays, unnested by the server), not a
                // round trip each. Arrays carry no NULL here, so the nullable columns travel with a
                // flag saying which entries are present. Clips kept as PNGs of their own (pushed
                // from a store written before page images were kept) go with them.
                let clips = readings.compactMap { r in r.clip?.png.map { (r.fieldID, $0) } }
                try await db.query(
                    """
                    WITH r AS (
                      INSERT INTO reading (pageId, form, serial, fieldId, kind, value, confidence, status, reason, boxes, model, clipRect)
                      SELECT \(pageID), \(form), \(serial), t.f, t.k, CASE WHEN t.hv THEN t.v END, t.c, t.s, CASE WHEN t.hr THEN t.r END, t.b,
                             CASE WHEN t.hm THEN t.m END, NULLIF(t.cr, '')
                      FROM unnest(\(readings.map(\.fieldID)), \(readings.map(\.kind)), \(readings.map { $0.value ?? "" }), \(readings.map { $0.value != nil }),
                                  \(readings.map(\.confidence)), \(readings.map(\.status.rawValue)), \(readings.map { $0.reason ?? "" }),
                                  \(readings.map { $0.reason != nil }), \(readings.map(\.boxesJSON)), \(readings.map { $0.model ?? "" }),
                                  \(readings.map { $0.model != nil }), \(readings.map { $0.clip?.regionText ?? "" }))
                           WITH ORDINALITY AS t(f, k, v, hv, c, s, r, hr, b, m, hm, cr, n)
                      ORDER BY t.n
                      RETURNING id, fieldId)
                    INSERT INTO clip (readingId, png)
                    SELECT r.id, c.png FROM r JOIN unnest(\(clips.map(\.0)), \(clips.map { ByteBuffer(bytes: $0.1) })) AS c(f, png) ON c.f = r.fieldId
                    """, logger: logger)
            }
            if status == .exception, let exception {
                try await Self.insert(exception, fileID: page.fileID, pageID: pageID, db: db, logger: logger)
            }
            return outcome
        }
    }

    private static func insert(_ e: ExceptionRecord, fileID: Int64?, pageID: Int64?, db: PostgresConnection, logger: Logger) async throws {
        try await db.query(
            """
            INSERT INTO exception (batchId, fileId, pageId, path, pageIndex, reason, detail, createdAt)
            VALUES ((SELECT id FROM batch WHERE name = \(e.batch)), \(fileID), \(pageID), \(e.path), \(e.pageIndex), \(e.reason.rawValue), \(e.detail), \(e.createdAt))
            """, logger: logger)
    }

    /// Stores an exception about a whole file, once per path, reason and file (locked by path,
    /// so two machines seeing the same bad file record it once).
    @discardableResult
    package func saveException(_ exception: ExceptionRecord, fileID: Int64?) async throws -> Bool {
        try await pool.transaction(logger: logger) { [self] db in
            try await db.query("SELECT pg_advisory_xact_lock(hashtext(\(exception.path)))", logger: logger)
            for try await _ in try await db.query(
                """
                SELECT 1 FROM exception WHERE path = \(exception.path) AND reason = \(exception.reason.rawValue) AND fileId IS NOT DISTINCT FROM \(fileID)
                  AND pageId IS NULL AND pageIndex IS NOT DISTINCT FROM \(exception.pageIndex)
                """, logger: logger
            ).decode(Int.self) {
                return false
            }
            try await Self.insert(exception, fileID: fileID, pageID: nil, db: db, logger: logger)
            return true
        }
    }

    package func exceptions(batch: String?) async throws -> [ExceptionRecord] {
        let rows = try await pool.retryingQuery(
            """
            SELECT exception.id, batch.name, exception.path, exception.pageIndex, exception.reason, exception.detail, exception.createdAt,
                   exception.pageId
            FROM exception LEFT JOIN batch ON batch.id = exception.batchId
            WHERE \(batch)::text IS NULL OR batch.name = \(batch) ORDER BY exception.id
            """, logger: logger)
        var out: [ExceptionRecord] = []
        for try await (id, name, path, index, reason, detail, at, pageID) in rows.decode((Int64, String?, String, Int?, String, String, Date, Int64?).self) {
            out.append(
                ExceptionRecord(
                    id: id, batch: name ?? "", path: path, pageIndex: index, reason: try word(reason), detail: detail, createdAt: at, pageID: pageID))
        }
        return out
    }

    package func documents(batch: String?) async throws -> [DocumentSummary] {
        let rows = try await pool.retryingQuery(
            """
            SELECT page.form, page.version, page.serial, string_agg(page.pageNumber::text, ','),
                   (SELECT count(*) FROM reading r WHERE r.form = page.form AND r.serial = page.serial),
                   (SELECT count(*) FROM reading r WHERE r.form = page.form AND r.serial = page.serial AND r.status = \(ReadingStatus.accepted.rawValue)),
                   (SELECT count(*) FROM reading r WHERE r.form = page.form AND r.serial = page.serial AND r.status = \(ReadingStatus.queued.rawValue))
            FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
            WHERE page.status = \(PageStatus.read.rawValue) AND (\(batch)::text IS NULL OR batch.name = \(batch))
            GROUP BY page.form, page.version, page.serial ORDER BY page.form, page.serial
            """, logger: logger)
        var out: [DocumentSummary] = []
        for try await (form, version, serial, pages, fields, accepted, queued) in rows.decode((String, Int, Int, String?, Int, Int, Int).self) {
            let numbers = (pages ?? "").split(separator: ",").compactMap { Int($0) }.sorted()
            out.append(DocumentSummary(form: form, version: version, serial: serial, pages: numbers, fields: fields, accepted: accepted, queued: queued))
        }
        return out
    }

    package func pagesByModel() async throws -> [String: Int] {
        var out: [String: Int] = [:]
        let rows = try await pool.retryingQuery(
            "SELECT COALESCE(model, 'none'), count(*) FROM page WHERE status = \(PageStatus.read.rawValue) GROUP BY 1", logger: logger)
        for try await (model, n) in rows.decode((String, Int).self) { out[model, default: 0] += n }
        return out
    }

    package func readings(form: String, serial: Int) async throws -> [ReadingRecord] {
        let rows = try await pool.retryingQuery(
            """
            SELECT reading.fieldId, reading.kind, reading.value, reading.confidence, reading.status, reading.reason, reading.boxes,
              COALESCE(reading.model, page.model)
            FROM reading JOIN page ON page.id = reading.pageId
            WHERE reading.form = \(form) AND reading.serial = \(serial) ORDER BY reading.id
            """,
            logger: logger)
        var out: [ReadingRecord] = []
        for try await (field, kind, value, confidence, status, reason, boxes, model) in rows.decode(
            (String, String, String?, Double, String, String?, String, String?).self)
        {
            out.append(
                ReadingRecord(
                    fieldID: field, kind: kind, value: value, confidence: confidence, status: try word(status), reason: reason, boxesJSON: boxes,
                    model: model))
        }
        return out
    }

    /// Where a field's picture is, nil when none was stored.
    package func fieldImage(form: String, serial: Int, fieldID: String) async throws -> FieldImage? {
        let rows = try await pool.retryingQuery(
            """
            SELECT reading.pageId, reading.clipRect, clip.png FROM reading LEFT JOIN clip ON clip.readingId = reading.id
            WHERE reading.form = \(form) AND reading.serial = \(serial) AND reading.fieldId = \(fieldID)
            """, logger: logger)
        for try await (pageID, rect, png) in rows.decode((Int64, String?, ByteBuffer?).self) {
            return Self.fieldClip(rect: rect, png: png).map { FieldImage(pageID: pageID, clip: $0) }
        }
        return nil
    }

    /// A page's stored image (G4 TIFF or PNG), nil when none was kept.
    package func pageImage(id: Int64) async throws -> [UInt8]? {
        let rows = try await pool.retryingQuery("SELECT bytes FROM pageImage WHERE pageId = \(id)", logger: logger)
        for try await bytes in rows.decode(ByteBuffer.self) { return Array(buffer: bytes) }
        return nil
    }

    /// Where a stored reading's picture is: its rectangle of the page image, or its own clip.
    static func fieldClip(rect: String?, png: ByteBuffer?) -> FieldClip? {
        if let region = FieldClip(regionText: rect) { return region }
        if let png, png.readableBytes > 0 { return .png(Array(buffer: png)) }
        return nil
    }

    /// Template page numbers read for a document.
    package func pageNumbers(form: String, version: Int, serial: Int) async throws -> Set<Int> {
        var out: Set<Int> = []
        let rows = try await pool.retryingQuery(
            "SELECT pageNumber FROM page WHERE form = \(form) AND version = \(version) AND serial = \(serial) AND status = \(PageStatus.read.rawValue)",
            logger: logger)
        for try await n in rows.decode(Int.self) { out.insert(n) }
        return out
    }

    package func reportHotFolder(_ report: HotFolderReport) async throws {
        try await pool.retryingQuery(
            """
            INSERT INTO hotFolder (folder, backlogFiles, backlogBytes, filesTaken, stopped, updatedAt)
            VALUES (\(report.folder), \(report.backlogFiles), \(report.backlogBytes), \(report.filesTaken), \(report.stopped), \(Date()))
            ON CONFLICT (folder) DO UPDATE SET backlogFiles = excluded.backlogFiles, backlogBytes = excluded.backlogBytes,
              filesTaken = excluded.filesTaken, stopped = excluded.stopped, updatedAt = excluded.updatedAt
            """, logger: logger)
    }
}

extension PostgresLocation {
    /// Creates an empty database `name` on this location's server (connecting to this
    /// location's database to do so) and returns its location: a new store, for tests and for
    /// setting up a province's server.
    package func creatingDatabase(_ name: String) async throws -> PostgresLocation {
        try await administer(name) { "CREATE DATABASE \($0)" }
        var created = self
        created.database = name
        return created
    }

    /// Drops database `name` on this server (the bench's own, once measured).
    package func droppingDatabase(_ name: String) async throws {
        try await administer(name) { "DROP DATABASE IF EXISTS \($0) WITH (FORCE)" }
    }

    /// Runs one statement about database `name` (which cannot be a bound parameter, so it must
    /// be a plain identifier) on a short-lived connection to this location's database.
    private func administer(_ name: String, _ statement: (String) -> String) async throws {
        guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { throw StoreError("\(name): a database name is letters, digits and _") }
        let client = PostgresClient(configuration: configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        try await client.query(PostgresQuery(unsafeSQL: statement(name)))
    }

    /// The location as a URL string (with its password, for opening it).
    package var url: String {
        "postgres://\(user)\(password.map { ":" + $0 } ?? "")@\(host):\(port)/\(database)"
    }
}
