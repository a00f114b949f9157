import Raster

/// Reads box interiors the way ingest does: a box with almost no ink is empty (with high
/// confidence); the others go to Tesseract together, as one line.
public struct DigitBoxReader {
    /// The engine.
    public let recognizer: DigitRecognizer
    /// Ink share (pixels darker than 170) below which a box is empty.
    public var emptyInk = 0.02

    /// Creates a reader.
    public init(recognizer: DigitRecognizer, emptyInk: Double = 0.02) {
        self.recognizer = recognizer
        self.emptyInk = emptyInk
    }

    /// One reading per interior; empty boxes read as `nil` digits with confidence ≥ 0.5.
    public func read(_ interiors: [GreyImage]) -> [DigitRead] {
        let inks = interiors.map { $0.darkFraction(below: 170) }
        let filled = interiors.indices.filter { inks[$0] >= emptyInk }
        let reads = recognizer.read(filled.map { interiors[$0] })
        var out = inks.map { DigitRead(digit: nil, confidence: 1 - $0 / emptyInk * 0.5, raw: 0, alternatives: []) }
        for (k, i) in filled.enumerated() { out[i] = reads[k] }
        return out
    }
}
