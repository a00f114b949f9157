import MarkReading
import Vocabulary

/// The machine's reading of one field: value, confidence, the per-box evidence, and whether it
/// was accepted or must go to a person (and why).
public struct FieldReading: Sendable, Codable, Hashable {
    /// The field id.
    public var fieldID: String
    /// `digits`, `checkbox`, `choice` or `text`.
    public var kind: String
    /// The value: the digit string (leading zeros kept), a choice's code or additive sum, a
    /// checkbox's 1/0; `nil` when blank, unreadable or a text field.
    public var value: String?
    /// Field confidence, 0–1: the least confident box.
    public var confidence: Double
    /// The decision (`accepted`, `queued` or `image`; people make a reading `verified` later).
    public var status: ReadingStatus
    /// Why a person must look, when queued.
    public var reason: String?
    /// Per-box evidence.
    public var boxes: [BoxReading]
    /// The field's image (PNG), cut from the page for the verifier.
    public var clipPNG: [UInt8]

    /// Creates a reading.
    public init(
        fieldID: String, kind: String, value: String?, confidence: Double, status: ReadingStatus, reason: String?,
        boxes: [BoxReading], clipPNG: [UInt8]
    ) {
        self.fieldID = fieldID
        self.kind = kind
        self.value = value
        self.confidence = confidence
        self.status = status
        self.reason = reason
        self.boxes = boxes
        self.clipPNG = clipPNG
    }
}
