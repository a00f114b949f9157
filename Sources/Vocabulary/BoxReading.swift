import Foundation

/// What one box of a field showed: the evidence behind a field's value, stored with the
/// reading (as JSON) so the verifier can point at the doubtful box and evaluation can score
/// every box. The one definition every stage shares.
package struct BoxReading: Sendable, Codable, Hashable {
    /// Digit boxes: the digit read (nil = empty or rejected).
    package var digit: String?
    /// Choice boxes: the option's code.
    package var code: Int?
    /// Share of ink pixels in the interior.
    package var ink: Double
    /// The box's verdict.
    package var state: BoxState
    /// Confidence of this box, 0–1 (calibrated for digits).
    package var confidence: Double
    /// Tesseract's raw confidence for a read digit.
    package var raw: Double? = nil
    /// Runner-up digits with their confidences.
    package var alternatives: [Alternative]?
    /// Digit boxes: the field's value as first read broke the field's own rules, so this box's
    /// confidence is capped (`nil` when it did not).
    package var fieldRuleBroken: Bool? = nil
    /// Digit boxes: the interior the reader cut, as `[x, y, width, height]` in pixels of the
    /// field's clip, so a verified digit can later be cut again exactly as it was read (training
    /// lines for `pindai learn`, re-reading with another model). `nil` in older stores.
    package var interior: [Int]? = nil

    /// A runner-up digit.
    package struct Alternative: Sendable, Codable, Hashable {
        /// The digit.
        package var digit: String
        /// Its confidence.
        package var confidence: Double

        /// Creates an alternative.
        package init(digit: String, confidence: Double) {
            self.digit = digit
            self.confidence = confidence
        }
    }

    /// Creates a box reading.
    package init(
        digit: String?, code: Int?, ink: Double, state: BoxState, confidence: Double, raw: Double? = nil, alternatives: [Alternative]? = nil,
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

    /// The boxes of a stored reading (its JSON); none when the JSON is not theirs.
    package static func decode(_ json: String) -> [BoxReading] {
        (try? JSONDecoder().decode([BoxReading].self, from: Data(json.utf8))) ?? []
    }

    /// The boxes as stored (JSON with sorted keys, so equal evidence is equal text).
    package static func encode(_ boxes: [BoxReading]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(boxes)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
