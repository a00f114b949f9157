/// How many pages took how long in one stage: the counts per bucket of seconds (Prometheus
/// style, upper bounds in ``bounds`` and a last bucket for anything slower) and their sum.
package struct StageHistogram: Sendable, Hashable {
    /// Upper bounds of the buckets, seconds.
    package static let bounds: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    /// The stage (`decode`, `digits`, …).
    package var stage: String
    /// Pages per bucket, not cumulative: `counts[i]` took more than `bounds[i-1]` and at most
    /// `bounds[i]`; the last entry took longer than every bound.
    package var counts: [Int]
    /// Seconds over all pages.
    package var sum: Double

    /// An empty histogram.
    package init(stage: String, counts: [Int]? = nil, sum: Double = 0) {
        self.stage = stage
        self.counts = counts ?? Array(repeating: 0, count: Self.bounds.count + 1)
        self.sum = sum
    }

    /// Pages counted.
    package var count: Int { counts.reduce(0, +) }

    /// The bucket `seconds` falls in.
    package static func bucket(of seconds: Double) -> Int {
        bounds.firstIndex { seconds <= $0 } ?? bounds.count
    }
}
