import Foundation
import PostgresNIO
import Vocabulary

// MARK: - Documents on their way to the core store

extension PostgresStore {
    package func documentState(form: String, version: Int, serial: Int) async throws -> DocumentState {
        try await pool.retryingQuery(
            """
            INSERT INTO document (form, version, serial, status) VALUES (\(form), \(version), \(serial), \(DocumentStatus.open.rawValue))
            ON CONFLICT DO NOTHING
            """, logger: logger)
        let rows = try await pool.retryingQuery(
            "SELECT status, warnings, lostPages FROM document WHERE form = \(form) AND version = \(version) AND serial = \(serial)", logger: logger)
        for try await (status, warnings, lost) in rows.decode((String, String, String).self) {
            return DocumentState(
                form: form, version: version, serial: serial, status: try word(status),
                warnings: (try? JSONDecoder().decode([String].self, from: Data(warnings.utf8))) ?? [], lostPages: Self.lostPages(lost))
        }
        throw StoreError("document \(serial) vanished while its state was read")
    }

    private static func lostPages(_ json: String?) -> [Int] {
        (try? JSONDecoder().decode([Int].self, from: Data((json ?? "[]").utf8))) ?? []
    }

    package func declarePageLost(
        form: String, version: Int, serial: Int, page: Int, missing: [Int], supervisor: String, reason: String, reject: Bool
    ) async throws {
        try await pool.transaction(logger: logger) { [self] db in
            var itemID: Int64?
            for try await id in try await db.query(
                """
                SELECT id FROM reviewItem WHERE form = \(form) AND version = \(version) AND serial = \(serial)
                  AND kind = \(ReviewItemKind.record.rawValue) AND rule = \(missingPagesRule) FOR UPDATE
                """, logger: self.logger
            ).decode(Int64.self) {
                itemID = id
            }
            guard let itemID else { throw StoreError("document \(serial) has no missing-pages item") }
            var lost: Set<Int> = []
            for try await json in try await db.query(
                "SELECT lostPages FROM document WHERE form = \(form) AND version = \(version) AND serial = \(serial) FOR UPDATE", logger: self.logger
            ).decode(String.self) {
                lost = Set(Self.lostPages(json))
            }
            lost.insert(page)
            let json = String(decoding: try JSONEncoder().encode(lost.sorted()), as: UTF8.self)
            let now = Date()
            try await db.query(
                """
                UPDATE document SET lostPages = \(json), status = CASE WHEN \(reject) THEN \(DocumentStatus.rejected.rawValue) ELSE status END
                WHERE form = \(form) AND version = \(version) AND serial = \(serial)
                """, logger: self.logger)
            let action: DecisionAction = reject ? .documentRejected : .pageLost
            try await db.query(
                """
                INSERT INTO decision (itemId, form, serial, fieldId, before, after, action, verifier, at, seconds, keystrokes)
                VALUES (\(itemID), \(form), \(serial), \("page \(page)"), 'missing', \(reason), \(action.rawValue), \(supervisor), \(now), 0, 0)
                """, logger: self.logger)
            if reject {
                // Nothing of a rejected document needs anyone any more.
                try await db.query(
                    """
                    UPDATE reviewItem SET status = \(ReviewItemStatus.resolved.rawValue), claimedBy = NULL, claimExpires = NULL, claimToken = NULL, decidedAt = \(now)
                    WHERE form = \(form) AND version = \(version) AND serial = \(serial) AND status NOT IN (\(unescaped: ReviewItemStatus.finished.sqlList))
                    """, logger: self.logger)
            }
            if reject || Set(missing).isSubset(of: lost) {
                try await db.query(
                    """
                    UPDATE reviewItem SET status = \(ReviewItemStatus.after(.pageLost).rawValue), claimedBy = NULL, claimExpires = NULL, claimToken = NULL, decidedAt = \(now)
                    WHERE id = \(itemID)
                    """, logger: self.logger)
            }
        }
    }

    package func setWarnings(form: String, version: Int, serial: Int, warnings: [String]) async throws {
        let json = String(decoding: try JSONEncoder().encode(warnings), as: UTF8.self)
        try await pool.retryingQuery(
            "UPDATE document SET warnings = \(json) WHERE form = \(form) AND version = \(version) AND serial = \(serial)", logger: logger)
    }

    /// Marks a document promoted in one conditional update: of two machines promoting the same
    /// document at once, exactly one is told it did.
    package func markPromoted(form: String, version: Int, serial: Int) async throws -> Bool {
        let rows = try await pool.retryingQuery(
            """
            UPDATE document SET status = \(DocumentStatus.promoted.rawValue), promotedAt = \(Date())
            WHERE form = \(form) AND version = \(version) AND serial = \(serial) AND status = \(DocumentStatus.open.rawValue)
            RETURNING serial
            """, logger: logger)
        for try await _ in rows.decode(Int.self) { return true }
        return false
    }

    package func documentKeys(batch: String?) async throws -> [(form: String, version: Int, serial: Int)] {
        let rows = try await pool.retryingQuery(
            """
            SELECT DISTINCT page.form, page.version, page.serial FROM page JOIN file ON file.id = page.fileId
            JOIN batch ON batch.id = file.batchId WHERE page.status = \(PageStatus.read.rawValue) AND (\(batch)::text IS NULL OR batch.name = \(batch))
            ORDER BY page.form, page.serial
            """, logger: logger)
        var out: [(form: String, version: Int, serial: Int)] = []
        for try await (form, version, serial) in rows.decode((String, Int, Int).self) { out.append((form, version, serial)) }
        return out
    }

    package func otherDocuments(withValue value: String, inFields fieldIDs: [String], excludingSerial serial: Int) async throws -> [(serial: Int, fieldID: String)] {
        guard !fieldIDs.isEmpty else { return [] }
        let rows = try await pool.retryingQuery(
            """
            SELECT DISTINCT serial, fieldId FROM reading WHERE value = \(value) AND serial <> \(serial) AND fieldId = ANY(\(fieldIDs))
            ORDER BY serial, fieldId
            """, logger: logger)
        var out: [(serial: Int, fieldID: String)] = []
        for try await (serial, field) in rows.decode((Int, String).self) { out.append((serial, field)) }
        return out
    }

    package func documents(form: String, withValues values: [String: String]) async throws -> [Int] {
        guard !values.isEmpty else { return [] }
        let pairs = values.sorted { $0.key < $1.key }
        let rows = try await pool.retryingQuery(
            """
            SELECT reading.serial FROM reading JOIN unnest(\(pairs.map(\.key)), \(pairs.map(\.value))) AS wanted(fieldId, value)
              ON reading.fieldId = wanted.fieldId AND reading.value = wanted.value
            WHERE reading.form = \(form)
            GROUP BY reading.serial HAVING count(DISTINCT reading.fieldId) = \(pairs.count) ORDER BY reading.serial
            """, logger: logger)
        var out: [Int] = []
        for try await serial in rows.decode(Int.self) { out.append(serial) }
        return out
    }
}

// MARK: - The area reference list

extension PostgresStore {
    /// Replaces the list in one transaction, sent as two arrays (one round trip whatever its size).
    package func loadReference(_ entries: [(code: String, name: String)]) async throws -> Int {
        var byCode: [String: String] = [:]
        for e in entries { byCode[e.code] = e.name }
        let codes = Array(byCode.keys)
        let names = codes.map { byCode[$0] ?? "" }
        try await pool.transaction(logger: logger) { [self] db in
            try await db.query("DELETE FROM areaReference", logger: self.logger)
            try await db.query("INSERT INTO areaReference (code, name) SELECT * FROM unnest(\(codes), \(names))", logger: self.logger)
        }
        return try await referenceCount()
    }

    package func referenceCount() async throws -> Int {
        for try await n in try await pool.retryingQuery("SELECT count(*) FROM areaReference", logger: logger).decode(Int.self) { return n }
        return 0
    }

    package func referenceNames(codes: [String]) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for try await (code, name) in try await pool.retryingQuery(
            "SELECT code, name FROM areaReference WHERE code = ANY(\(codes))", logger: logger
        ).decode((String, String).self) {
            out[code] = name
        }
        return out
    }

    package func referenceNames(under prefix: String, length: Int) async throws -> [String] {
        var out: [String] = []
        for try await name in try await pool.retryingQuery(
            "SELECT name FROM areaReference WHERE starts_with(code, \(prefix)) AND length(code) = \(length) ORDER BY name COLLATE \"C\"", logger: logger
        ).decode(String.self) {
            out.append(name)
        }
        return out
    }
}
