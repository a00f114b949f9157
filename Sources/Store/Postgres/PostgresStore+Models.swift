import Foundation
import PostgresNIO
import Vocabulary

// MARK: - Learning from verifiers: labelled digits, the default model, re-reading

extension PostgresStore {
    package func labelledDigitFields(includeAccepted: Bool) async throws -> [LabelledDigitField] {
        let rows = try await pool.retryingQuery(
            """
            SELECT reading.form, reading.serial, reading.fieldId, reading.value, reading.status, reading.boxes, reading.pageId,
                   reading.clipRect, clip.png, COALESCE(reading.model, page.model)
            FROM reading JOIN page ON page.id = reading.pageId LEFT JOIN clip ON clip.readingId = reading.id
            WHERE reading.kind = 'digits' AND (reading.clipRect IS NOT NULL OR clip.png IS NOT NULL) AND reading.value IS NOT NULL AND reading.value <> ''
              AND (reading.status = \(ReadingStatus.verified.rawValue)
                   OR (\(includeAccepted) AND reading.status = \(ReadingStatus.accepted.rawValue) AND EXISTS (
                        SELECT 1 FROM document WHERE document.form = reading.form AND document.version = page.version
                          AND document.serial = reading.serial AND document.status = \(DocumentStatus.promoted.rawValue))))
            ORDER BY reading.form, reading.serial, reading.id
            """, logger: logger)
        var out: [LabelledDigitField] = []
        for try await (form, serial, field, value, status, boxes, pageID, rect, png, model) in rows.decode(
            (String, Int, String, String, String, String, Int64, String?, ByteBuffer?, String?).self)
        {
            guard let clip = Self.fieldClip(rect: rect, png: png) else { continue }
            out.append(
                LabelledDigitField(
                    form: form, serial: serial, fieldID: field, value: value, status: try word(status), boxesJSON: boxes,
                    image: FieldImage(pageID: pageID, clip: clip), model: model))
        }
        return out
    }

    package func defaultModel() async throws -> String? {
        let rows = try await pool.retryingQuery("SELECT value FROM setting WHERE key = 'model'", logger: logger)
        for try await value in rows.decode(String.self) { return value }
        return nil
    }

    package func setDefaultModel(_ directory: String?) async throws {
        if let directory {
            try await pool.retryingQuery(
                "INSERT INTO setting (key, value) VALUES ('model', \(directory)) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                logger: logger)
        } else {
            try await pool.retryingQuery("DELETE FROM setting WHERE key = 'model'", logger: logger)
        }
    }

    package func queuedDigitFields(batch: String) async throws -> [QueuedDigitField] {
        let rows = try await pool.retryingQuery(
            """
            SELECT reading.form, page.version, reading.serial, reading.fieldId, reading.value, reading.confidence, reading.reason,
                   reading.boxes, reading.pageId, reading.clipRect, clip.png, COALESCE(reading.model, page.model)
            FROM reading JOIN page ON page.id = reading.pageId JOIN file ON file.id = page.fileId
            JOIN batch ON batch.id = file.batchId LEFT JOIN clip ON clip.readingId = reading.id
            WHERE batch.name = \(batch) AND reading.kind = 'digits' AND reading.status = \(ReadingStatus.queued.rawValue)
            ORDER BY reading.form, reading.serial, reading.id
            """, logger: logger)
        var out: [QueuedDigitField] = []
        for try await (form, version, serial, field, value, confidence, reason, boxes, pageID, rect, png, model) in rows.decode(
            (String, Int, Int, String, String?, Double, String?, String, Int64, String?, ByteBuffer?, String?).self)
        {
            out.append(
                QueuedDigitField(
                    form: form, version: version, serial: serial,
                    reading: ReadingRecord(
                        fieldID: field, kind: "digits", value: value, confidence: confidence, status: .queued, reason: reason, boxesJSON: boxes,
                        clip: Self.fieldClip(rect: rect, png: png)),
                    model: model, pageID: pageID))
        }
        return out
    }

    package func applyReread(_ field: QueuedDigitField, reading: ReadingRecord, model: String) async throws -> Bool {
        let untouched = ReviewItemStatus.closable.map(\.rawValue) + [ReviewItemStatus.resolved.rawValue]
        let closable = ReviewItemStatus.closable.map(\.rawValue)
        let (form, version, serial, fieldID) = (field.form, field.version, field.serial, field.reading.fieldID)
        return try await pool.transaction(logger: logger) { [self] db in
            // The field's item row is locked first, so a verifier's claim and this re-reading
            // never interleave.
            let held = try await db.query(
                """
                SELECT status FROM reviewItem WHERE form = \(form) AND version = \(version) AND serial = \(serial)
                  AND kind = \(ReviewItemKind.field.rawValue) AND rule = \(fieldID) FOR UPDATE
                """, logger: logger)
            for try await status in held.decode(String.self) where !untouched.contains(status) { return false }
            let updated = try await db.query(
                """
                UPDATE reading SET value = \(reading.value), confidence = \(reading.confidence), status = \(reading.status.rawValue),
                  reason = \(reading.reason), boxes = \(reading.boxesJSON), model = \(model)
                WHERE form = \(form) AND serial = \(serial) AND fieldId = \(fieldID) AND status = \(ReadingStatus.queued.rawValue)
                RETURNING id
                """, logger: logger)
            var applied = false
            for try await _ in updated.decode(Int64.self) { applied = true }
            guard applied else { return false }
            if reading.status != .queued {
                try await db.query(
                    """
                    UPDATE reviewItem SET status = \(ReviewItemStatus.resolved.rawValue), decidedAt = \(Date())
                    WHERE form = \(form) AND version = \(version) AND serial = \(serial) AND kind = \(ReviewItemKind.field.rawValue)
                      AND rule = \(fieldID) AND status = ANY(\(closable))
                    """, logger: logger)
            } else {
                try await db.query(
                    """
                    UPDATE reviewItem SET reason = \(reading.reason ?? "doubtful reading"), confidence = \(reading.confidence)
                    WHERE form = \(form) AND version = \(version) AND serial = \(serial) AND kind = \(ReviewItemKind.field.rawValue)
                      AND rule = \(fieldID) AND status = ANY(\(closable))
                    """, logger: logger)
            }
            return true
        }
    }
}
