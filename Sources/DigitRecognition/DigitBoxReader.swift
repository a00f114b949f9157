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
    /// The acceptance bar of the field, when the caller decides by it (ingest): once the field is
    /// bound for a person whatever its other digits' second readings say, they are not read
    /// again. `nil` reads every doubtful digit a second time (`read digits`, `learn`'s judging).
    package var settledBelow: Double?
    /// Whether each digit's runner-ups are worked out (see ``DigitRecognizer/read(_:alternatives:)``):
    /// ingest asks only for a field whose value breaks its rules, where the runner-ups may repair it.
    package var alternatives = true
    /// Digits less sure than this are read again by the model's second opinion (a model of
    /// another shape, ``DigitRecognizer/secondOpinion``) when it has one: where it reads another
    /// digit, the field goes to a person. Set on validation writers (README, *Measured figures*).
    package var checkedBelow = 0.995
    /// Confidence given to a digit whose two readings disagree: below any acceptance bar.
    package static let disagreementConfidence = 0.5

    /// One reading per interior; empty boxes read as `nil` digits with confidence ≥ 0.5.
    ///
    /// Boxes are read together as one line (the context the model was trained on); a doubtful
    /// digit is then read again on its own, a second opinion: when the two agree the more
    /// confident reading stands, when they differ the field goes to a person. With a second
    /// model, every digit below ``checkedBelow`` is also read by it, and goes to a person where
    /// that model reads another digit.
    package func read(_ interiors: [GreyImage]) -> [DigitRead] {
        read(interiors, inks: interiors.map(Self.ink))
    }

    /// The share of ink (pixels darker than 170) that decides whether a box is empty.
    package static func ink(_ interior: GreyImage) -> Double { interior.darkFraction(below: 170) }

    /// Reads interiors whose ink the caller has already measured.
    ///
    /// Doubtful digits are read again least sure first. With ``settledBelow`` set, the second
    /// readings stop as soon as the field must go to a person anyway (a box left empty among
    /// filled ones, an unreadable box, a digit below the bar but not doubtful enough to be read
    /// again, or one still below it after its own second reading): they could not change that
    /// decision, and each costs a Tesseract call.
    package func read(_ interiors: [GreyImage], inks: [Double]) -> [DigitRead] {
        let filled = interiors.indices.filter { inks[$0] >= emptyInk }
        var reads = recognizer.read(filled.map { interiors[$0] }, alternatives: alternatives)
        var out = inks.map { DigitRead(digit: nil, confidence: 1 - $0 / emptyInk * 0.5, raw: 0, alternatives: []) }
        if filled.count > 1 {
            let stays = { (read: DigitRead, bar: Double) in read.digit == nil || (read.confidence >= secondReadingBelow && read.confidence < bar) }
            var settled = settledBelow.map { bar in filled.count < interiors.count || reads.contains { stays($0, bar) } } ?? false
            let doubtful = reads.indices.filter { reads[$0].confidence < secondReadingBelow }.sorted { reads[$0].confidence < reads[$1].confidence }
            for k in doubtful where !settled {
                reads[k] = secondOpinion(on: reads[k], interior: interiors[filled[k]])
                if let bar = settledBelow, reads[k].confidence < bar { settled = true }
            }
        }
        if let other = recognizer.secondOpinion {
            // The other model's veto, least sure digit first, on every digit that may still be
            // accepted; none once the field is bound for a person.
            var bound = settledBelow.map { bar in filled.count < interiors.count || reads.contains { $0.digit == nil || $0.confidence < bar } } ?? false
            let checked = reads.indices.filter { reads[$0].digit != nil && reads[$0].confidence > Self.disagreementConfidence && reads[$0].confidence < checkedBelow }
            for k in checked.sorted(by: { reads[$0].confidence < reads[$1].confidence }) where !bound {
                guard let second = other.read([interiors[filled[k]]], alternatives: false).first, second.digit != reads[k].digit else { continue }
                reads[k].confidence = Self.disagreementConfidence
                if settledBelow != nil { bound = true }
            }
        }
        for (k, i) in filled.enumerated() { out[i] = reads[k] }
        return out
    }

    /// The digit read again on its own, without its neighbours: when the two readings agree the
    /// more confident stands, when they differ the digit falls below any acceptance bar.
    private func secondOpinion(on first: DigitRead, interior: GreyImage) -> DigitRead {
        guard let second = recognizer.read([interior], alternatives: alternatives).first else { return first }
        if second.digit == first.digit { return second.raw > first.raw ? second : first }
        let better = second.raw > first.raw ? second : first
        return DigitRead(
            digit: better.digit, confidence: min(better.confidence, Self.disagreementConfidence), raw: better.raw, alternatives: better.alternatives)
    }
}
