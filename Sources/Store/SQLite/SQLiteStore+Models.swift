import Foundation
import GRDB
import Vocabulary

// MARK: - Learning from verifiers: labelled digits, the default model, re-reading

extension SQLiteStore {
    package func labelledDigitFields(includeAccepted: Bool) async throws -> [LabelledDigitField] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT reading.form, reading.serial, reading.fieldId, reading.value, reading.status, reading.boxes, reading.pageId,
                           reading.clipRect, clip.png, COALESCE(reading.model, page.model) AS model
                    FROM reading JOIN page ON page.id = reading.pageId LEFT JOIN clip ON clip.readingId = reading.id
                    WHERE reading.kind = 'digits' AND (reading.clipRect IS NOT NULL OR clip.png IS NOT NULL) AND reading.value IS NOT NULL AND reading.value <> ''
                      AND (reading.status = \(ReadingStatus.verified.sql)
                           OR (? AND reading.status = \(ReadingStatus.accepted.sql) AND EXISTS (
                                SELECT 1 FROM document WHERE document.form = reading.form AND document.version = page.version
                                  AND document.serial = reading.serial AND document.status = \(DocumentStatus.promoted.sql))))
                    ORDER BY reading.form, reading.serial, reading.id
                    """, arguments: [includeAccepted]
            ).compactMap { r in
                Self.fieldClip(r).map { clip in
                    LabelledDigitField(
                        form: r["form"], serial: r["serial"], fieldID: r["fieldId"], value: r["value"],
                        status: ReadingStatus(rawValue: r["status"]) ?? .verified, boxesJSON: r["boxes"],
                        image: FieldImage(pageID: r["pageId"], clip: clip), model: r["model"])
                }
            }
        }
    }

    package func defaultModel() async throws -> String? {
        try await pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = 'model'") }
    }

    package func setDefaultModel(_ directory: String?) async throws {
        try await pool.write { db in
            if let directory {
                try db.execute(
                    sql: "INSERT INTO setting (key, value) VALUES ('model', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    arguments: [directory])
            } else {
                try db.execute(sql: "DELETE FROM setting WHERE key = 'model'")
            }
        }
    }

    package func queuedDigitFields(batch: String) async throws -> [QueuedDigitField] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT reading.*, page.version, clip.png, COALESCE(reading.model, page.model) AS readBy
                    FROM reading JOIN page ON page.id = reading.pageId JOIN file ON file.id = page.fileId
                    JOIN batch ON batch.id = file.batchId LEFT JOIN clip ON clip.readingId = reading.id
                    WHERE batch.name = ? AND reading.kind = 'digits' AND reading.status = \(ReadingStatus.queued.sql)
                    ORDER BY reading.form, reading.serial, reading.id
                    """, arguments: [batch]
            ).map { r in
                QueuedDigitField(
                    form: r["form"], version: r["version"], serial: r["serial"],
                    reading: ReadingRecord(
                        fieldID: r["fieldId"], kind: r["kind"], value: r["value"], confidence: r["confidence"], status: .queued,
                        reason: r["reason"], boxesJSON: r["boxes"], clip: Self.fieldClip(r)),
                    model: r["readBy"], pageID: r["pageId"])
            }
        }
    }

    package func applyReread(_ field: QueuedDigitField, reading: ReadingRecord, model: String) async throws -> Bool {
        try await pool.write { db in
            let held = try Bool.fetchOne(
                db,
                sql: """
                    SELECT EXISTS (SELECT 1 FROM reviewItem WHERE form = ? AND version = ? AND serial = ? AND kind = \(ReviewItemKind.field.sql)
                      AND rule = ? AND status NOT IN (\(ReviewItemStatus.closable.sqlList), \(ReviewItemStatus.resolved.sql)))
                    """, arguments: [field.form, field.version, field.serial, field.reading.fieldID]) ?? false
            guard !held else { return false }
            try db.execute(
                sql: """
                    UPDATE reading SET value = ?, confidence = ?, status = ?, reason = ?, boxes = ?, model = ?
                    WHERE form = ? AND serial = ? AND fieldId = ? AND status = \(ReadingStatus.queued.sql)
                    """,
                arguments: [
                    reading.value, reading.confidence, reading.status, reading.reason, reading.boxesJSON, model,
                    field.form, field.serial, field.reading.fieldID,
                ])
            guard db.changesCount > 0 else { return false }
            if reading.status != .queued {
                try db.execute(
                    sql: """
                        UPDATE reviewItem SET status = \(ReviewItemStatus.resolved.sql), decidedAt = ?
                        WHERE form = ? AND version = ? AND serial = ? AND kind = \(ReviewItemKind.field.sql) AND rule = ?
                          AND status IN (\(ReviewItemStatus.closable.sqlList))
                        """, arguments: [Date(), field.form, field.version, field.serial, field.reading.fieldID])
            } else {
                try db.execute(
                    sql: """
                        UPDATE reviewItem SET reason = ?, confidence = ?
                        WHERE form = ? AND version = ? AND serial = ? AND kind = \(ReviewItemKind.field.sql) AND rule = ?
                          AND status IN (\(ReviewItemStatus.closable.sqlList))
                        """, arguments: [reading.reason ?? "doubtful reading", reading.confidence, field.form, field.version, field.serial, field.reading.fieldID])
            }
            return true
        }
    }
}
