import Vocabulary

/// When a machine reading may skip the person. Fitted on held-out data (see README, "Measured
/// figures"); everything below the bar goes to the verification queue.
package struct AcceptancePolicy: Sendable, Hashable {
    /// Minimum confidence of every digit in a field.
    package var digitConfidence: Double
    /// Minimum confidence of every tick box in a field.
    package var markConfidence: Double
    /// Ink share below which a digit box counts as empty.
    package var emptyDigitInk: Double

    /// Creates a policy.
    package init(
        digitConfidence: Double = ConfidenceThresholds.digit, markConfidence: Double = ConfidenceThresholds.mark,
        emptyDigitInk: Double = ConfidenceThresholds.emptyDigitInk
    ) {
        self.digitConfidence = digitConfidence
        self.markConfidence = markConfidence
        self.emptyDigitInk = emptyDigitInk
    }
}
