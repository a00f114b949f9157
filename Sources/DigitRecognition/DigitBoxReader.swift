import Raster

/// Reads box interiors the way ingest does: a box with almost no ink is empty (with high
/// confidence); the others go to Tesseract together, as one line.
package struct DigitBoxReader {
    /// The engine.
    package let recognizer: DigitRecognizer
    /// Ink share (pixels darker than 170) below which a box is empty.
    package var emptyInk = 0.02

    /// Creates a reader.
    package init(recognizer: DigitRecognizer, emptyInk: Double = 0.02) {
        self.recognizer = recognizer
        self.emptyInk = emptyInk
    }

    /// Digits less sure than this are read a second time, alone.
    package var secondReadingBelow = 0.97
    /// Confidence given to a digit whose two readings disagree: below any acceptance bar.
    package static let disagreementConfidence = 0.5

    /// One reading per interior; empty boxes read as `nil` digits with confidence ≥ 0.5.
    ///
    /// Boxes are read together as one line (the context the model was trained on); a doubtful
    /// digit is then read again on its own, an independent second opinion: when the two agree
    /// the more confident reading stands, when they differ the field goes to a person.
    package func read(_ interiors: [GreyImage]) -> [DigitRead] {
        read(interiors, inks: interiors.map(Self.ink))
    }

    /// The share of ink (pixels darker than 170) that decides whether a box is empty.
    package static func ink(_ interior: GreyImage) -> Double { interior.darkFraction(below: 170) }

    /// Reads interiors whose ink the caller has already measured.
    package func read(_ interiors: [GreyImage], inks: [Double]) -> [DigitRead] {
        let filled = interiors.indices.filter { inks[$0] >= emptyInk }
        let reads = recognizer.read(filled.map { interiors[$0] })
        var out = inks.map { DigitRead(digit: nil, confidence: 1 - $0 / emptyInk * 0.5, raw: 0, alternatives: []) }
        for (k, i) in filled.enumerated() {
            var first = reads[k]
            if first.confidence < secondReadingBelow, filled.count > 1, let second = recognizer.read([interiors[i]]).first {
                if second.digit == first.digit {
                    if second.raw > first.raw { first = second }
                } else {
                    let better = second.raw > first.raw ? second : first
                    first = DigitRead(
                        digit: better.digit, confidence: min(better.confidence, Self.disagreementConfidence), raw: better.raw,
                        alternatives: better.alternatives)
                }
            }
            out[i] = first
        }
        return out
    }
}
