import Synthesis

extension EvaluationReport {
    /// Digits right per writer, weakest and strongest, the writers' mean and, from five writers
    /// on, the ``writerInterval``, when the truth names two writers or more: one population's
    /// figure can hide writers far apart, and a batch that happens to draw few of the weak ones
    /// flatters it.
    package var writerSpread: String? {
        let writers = writerDigits.keys.sorted()
        guard writers.count >= 2 else { return nil }
        let share = { (w: String) in Double(self.writerDigitsRight[w] ?? 0) / Double(self.writerDigits[w]!) }
        let ordered = writers.sorted { (share($0), $0) < (share($1), $1) }
        let mean = writers.map(share).reduce(0, +) / Double(writers.count)
        var line = "per writer (\(writers.count) writers): digits right from \(Self.percent(share(ordered.first!))) (writer \(ordered.first!)) "
            + "to \(Self.percent(share(ordered.last!))) (writer \(ordered.last!)), \(Self.percent(mean)) the writers' mean"
        if let interval = writerInterval {
            line += "; new writers of this population: \(Self.percent(interval.lower)) to \(Self.percent(interval.upper)) (95 % interval over the writers)"
        }
        return line
    }

    /// Where the digits-right figure of this population's next writers may lie: a 95 % bootstrap
    /// interval that resamples the writers (not the digits, which one writer's habits tie
    /// together), 2,000 times with a fixed seed so that the same store prints the same interval.
    /// A target is only shown met by a batch when the interval's lower end clears it. Nil below
    /// five writers, where resampling them says nothing.
    package var writerInterval: (lower: Double, upper: Double)? {
        let writers = writerDigits.keys.sorted()
        guard writers.count >= 5 else { return nil }
        var generator = SeededGenerator(seed: 20_261_207)
        var shares: [Double] = []
        shares.reserveCapacity(Self.resamplings)
        for _ in 0..<Self.resamplings {
            var digits = 0
            var right = 0
            for _ in writers.indices {
                let writer = writers[Int.random(in: 0..<writers.count, using: &generator)]
                digits += writerDigits[writer]!
                right += writerDigitsRight[writer] ?? 0
            }
            shares.append(Double(right) / Double(digits))
        }
        shares.sort()
        return (shares[Self.resamplings / 40 - 1], shares[Self.resamplings - Self.resamplings / 40 - 1])
    }

    /// How many times ``writerInterval`` resamples the writers.
    static let resamplings = 2000
}
