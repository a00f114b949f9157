import Foundation

/// Turns Tesseract's raw symbol confidence into the probability that the digit is right,
/// fitted on synthetic scans with known truth (`pindai calibrate`). Raw LSTM confidences crowd
/// into 0.95–0.99 whether right or wrong; the fitted map spreads them into probabilities that
/// the acceptance threshold can be set against.
package struct DigitCalibration: Codable, Sendable, Hashable {
    /// Knots of a monotone piecewise-linear map: raw confidence → probability right.
    package var knots: [Knot]
    /// What the map was fitted on (for the record).
    package var fittedOn: String
    /// How many digits it was fitted on.
    package var samples: Int
    /// The share right among digits of fields whose value as first read broke the field's own
    /// rules (code list, range, NIK/KK structure), after the reader tried their runner-up
    /// digits: their confidence is capped at it. `nil` in older maps.
    package var fieldRuleBroken: Double?

    /// One point of the map.
    package struct Knot: Codable, Sendable, Hashable {
        /// Raw Tesseract confidence, 0–1.
        package var raw: Double
        /// Observed share right at that confidence.
        package var probability: Double
    }

    /// The identity map (no calibration file).
    package static let identity = DigitCalibration(knots: [Knot(raw: 0, probability: 0), Knot(raw: 1, probability: 1)], fittedOn: "none", samples: 0)

    /// Creates a calibration.
    package init(knots: [Knot], fittedOn: String, samples: Int, fieldRuleBroken: Double? = nil) {
        self.knots = knots
        self.fittedOn = fittedOn
        self.samples = samples
        self.fieldRuleBroken = fieldRuleBroken
    }

    /// The calibration stored next to a model (`MODEL.calibration.json`), or the identity.
    package static func load(directory: String, model: String) -> DigitCalibration {
        let path = directory + "/" + model + ".calibration.json"
        guard let data = FileManager.default.contents(atPath: path),
            let calibration = try? JSONDecoder().decode(DigitCalibration.self, from: data), calibration.knots.count >= 2
        else { return .identity }
        return calibration
    }

    /// The probability that a digit read with `raw` confidence is right.
    package func probability(_ raw: Double) -> Double {
        guard let first = knots.first, let last = knots.last else { return raw }
        if raw <= first.raw { return first.probability }
        if raw >= last.raw { return last.probability }
        let i = knots.firstIndex { $0.raw >= raw }!
        let a = knots[i - 1]
        let b = knots[i]
        guard b.raw > a.raw else { return b.probability }
        return a.probability + (b.probability - a.probability) * (raw - a.raw) / (b.raw - a.raw)
    }

    /// Fits a monotone map by isotonic regression (pool adjacent violators) over samples of
    /// (raw confidence, right?), summarised into at most `maxKnots` knots.
    package static func fit(_ samples: [(raw: Double, right: Bool)], fittedOn: String, maxKnots: Int = 24) -> DigitCalibration {
        guard samples.count >= 20 else { return .identity }
        let sorted = samples.sorted { $0.raw < $1.raw }
        // Blocks of (sum right, count, mean raw), merged while they decrease.
        var blocks: [(right: Double, count: Double, rawSum: Double)] = []
        for s in sorted {
            blocks.append((s.right ? 1 : 0, 1, s.raw))
            while blocks.count > 1 {
                let b = blocks[blocks.count - 1]
                let a = blocks[blocks.count - 2]
                if a.right / a.count <= b.right / b.count { break }
                blocks.removeLast(2)
                blocks.append((a.right + b.right, a.count + b.count, a.rawSum + b.rawSum))
            }
        }
        // Summarise into knots of roughly equal sample mass.
        let perKnot = max(1.0, Double(sorted.count) / Double(maxKnots))
        var knots: [Knot] = []
        var acc = (right: 0.0, count: 0.0, rawSum: 0.0)
        for (i, b) in blocks.enumerated() {
            acc = (acc.right + b.right, acc.count + b.count, acc.rawSum + b.rawSum)
            if acc.count >= perKnot || i == blocks.count - 1 {
                // Add-one smoothing keeps a perfect bin from claiming certainty.
                let p = (acc.right + 0.5) / (acc.count + 1)
                let raw = acc.rawSum / acc.count
                if let last = knots.last, raw <= last.raw {
                    knots[knots.count - 1].probability = max(last.probability, p)
                } else {
                    knots.append(Knot(raw: (raw * 100000).rounded() / 100000, probability: (max(knots.last?.probability ?? 0, p) * 100000).rounded() / 100000))
                }
                acc = (0, 0, 0)
            }
        }
        return DigitCalibration(knots: knots, fittedOn: fittedOn, samples: sorted.count)
    }
}
