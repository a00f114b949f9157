import MarkReading
import Vocabulary

/// The machine's reading of one field: value, confidence, the per-box evidence, and whether it
/// was accepted or must go to a person (and why).
package struct FieldReading: Sendable, Codable, Hashable {
    /// The field id.
    package var fieldID: String
    /// `digits`, `checkbox`, `choice` or `text`.
    package var kind: String
    /// The value: the digit string (leading zeros kept), a choice's code or additive sum, a
    /// checkbox's 1/0; `nil` when blank, unreadable or a text field.
    package var value: String?
    /// Field confidence, 0–1: the least confident box.
    package var confidence: Double
    /// The decision (`accepted`, `queued` or `image`; people make a reading `verified` later).
    package var status: ReadingStatus
    /// Why a person must look, when queued.
    package var reason: String?
    /// Per-box evidence.
    package var boxes: [BoxReading]
    /// Where the field's clip is on the page, `[x, y, width, height]` in pixels: the page image
    /// is stored once and the clip cut from it when a person or a model needs it.
    package var clipRect: [Int]?

    /// Creates a reading.
    package init(
        fieldID: String, kind: String, value: String?, confidence: Double, status: ReadingStatus, reason: String?,
        boxes: [BoxReading], clipRect: [Int]? = nil
    ) {
        self.fieldID = fieldID
        self.kind = kind
        self.value = value
        self.confidence = confidence
        self.status = status
        self.reason = reason
        self.boxes = boxes
        self.clipRect = clipRect
    }
}
