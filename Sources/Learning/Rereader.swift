import Clips
import DigitRecognition
import FormTemplate
import Imaging
import Raster
import Reading
import Store
import Vocabulary

/// Reads a batch's still-queued digit fields again with another model, from their stored page
/// images and box positions, through the same rules ingest applies. Only queued fields are touched: a
/// value a person verified, or a field a verifier holds, is never overwritten.
package struct Rereader {
    /// The forms.
    package var templates: [FormTemplate]
    /// The store.
    package var store: any DigitModelStore
    /// The reader with the new model.
    package var reader: PageReader
    /// The new model's identity (recorded on every field it re-reads).
    package var model: String

    /// Creates a re-reader.
    package init(templates: [FormTemplate], store: any DigitModelStore, reader: PageReader, model: String) {
        (self.templates, self.store, self.reader, self.model) = (templates, store, reader, model)
    }

    /// What happened to one queued field.
    package struct Change: Sendable {
        /// Form id.
        package var form: String
        /// Form version.
        package var version: Int
        /// Document serial.
        package var serial: Int
        /// Field id.
        package var fieldID: String
        /// Whether the value read differs from before (values themselves are never shown).
        package var valueChanged: Bool
        /// Its status now (`accepted`: its item was closed).
        package var status: ReadingStatus
        /// Confidence before and after.
        package var confidence: (before: Double, after: Double)
        /// Why it is still queued.
        package var reason: String?
    }

    /// The outcome.
    package struct Summary: Sendable {
        /// Queued digit fields found.
        package var queued = 0
        /// Fields re-read and stored (changed or not).
        package var changes: [Change] = []
        /// Fields a verifier took or decided meanwhile: left alone.
        package var leftToVerifiers = 0
        /// Fields without stored box positions (read by an older pindai) or an unknown template.
        package var unreadable = 0
    }

    /// Re-reads the queued digit fields of `batch`.
    package func run(batch: String) async throws -> Summary {
        var summary = Summary()
        let store = store
        let cutter = ClipCutter { try await store.pageImage(id: $0) }
        for queued in try await store.queuedDigitFields(batch: batch) {
            summary.queued += 1
            var clip: GreyImage?
            if let image = queued.image { clip = try await cutter.clip(image) }
            guard let template = templates.first(where: { $0.id == queued.form && $0.version == queued.version }),
                let field = template.field(queued.reading.fieldID), case .digits = field.kind,
                let interiors = Self.interiors(queued.reading, clip: clip)
            else {
                summary.unreadable += 1
                continue
            }
            var reading = reader.readDigits(field, interiors: interiors.crops)
            for i in reading.boxes.indices where i < interiors.rects.count { reading.boxes[i].interior = interiors.rects[i] }
            let record = ReadingRecord(
                fieldID: field.id, kind: "digits", value: reading.value, confidence: reading.confidence, status: reading.status,
                reason: reading.reason, boxesJSON: BoxReading.encode(reading.boxes))
            guard try await store.applyReread(queued, reading: record, model: model) else {
                summary.leftToVerifiers += 1
                continue
            }
            summary.changes.append(
                Change(
                    form: queued.form, version: queued.version, serial: queued.serial, fieldID: field.id, valueChanged: reading.value != queued.reading.value,
                    status: reading.status, confidence: (queued.reading.confidence, reading.confidence), reason: reading.reason))
        }
        return summary
    }

    /// Every box's interior cut from the field's clip, where ingest cut it; nil without positions
    /// or clip.
    static func interiors(_ reading: ReadingRecord, clip: GreyImage?) -> (crops: [GreyImage], rects: [[Int]])? {
        let boxes = BoxReading.decode(reading.boxesJSON)
        guard !boxes.isEmpty, boxes.allSatisfy({ ($0.interior?.count ?? 0) == 4 }), let clip else { return nil }
        let rects = boxes.map { $0.interior! }
        return (rects.map { clip.cropped(x: $0[0], y: $0[1], width: $0[2], height: $0[3]) }, rects)
    }
}
