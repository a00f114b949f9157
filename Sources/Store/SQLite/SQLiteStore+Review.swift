import Foundation
import GRDB
import Vocabulary

// MARK: - The verification queue, decisions and document states

extension SQLiteStore {
    /// Opens an item unless the same one exists (re-validation is idempotent). Returns whether
    /// it was new.
    @discardableResult
    package func openItem(
        form: String, version: Int, serial: Int, kind: ReviewItemKind, rule: String, fields: [String], reason: String, confidence: Double
    ) async throws -> Bool {
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO reviewItem (form, version, serial, kind, rule, fields, reason, confidence, status, createdAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, \(ReviewItemStatus.open.sql), ?)
                    ON CONFLICT(form, version, serial, kind, rule) DO UPDATE
                      SET status = \(ReviewItemStatus.open.sql), fields = excluded.fields, reason = excluded.reason, decidedAt = NULL
                      WHERE reviewItem.status = \(ReviewItemStatus.resolved.sql)
                    """, arguments: [form, version, serial, kind, rule, json, reason, confidence, Date()])
            return db.changesCount > 0
        }
    }

    /// Marks record items whose rule no longer fails `resolved`, open or referred to a supervisor
    /// (a missing sheet that has been scanned needs nobody); they reopen if it fails again; items
    /// a verifier decided stay `done`.
    package func closeResolvedRecordItems(form: String, version: Int, serial: Int, stillFailing: Set<String>) async throws {
        try await pool.write { db in
            let open = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, rule FROM reviewItem
                    WHERE form = ? AND version = ? AND serial = ? AND kind = \(ReviewItemKind.record.sql) AND status IN (\(ReviewItemStatus.closable.sqlList))
                    """,
                arguments: [form, version, serial])
            for row in open where !stillFailing.contains(row["rule"] as String) {
                try db.execute(
                    sql: "UPDATE reviewItem SET status = ?, decidedAt = ? WHERE id = ?", arguments: [ReviewItemStatus.resolved, Date(), row["id"] as Int64])
            }
        }
    }

    /// Claims the next item for `verifier`: open items, least confident first, and items whose
    /// claim has expired (a crashed verifier's). No item is ever given to two verifiers: the claim
    /// is one conditional update inside the writer's transaction.
    package func claimNext(
        verifier: String, field: String?, batch: String?, claimSeconds: Double, queue: WorkQueue, excluding: [Int64]
    ) async throws -> ReviewItem? {
        try await pool.write { db in
            let now = Date()
            let referred = queue == .referred
            var sql = referred
                ? "SELECT reviewItem.* FROM reviewItem WHERE (status = \(ReviewItemStatus.referred.sql) OR (status = \(ReviewItemStatus.claimedReferred.sql) AND claimExpires < ?))"
                : """
                SELECT reviewItem.* FROM reviewItem
                WHERE (status = \(ReviewItemStatus.open.sql) OR (status = \(ReviewItemStatus.claimed.sql) AND claimExpires < ?)
                       OR (status = \(ReviewItemStatus.secondEntry.sql) AND firstVerifier != ? AND (claimedBy IS NULL OR claimExpires < ?)))
                """
            switch queue {
            case .keying: sql += " AND kind = \(ReviewItemKind.keying.sql)"
            case .doubts: sql += " AND kind != \(ReviewItemKind.keying.sql)"
            case .referred: break
            }
            var args: [(any DatabaseValueConvertible)?] = referred ? [now] : [now, verifier, now]
            if !excluding.isEmpty {
                sql += " AND id NOT IN (\(excluding.map(String.init).joined(separator: ",")))"
            }
            if let field {
                sql += " AND kind IN (\([ReviewItemKind.field, .keying].sqlList)) AND (rule = ? OR rule LIKE ?)"
                args += [field, "%." + field]
            }
            if let batch {
                sql += """
                     AND EXISTS (SELECT 1 FROM page JOIN file ON file.id = page.fileId JOIN batch ON batch.id = file.batchId
                                 WHERE page.form = reviewItem.form AND page.serial = reviewItem.serial AND batch.name = ?)
                    """
                args.append(batch)
            }
            sql += queue == .keying
                ? " ORDER BY id LIMIT 1"
                : " ORDER BY CASE kind WHEN \(ReviewItemKind.field.sql) THEN 0 ELSE 1 END, confidence, id LIMIT 1"
            guard let row = try Row.fetchOne(db, sql: sql, arguments: StatementArguments(args)) else { return nil }
            let id: Int64 = row["id"]
            let status: ReviewItemStatus = row["status"]
            guard let claimed = status.claimed else { return nil }
            let token = UUID().uuidString
            try db.execute(
                sql: "UPDATE reviewItem SET status = ?, claimedBy = ?, claimExpires = ?, claimToken = ? WHERE id = ?",
                arguments: [claimed, verifier, now.addingTimeInterval(claimSeconds), token, id])
            var item = Self.item(row, claimedBy: verifier)
            item.status = claimed
            item.claimToken = token
            return item
        }
    }

    static func item(_ row: Row, claimedBy: String? = nil) -> ReviewItem {
        let fields = (try? JSONDecoder().decode([String].self, from: Data((row["fields"] as String).utf8))) ?? []
        return ReviewItem(
            id: row["id"], form: row["form"], version: row["version"], serial: row["serial"], kind: row["kind"], rule: row["rule"],
            fields: fields, reason: row["reason"], confidence: row["confidence"], status: row["status"],
            claimedBy: claimedBy ?? row["claimedBy"], firstEntry: row["firstEntry"], firstVerifier: row["firstVerifier"],
            claimToken: row["claimToken"])
    }

    package func renewClaim(itemID: Int64, token: String, claimSeconds: Double) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE reviewItem SET claimExpires = ? WHERE id = ? AND claimToken = ?",
                arguments: [Date().addingTimeInterval(claimSeconds), itemID, token])
            return db.changesCount == 1
        }
    }

    /// Gives an item back (skip, quit).
    package func release(itemID: Int64, verifier: String) async throws {
        try await pool.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT status, firstEntry FROM reviewItem WHERE id = ? AND claimedBy = ?", arguments: [itemID, verifier])
            else { return }
            let status: ReviewItemStatus = row["status"]
            let firstEntry: String? = row["firstEntry"]
            try db.execute(
                sql: "UPDATE reviewItem SET status = ?, claimedBy = NULL, claimExpires = NULL, claimToken = NULL WHERE id = ? AND claimedBy = ?",
                arguments: [status.released(hasFirstEntry: firstEntry != nil), itemID, verifier])
        }
    }

    /// Records a verifier's decision: sets the fields' verified values, moves the item on as
    /// ``ReviewItemStatus/after(_:)`` says and writes the audit rows, in one transaction, only
    /// while `verifier` still holds the claim the item was handed out with (a late decision on
    /// an expired claim, or from a second session under the same name, is refused).
    /// `values` maps field id → new value.
    package func decide(
        item: ReviewItem, values: [String: String?], action: DecisionAction, verifier: String, seconds: Double, keystrokes: Int,
        firstEntry: String?
    ) async throws {
        let status = ReviewItemStatus.after(action)
        try await pool.write { db in
            let now = Date()
            try db.execute(
                sql: """
                    UPDATE reviewItem SET status = ?, claimedBy = NULL, claimExpires = NULL, claimToken = NULL, decidedAt = ?,
                           firstEntry = COALESCE(?, firstEntry), firstVerifier = COALESCE(?, firstVerifier)
                    WHERE id = ? AND claimedBy = ? AND claimToken = ?
                    """, arguments: [status, now, firstEntry, firstEntry == nil ? nil : verifier, item.id, verifier, item.claimToken])
            guard db.changesCount == 1 else { throw StoreError.claimLost(itemID: item.id, verifier: verifier) }
            for (fieldID, after) in values.sorted(by: { $0.key < $1.key }) {
                let before = try String?.fetchOne(
                    db, sql: "SELECT value FROM reading WHERE form = ? AND serial = ? AND fieldId = ?", arguments: [item.form, item.serial, fieldID])
                if status == .done {
                    try db.execute(
                        sql: "UPDATE reading SET value = ?, status = ? WHERE form = ? AND serial = ? AND fieldId = ?",
                        arguments: [after ?? nil, ReadingStatus.verified, item.form, item.serial, fieldID])
                }
                try db.execute(
                    sql: """
                        INSERT INTO decision (itemId, form, serial, fieldId, before, after, action, verifier, at, seconds, keystrokes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [item.id, item.form, item.serial, fieldID, before ?? nil, after ?? nil, action, verifier, now, seconds, keystrokes])
            }
        }
    }

    /// Reopens an item decided by `verifier` and restores the values it changed (undo).
    package func undo(itemID: Int64, verifier: String) async throws {
        try await pool.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM decision WHERE itemId = ? AND verifier = ? AND action != ? ORDER BY id DESC",
                arguments: [itemID, verifier, DecisionAction.undo])
            guard let last = rows.first else { return }
            let at: Date = last["at"]
            for row in rows where (row["at"] as Date) == at {
                try db.execute(
                    sql: "UPDATE reading SET value = ?, status = ? WHERE form = ? AND serial = ? AND fieldId = ?",
                    arguments: [row["before"] as String?, ReadingStatus.queued, row["form"] as String, row["serial"] as Int, row["fieldId"] as String])
                try db.execute(
                    sql: """
                        INSERT INTO decision (itemId, form, serial, fieldId, before, after, action, verifier, at, seconds, keystrokes)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)
                        """,
                    arguments: [itemID, row["form"] as String, row["serial"] as Int, row["fieldId"] as String, row["after"] as String?,
                        row["before"] as String?, DecisionAction.undo, verifier, Date()])
            }
            try db.execute(
                sql: "UPDATE reviewItem SET status = ?, claimedBy = ?, claimExpires = ?, claimToken = ?, decidedAt = NULL WHERE id = ?",
                arguments: [
                    ReviewItemStatus.after(.undo), verifier, Date().addingTimeInterval(ReviewQueueTiming.claimSeconds), UUID().uuidString, itemID,
                ])
        }
    }

    /// The audit trail of one document, oldest first.
    package func decisions(form: String?, serial: Int) async throws -> [Decision] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM decision WHERE serial = ? AND (? IS NULL OR form = ?) ORDER BY id", arguments: [serial, form, form]
            ).map {
                Decision(
                    itemID: $0["itemId"], form: $0["form"], serial: $0["serial"], fieldID: $0["fieldId"], before: $0["before"], after: $0["after"],
                    action: $0["action"], verifier: $0["verifier"], at: $0["at"], seconds: $0["seconds"], keystrokes: $0["keystrokes"])
            }
        }
    }

    /// Items of one document that are not finished.
    package func unfinishedItems(form: String, version: Int, serial: Int) async throws -> [ReviewItem] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM reviewItem WHERE form = ? AND version = ? AND serial = ? AND status NOT IN (\(ReviewItemStatus.finished.sqlList)) ORDER BY id",
                arguments: [form, version, serial]
            ).map { Self.item($0) }
        }
    }

    /// Queue figures: open items and the age of the oldest, in seconds.
    package func queueDepth() async throws -> (open: Int, referred: Int, oldestSeconds: Double?) {
        try await pool.read { db in
            let waiting = ReviewItemStatus.waiting.sqlList
            let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM reviewItem WHERE status IN (\(waiting))") ?? 0
            let referred = try Int.fetchOne(db, sql: "SELECT count(*) FROM reviewItem WHERE status = ?", arguments: [ReviewItemStatus.referred]) ?? 0
            let oldest = try Date.fetchOne(db, sql: "SELECT min(createdAt) FROM reviewItem WHERE status IN (\(waiting))")
            return (open, referred, oldest.map { Date().timeIntervalSince($0) })
        }
    }

    /// The state of a document (created `open` on first sight).
    package func documentState(form: String, version: Int, serial: Int) async throws -> DocumentState {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO document (form, version, serial, status) VALUES (?, ?, ?, ?)",
                arguments: [form, version, serial, DocumentStatus.open])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM document WHERE form = ? AND version = ? AND serial = ?", arguments: [form, version, serial])
            else { throw StoreError("document \(serial) vanished while its state was read") }
            let warnings = (try? JSONDecoder().decode([String].self, from: Data((row["warnings"] as String).utf8))) ?? []
            let lost = Self.lostPages(row["lostPages"])
            return DocumentState(form: form, version: version, serial: serial, status: row["status"], warnings: warnings, lostPages: lost)
        }
    }

    /// The `document.lostPages` column's page numbers (a JSON array).
    static func lostPages(_ json: String?) -> [Int] {
        (try? JSONDecoder().decode([Int].self, from: Data((json ?? "[]").utf8))) ?? []
    }

    /// A supervisor's word that page `page` of a document will never be scanned: recorded in
    /// the audit trail with the reason, against the document's missing-pages item. With
    /// `reject` the document is rejected (never promoted); otherwise it is judged without the
    /// page. The missing-pages item is done once every missing page is accounted for.
    package func declarePageLost(
        form: String, version: Int, serial: Int, page: Int, missing: [Int], supervisor: String, reason: String, reject: Bool
    ) async throws {
        try await pool.write { db in
            guard let item = try Row.fetchOne(
                db, sql: "SELECT id FROM reviewItem WHERE form = ? AND version = ? AND serial = ? AND kind = ? AND rule = ?",
                arguments: [form, version, serial, ReviewItemKind.record, missingPagesRule])
            else { throw StoreError("document \(serial) has no missing-pages item") }
            let itemID: Int64 = item["id"]
            let row = try Row.fetchOne(db, sql: "SELECT lostPages FROM document WHERE form = ? AND version = ? AND serial = ?", arguments: [form, version, serial])
            var lost = Set(Self.lostPages(row?["lostPages"]))
            lost.insert(page)
            let json = String(decoding: try JSONEncoder().encode(lost.sorted()), as: UTF8.self)
            try db.execute(
                sql: "UPDATE document SET lostPages = ?, status = CASE WHEN ? THEN ? ELSE status END WHERE form = ? AND version = ? AND serial = ?",
                arguments: [json, reject, DocumentStatus.rejected, form, version, serial])
            try db.execute(
                sql: """
                    INSERT INTO decision (itemId, form, serial, fieldId, before, after, action, verifier, at, seconds, keystrokes)
                    VALUES (?, ?, ?, ?, 'missing', ?, ?, ?, ?, 0, 0)
                    """,
                arguments: [itemID, form, serial, "page \(page)", reason, reject ? DecisionAction.documentRejected : .pageLost, supervisor, Date()])
            if reject {
                // Nothing of a rejected document needs anyone any more.
                try db.execute(
                    sql: """
                        UPDATE reviewItem SET status = ?, claimedBy = NULL, claimExpires = NULL, claimToken = NULL, decidedAt = ?
                        WHERE form = ? AND version = ? AND serial = ? AND status NOT IN (\(ReviewItemStatus.finished.sqlList))
                        """, arguments: [ReviewItemStatus.resolved, Date(), form, version, serial])
            }
            if reject || Set(missing).isSubset(of: lost) {
                try db.execute(
                    sql: "UPDATE reviewItem SET status = ?, claimedBy = NULL, claimExpires = NULL, claimToken = NULL, decidedAt = ? WHERE id = ?",
                    arguments: [ReviewItemStatus.after(.pageLost), Date(), itemID])
            }
        }
    }

    /// Records soft-rule warnings on a document.
    package func setWarnings(form: String, version: Int, serial: Int, warnings: [String]) async throws {
        let json = String(decoding: try JSONEncoder().encode(warnings), as: UTF8.self)
        try await pool.write { db in
            try db.execute(sql: "UPDATE document SET warnings = ? WHERE form = ? AND version = ? AND serial = ?", arguments: [json, form, version, serial])
        }
    }

    /// Marks a document promoted; false when it already was (promotion happens exactly once).
    package func markPromoted(form: String, version: Int, serial: Int) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE document SET status = ?, promotedAt = ? WHERE form = ? AND version = ? AND serial = ? AND status = ?",
                arguments: [DocumentStatus.promoted, Date(), form, version, serial, DocumentStatus.open])
            return db.changesCount > 0
        }
    }

    /// Where the field's picture is, for the person deciding it.
    package func fieldImage(form: String, serial: Int, fieldID: String) async throws -> FieldImage? {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT reading.pageId, reading.clipRect, clip.png FROM reading LEFT JOIN clip ON clip.readingId = reading.id
                    WHERE reading.form = ? AND reading.serial = ? AND reading.fieldId = ?
                    """,
                arguments: [form, serial, fieldID])
            guard let row, let clip = Self.fieldClip(row) else { return nil }
            return FieldImage(pageID: row["pageId"], clip: clip)
        }
    }
}

extension SQLiteStore {
    /// Template page numbers read for a document.
    package func pageNumbers(form: String, version: Int, serial: Int) async throws -> Set<Int> {
        try await pool.read { db in
            Set(
                try Int.fetchAll(
                    db, sql: "SELECT pageNumber FROM page WHERE form = ? AND version = ? AND serial = ? AND status = ?",
                    arguments: [form, version, serial, PageStatus.read]))
        }
    }

    /// Documents (form, version, serial) with read pages, optionally of one batch.
    package func documentKeys(batch: String?) async throws -> [(form: String, version: Int, serial: Int)] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT page.form, page.version, page.serial FROM page JOIN file ON file.id = page.fileId
                    JOIN batch ON batch.id = file.batchId WHERE page.status = ? AND (? IS NULL OR batch.name = ?)
                    ORDER BY page.form, page.serial
                    """, arguments: [PageStatus.read, batch, batch]
            ).map { ($0["form"], $0["version"], $0["serial"]) }
        }
    }

    /// Counts of documents by state.
    package func documentCounts() async throws -> (open: Int, promoted: Int) {
        try await pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM document WHERE status = ?", arguments: [DocumentStatus.open]) ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM document WHERE status = ?", arguments: [DocumentStatus.promoted]) ?? 0)
        }
    }
}

extension SQLiteStore {
    /// One item by id.
    package func item(id: Int64) async throws -> ReviewItem? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM reviewItem WHERE id = ?", arguments: [id]).map { Self.item($0) }
        }
    }
}

extension SQLiteStore {
    /// Other documents holding `value` in one of `fieldIDs` (e.g. the same NIK twice).
    package func otherDocuments(withValue value: String, inFields fieldIDs: [String], excludingSerial serial: Int) async throws -> [(serial: Int, fieldID: String)] {
        guard !fieldIDs.isEmpty else { return [] }
        return try await pool.read { db in
            let placeholders = fieldIDs.map { _ in "?" }.joined(separator: ",")
            let args: [(any DatabaseValueConvertible)?] = [value, serial] + fieldIDs
            return try Row.fetchAll(
                db, sql: "SELECT DISTINCT serial, fieldId FROM reading WHERE value = ? AND serial != ? AND fieldId IN (\(placeholders)) ORDER BY serial",
                arguments: StatementArguments(args)
            ).map { ($0["serial"], $0["fieldId"]) }
        }
    }

    /// The serials of a form's documents whose readings hold every one of `values` (field id →
    /// value), in order: the sets of one family share their identity strip.
    package func documents(form: String, withValues values: [String: String]) async throws -> [Int] {
        guard !values.isEmpty else { return [] }
        return try await pool.read { db in
            let pairs = values.sorted { $0.key < $1.key }
            let match = pairs.map { _ in "(fieldId = ? AND value = ?)" }.joined(separator: " OR ")
            var args: [(any DatabaseValueConvertible)?] = [form]
            for (id, value) in pairs { args += [id, value] }
            args.append(pairs.count)
            return try Int.fetchAll(
                db,
                sql: "SELECT serial FROM reading WHERE form = ? AND (\(match)) GROUP BY serial HAVING COUNT(DISTINCT fieldId) = ? ORDER BY serial",
                arguments: StatementArguments(args))
        }
    }
}
