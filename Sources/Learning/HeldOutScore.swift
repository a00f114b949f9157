import DigitRecognition

/// How well one model reads the held-out lines, as ingest would read them (whole fields, the
/// doubtful digits read a second time).
package struct HeldOutScore: Sendable, Hashable, Codable {
    /// Digits on the lines.
    package var digits: Int
    /// Share read right.
    package var digitsRight: Double
    /// Share wrong among the digits left after sending the least confident 10 % to a person.
    package var errorAfterRouting10: Double

    /// Creates a score.
    package init(digits: Int, digitsRight: Double, errorAfterRouting10: Double) {
        (self.digits, self.digitsRight, self.errorAfterRouting10) = (digits, digitsRight, errorAfterRouting10)
    }

    /// Reads `lines` with `recognizer` and scores it; also returns every digit's raw confidence
    /// and whether it was right (what a calibration is fitted on).
    package static func measure(_ lines: [LabelledLine], recognizer: DigitRecognizer) -> (score: HeldOutScore, samples: [(raw: Double, right: Bool)]) {
        let reader = DigitBoxReader(recognizer: recognizer)
        var scored: [(confidence: Double, right: Bool)] = []
        var samples: [(raw: Double, right: Bool)] = []
        for line in lines {
            // Every crop had ink when it was read: read them all, as ingest did.
            let reads = reader.read(line.crops, inks: line.crops.map { _ in 1 })
            for (read, truth) in zip(reads, line.text) {
                let right = read.digit == truth
                scored.append((read.confidence, right))
                if read.digit != nil { samples.append((read.raw, right)) }
            }
        }
        return (score(scored), samples)
    }

    /// Digits right, and the error left after routing the least confident 10 %.
    static func score(_ scored: [(confidence: Double, right: Bool)]) -> HeldOutScore {
        guard !scored.isEmpty else { return HeldOutScore(digits: 0, digitsRight: 0, errorAfterRouting10: 0) }
        let right = Double(scored.filter(\.right).count) / Double(scored.count)
        let kept = scored.sorted { $0.confidence > $1.confidence }.prefix(Int((Double(scored.count) * 0.9).rounded()))
        let wrongKept = kept.isEmpty ? 0 : Double(kept.filter { !$0.right }.count) / Double(kept.count)
        return HeldOutScore(digits: scored.count, digitsRight: right, errorAfterRouting10: wrongKept)
    }

    /// Why `self` (a new model) is worse than `base`, or nil when it is not: fewer digits right,
    /// or more errors left after routing 10 %.
    package func worse(than base: HeldOutScore) -> String? {
        if digitsRight < base.digitsRight {
            return "it reads fewer held-out digits right (\(Self.percent(digitsRight)) against \(Self.percent(base.digitsRight)))"
        }
        if errorAfterRouting10 > base.errorAfterRouting10 {
            return "it leaves more errors after routing 10 % (\(Self.percent(errorAfterRouting10)) against \(Self.percent(base.errorAfterRouting10)))"
        }
        return nil
    }

    /// `97.84 %`.
    package static func percent(_ v: Double) -> String {
        String(format: "%.2f %%", v * 100)
    }
}
