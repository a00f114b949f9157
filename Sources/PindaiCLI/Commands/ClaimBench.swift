import Foundation
import Store

/// Verifiers working one queue at once, as fast as the store lets them: each claims the next
/// item, accepts it and claims again. Measures the claim (the wait a person would see between
/// two items), not the person.
struct ClaimBench {
    /// The store whose batch was just read.
    var store: any PindaiStore
    /// How many verifiers at once.
    var verifiers: Int

    /// Items decided and the claim latency, median and 99th percentile, in milliseconds.
    struct Latency {
        var items: Int
        var medianMS: Double
        var p99MS: Double
    }

    /// Opens an item for every queued field of the batch (as review would), then lets the
    /// verifiers drain the queue.
    func run() async throws -> Latency {
        for key in try await store.documentKeys(batch: nil) {
            for reading in try await store.readings(form: key.form, serial: key.serial) where reading.status == .queued {
                try await store.openItem(
                    form: key.form, version: key.version, serial: key.serial, kind: .field, rule: reading.fieldID, fields: [reading.fieldID],
                    reason: "bench", confidence: reading.confidence)
            }
        }
        let store = store
        let samples = try await withThrowingTaskGroup(of: [Double].self) { group in
            for n in 0..<verifiers {
                group.addTask {
                    var mine: [Double] = []
                    while true {
                        let start = ContinuousClock.now
                        guard let item = try await store.claimNext(verifier: "bench-\(n)") else { break }
                        let elapsed = ContinuousClock.now - start
                        mine.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
                        try await store.decide(item: item, values: [:], action: .accept, verifier: "bench-\(n)", seconds: 0, keystrokes: 1)
                    }
                    return mine
                }
            }
            var all: [Double] = []
            for try await mine in group { all += mine }
            return all.sorted()
        }
        guard !samples.isEmpty else { return Latency(items: 0, medianMS: 0, p99MS: 0) }
        return Latency(
            items: samples.count, medianMS: samples[samples.count / 2], p99MS: samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))])
    }
}
