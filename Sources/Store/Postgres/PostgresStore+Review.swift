import Foundation
import PostgresNIO
import Vocabulary

// MARK: - The verification queue

extension PostgresStore {
    static let itemColumns = "id, form, version, serial, kind, rule, fields, reason, confidence, status, claimedBy, firstEntry, firstVerifier, claimToken"

    typealias ItemRow = (Int64, String, Int, Int, String, String, String, String, Double, String, String?, String?, String?, String?)

    static func item(_ r: ItemRow) throws -> ReviewItem {
        let fields = (try? JSONDecoder().decode([String].self, from: Data(r.6.utf8))) ?? []
        return ReviewItem(
            id: r.0, form: r.1, version: r.2, serial: r.3, kind: try word(r.4), rule: r.5, fields: fields, reason: r.7, confidence: r.8,
            status: try word(r.9), claimedBy: r.10, firstEntry: r.11, firstVerifier: r.12, claimToken: r.13)
    }

    func items(_ query: PostgresQuery, on db: PostgresConnection? = nil) async throws -> [ReviewItem] {
        let rows = if let db { try await db.query(query, logger: logger) } else { try await pool.retryingQuery(query, logger: logger) }
        var out: [ReviewItem] = []
        for try await row in rows.decode(ItemRow.self) { out.append(try Self.item(row)) }
        return out
    }

    @discardableResult
    package func openItem(
        form: String, version: Int, serial: Int, kind: ReviewItemKind, rule: String, fields: [String], reason: String, confidence: Double
    ) async throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        let rows = try await pool.retryingQuery(
            """
            INSERT INTO reviewItem (form, version, serial, kind, rule, fields, reason, confidence, status, createdAt)
            VALUES (\(form), \(version), \(serial), \(kind.rawValue), \(rule), \(json), \(reason), \(confidence), \(ReviewItemStatus.open.rawValue), \(Date()))
            ON CONFLICT (form, version, serial, kind, rule) DO UPDATE
              SET status = excluded.status, fields = excluded.fields, reason = excluded.reason, decidedAt = NULL
              WHERE reviewItem.status = \(ReviewItemStatus.resolved.rawValue)
            RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(Int64.self) { return true }
        return false
    }

    package func closeResolvedRecordItems(form: String, version: Int, serial: Int, stillFailing: Set<String>) async throws {
        try await pool.retryingQuery(
            """
            UPDATE reviewItem SET status = \(ReviewItemStatus.resolved.rawValue), decidedAt = \(Date())
            WHERE form = \(form) AND version = \(version) AND serial = \(serial) AND kind = \(ReviewItemKind.record.rawValue)
              AND status IN (\(unescaped: ReviewItemStatus.closable.sqlList)) AND NOT (rule = ANY(\(Array(stillFailing))))
            """, logger: logger)
    }

    /// Claims the next item in one short transaction: the candidate row is locked with
    /// `FOR UPDATE SKIP LOCKED`, so verifiers asking at the same instant each get a different
    /// item without waiting on one another, and the claim is written before the lock is let go.
    package func claimNext(
        verifier: String, field: String?, batch: String?, claimSeconds: Double, queue: WorkQueue, excluding: [Int64]
    ) async throws -> ReviewItem? {
        let now = Date()
        var s = PostgresStatement("SELECT \(Self.itemColumns) FROM reviewItem WHERE ")
        if queue == .referred {
            let at = try s.bind(now)
            s.append("(status = \(ReviewItemStatus.referred.sql) OR (status = \(ReviewItemStatus.claimedReferred.sql) AND claimExpires < \(at)))")
        } else {
            let at = try s.bind(now)
            let me = try s.bind(verifier)
            s.append(
                """
                (status = \(ReviewItemStatus.open.sql) OR (status = \(ReviewItemStatus.claimed.sql) AND claimExpires < \(at))
                 OR (status = \(ReviewItemStatus.secondEntry.sql) AND firstVerifier <> \(me) AND (claimedBy IS NULL OR claimExpires < \(at))))
                """)
        }
        switch queue {
        case .keying: s.append(" AND kind = \(ReviewItemKind.keying.sql)")
        case .doubts: s.append(" AND kind <> \(ReviewItemKind.keying.sql)")
        case .referred: break
        }
        if !excluding.isEmpty { s.append(" AND id <> ALL(\(try s.bind(excluding)))") }
        if let field {
            s.append(" AND kind IN (\([ReviewItemKind.field, .keying].sqlList)) AND (rule = \(try s.bind(field)) OR rule LIKE \(try s.bind("%." + field)))")
        }
        if let batch {
            s.append(
                """
                 AND EXISTS (SELECT 1 FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                             WHERE page.form = reviewItem.form AND page.serial = reviewItem.serial AND batch.name = \(try s.bind(batch)))
                """)
        }
        s.append(
            queue == .keying
                ? " ORDER BY id LIMIT 1 FOR UPDATE OF reviewItem SKIP LOCKED"
                : " ORDER BY CASE kind WHEN \(ReviewItemKind.field.sql) THEN 0 ELSE 1 END, confidence, id LIMIT 1 FOR UPDATE OF reviewItem SKIP LOCKED")
        let query = s.query
        return try await pool.transaction(logger: logger) { [self] db in
            guard var item = try await self.items(query, on: db).first, let claimed = item.status.claimed else { return nil }
            let token = UUID().uuidString
            try await db.query(
                """
                UPDATE reviewItem SET status = \(claimed.rawValue), claimedBy = \(verifier), claimExpires = \(now.addingTimeInterval(claimSeconds)),
                       claimToken = \(token)
                WHERE id = \(item.id)
                """, logger: self.logger)
            item.status = claimed
            item.claimedBy = verifier
            item.claimToken = token
            return item
        }
    }

    package func renewClaim(itemID: Int64, token: String, claimSeconds: Double) async throws -> Bool {
        let rows = try await pool.retryingQuery(
            """
            UPDATE reviewItem SET claimExpires = \(Date().addingTimeInterval(claimSeconds))
            WHERE id = \(itemID) AND claimToken = \(token) RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(Int64.self) { return true }
        return false
    }

    package func release(itemID: Int64, verifier: String) async throws {
        try await pool.transaction(logger: logger) { [self] db in
            let rows = try await db.query(
                "SELECT status, firstEntry FROM reviewItem WHERE id = \(itemID) AND claimedBy = \(verifier) FOR UPDATE", logger: self.logger)
            for try await (raw, firstEntry) in rows.decode((String, String?).self) {
                let status: ReviewItemStatus = try word(raw)
                try await db.query(
                    """
                    UPDATE reviewItem SET status = \(status.released(hasFirstEntry: firstEntry != nil).rawValue), claimedBy = NULL, claimExpires = NULL, claimToken = NULL
                    WHERE id = \(itemID)
                    """, logger: self.logger)
            }
        }
    }

    /// Records a decision in one transaction, only while `verifier` still holds the item's claim:
    /// a decision made after the claim expired and another verifier took the item is refused
    /// (nothing is written), so no item is decided twice.
    package func decide(
        item: ReviewItem, values: [String: String?], action: DecisionAction, verifier: String, seconds: Double, keystrokes: Int,
        firstEntry: String?
    ) async throws {
        let status = ReviewItemStatus.after(action)
        try await pool.transaction(logger: logger) { [self] db in
            let now = Date()
            let moved = try await db.query(
                """
                UPDATE reviewItem SET status = \(status.rawValue), claimedBy = NULL, claimExpires = NULL, claimToken = NULL, decidedAt = \(now),
                       firstEntry = COALESCE(\(firstEntry), firstEntry), firstVerifier = COALESCE(\(firstEntry == nil ? nil : verifier), firstVerifier)
                WHERE id = \(item.id) AND claimedBy = \(verifier) AND claimToken = \(item.claimToken)
                RETURNING id
                """, logger: self.logger)
            var held = false
            for try await _ in moved.decode(Int64.self) { held = true }
            guard held else { throw StoreError.claimLost(itemID: item.id, verifier: verifier) }
            for (fieldID, after) in values.sorted(by: { $0.key < $1.key }) {
                var before: String?
                for try await value in try await db.query(
                    "SELECT value FROM reading WHERE form = \(item.form) AND serial = \(item.serial) AND fieldId = \(fieldID)", logger: self.logger
                ).decode(String?.self) {
                    before = value
                }
                if status == .done {
                    try await db.query(
                        """
                        UPDATE reading SET value = \(after ?? nil), status = \(ReadingStatus.verified.rawValue)
                        WHERE form = \(item.form) AND serial = \(item.serial) AND fieldId = \(fieldID)
                        """, logger: self.logger)
                }
                try await db.query(
                    """
                    INSERT INTO decision (itemId, form, serial, fieldId, before, after, action, verifier, at, seconds, keystrokes)
                    VALUES (\(item.id), \(item.form), \(item.serial), \(fieldID), \(before), \(after ?? nil), \(action.rawValue), \(verifier), \(now), \(seconds), \(keystrokes))
                    """, logger: self.logger)
            }
        }
    }

    package func undo(itemID: Int64, verifier: String) async throws {
        try await pool.transaction(logger: logger) { [self] db in
            let rows = try await db.query(
                """
                SELECT form, serial, fieldId, before, after, at FROM decision
                WHERE itemId = \(itemID) AND verifier = \(verifier) AND action <> \(DecisionAction.undo.rawValue) ORDER BY id DESC
                """, logger: self.logger)
            var last: [(form: String, serial: Int, field: String, before: String?, after: String?, at: Date)] = []
            for try await row in rows.decode((String, Int, String, String?, String?, Date).self) {
                if let first = last.first, first.at != row.5 { break }
                last.append((row.0, row.1, row.2, row.3, row.4, row.5))
            }
            guard !last.isEmpty else { return }
            let now = Date()
            for d in last {
                try await db.query(
                    """
                    UPDATE reading SET value = \(d.before), status = \(ReadingStatus.queued.rawValue)
                    WHERE form = \(d.form) AND serial = \(d.serial) AND fieldId = \(d.field)
                    """, logger: self.logger)
                try await db.query(
                    """
                    INSERT INTO decision (itemId, form, serial, fieldId, before, after, action, verifier, at, seconds, keystrokes)
                    VALUES (\(itemID), \(d.form), \(d.serial), \(d.field), \(d.after), \(d.before), \(DecisionAction.undo.rawValue), \(verifier), \(now), 0, 1)
                    """, logger: self.logger)
            }
            try await db.query(
                """
                UPDATE reviewItem SET status = \(ReviewItemStatus.after(.undo).rawValue), claimedBy = \(verifier),
                       claimExpires = \(now.addingTimeInterval(ReviewQueueTiming.claimSeconds)), claimToken = \(UUID().uuidString), decidedAt = NULL
                WHERE id = \(itemID)
                """, logger: self.logger)
        }
    }

    package func item(id: Int64) async throws -> ReviewItem? {
        try await items("SELECT \(unescaped: Self.itemColumns) FROM reviewItem WHERE id = \(id)").first
    }

    package func unfinishedItems(form: String, version: Int, serial: Int) async throws -> [ReviewItem] {
        try await items(
            """
            SELECT \(unescaped: Self.itemColumns) FROM reviewItem
            WHERE form = \(form) AND version = \(version) AND serial = \(serial) AND status NOT IN (\(unescaped: ReviewItemStatus.finished.sqlList))
            ORDER BY id
            """)
    }

    package func queueDepth() async throws -> (open: Int, referred: Int, oldestSeconds: Double?) {
        let rows = try await pool.retryingQuery(
            """
            SELECT count(*) FILTER (WHERE status IN (\(unescaped: ReviewItemStatus.waiting.sqlList))),
                   count(*) FILTER (WHERE status = \(ReviewItemStatus.referred.rawValue)),
                   min(createdAt) FILTER (WHERE status IN (\(unescaped: ReviewItemStatus.waiting.sqlList)))
            FROM reviewItem
            """, logger: logger)
        for try await (open, referred, oldest) in rows.decode((Int, Int, Date?).self) {
            return (open, referred, oldest.map { Date().timeIntervalSince($0) })
        }
        return (0, 0, nil)
    }

    package func decisions(form: String?, serial: Int) async throws -> [Decision] {
        let rows = try await pool.retryingQuery(
            """
            SELECT itemId, form, serial, fieldId, before, after, action, verifier, at, seconds, keystrokes FROM decision
            WHERE serial = \(serial) AND (\(form)::text IS NULL OR form = \(form)) ORDER BY id
            """, logger: logger)
        var out: [Decision] = []
        for try await r in rows.decode((Int64, String, Int, String, String?, String?, String, String, Date, Double, Int).self) {
            out.append(
                Decision(
                    itemID: r.0, form: r.1, serial: r.2, fieldID: r.3, before: r.4, after: r.5, action: try word(r.6), verifier: r.7, at: r.8,
                    seconds: r.9, keystrokes: r.10))
        }
        return out
    }
}
