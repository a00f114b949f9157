import MarkReading

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
    /// The decision.
    public var status: Status
    /// Why a person must look, when queued.
    public var reason: String?
    /// Per-box evidence.
    public var boxes: [BoxReading]
    /// The field's image (PNG), cut from the page for the verifier.
    public var clipPNG: [UInt8]

    /// Reading decisions.
    public enum Status: String, Sendable, Codable, Hashable {
        /// Confident and valid: no person needed.
        case accepted
        /// A person must look.
        case queued
        /// An image-only field (handwritten text): kept for people, never auto-read.
        case image
    }

    /// Creates a reading.
    public init(
        fieldID: String, kind: String, value: String?, confidence: Double, status: Status, reason: String?,
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

/// What one box of a field showed.
public struct BoxReading: Sendable, Codable, Hashable {
    /// Digit boxes: the digit read (nil = empty or rejected).
    public var digit: String?
    /// Choice boxes: the option's code.
    public var code: Int?
    /// Share of ink pixels in the interior.
    public var ink: Double
    /// Whether the box was judged empty / the mark state for tick boxes.
    public var state: String
    /// Confidence of this box, 0–1 (calibrated for digits).
    public var confidence: Double
    /// Tesseract's raw confidence for a read digit.
    public var raw: Double? = nil
    /// Runner-up digits with their confidences.
    public var alternatives: [Alternative]?
    /// Digit boxes: the field's value as first read broke the field's own rules, so this box's
    /// confidence is capped (`nil` when it did not).
    public var fieldRuleBroken: Bool? = nil

    /// A runner-up digit.
    public struct Alternative: Sendable, Codable, Hashable {
        /// The digit.
        public var digit: String
        /// Its confidence.
        public var confidence: Double

        /// Creates a runner-up.
        public init(digit: String, confidence: Double) {
            self.digit = digit
            self.confidence = confidence
        }
    }

    /// Creates a box's reading.
    public init(
        digit: String?, code: Int?, ink: Double, state: String, confidence: Double, raw: Double? = nil, alternatives: [Alternative]? = nil,
        fieldRuleBroken: Bool? = nil
    ) {
        self.digit = digit
        self.code = code
        self.ink = ink
        self.state = state
        self.confidence = confidence
        self.raw = raw
        self.alternatives = alternatives
        self.fieldRuleBroken = fieldRuleBroken
    }
}
