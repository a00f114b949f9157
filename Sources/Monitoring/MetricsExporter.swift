import Prometheus
import Store

/// The Prometheus text exposition of the store's figures. Rebuilt from the store on every
/// scrape, so it counts what every ingest and verify process did, not just this one.
public enum MetricsExporter {
    /// Histogram buckets for per-page stage times, seconds.
    public static let stageBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    /// The metrics text for `snapshot` and the pages' stage timings.
    public static func text(_ s: StatusSnapshot, stageTimings: [[String: Double]]) -> String {
        let registry = PrometheusCollectorRegistry()
        let help: [String: String] = [
            "files": "Scan files registered", "pages read": "Pages read into field readings", "exceptions": "Pages and files that became exceptions",
            "fields queued": "Field items opened for verification", "items closed": "Verification items closed",
            "records promoted": "Families promoted to the core store",
        ]
        for stage in s.stages {
            let name = "pindai_" + stage.name.replacingOccurrences(of: " ", with: "_") + "_total"
            registry.makeCounter(name: name, help: help[stage.name] ?? stage.name).increment(by: Int64(stage.total))
        }
        for (reason, n) in s.exceptions.sorted(by: { $0.key < $1.key }) {
            registry.makeCounter(name: "pindai_exceptions_by_reason_total", labels: [("reason", reason)], help: "Exceptions by reason")
                .increment(by: Int64(n))
        }
        registry.makeGauge(name: "pindai_queue_items", labels: [("state", "waiting")], help: "Verification items by state").set(Int64(s.queueOpen))
        registry.makeGauge(name: "pindai_queue_items", labels: [("state", "referred")], help: "Verification items by state").set(Int64(s.queueReferred))
        registry.makeGauge(name: "pindai_queue_oldest_seconds", help: "Age of the oldest waiting item").set(s.oldestSeconds ?? 0)
        for v in s.verifiers {
            registry.makeGauge(name: "pindai_verifier_items_last_hour", labels: [("verifier", v.name)], help: "Items decided in the last hour")
                .set(Int64(v.items))
            registry.makeGauge(name: "pindai_verifier_keys_per_item", labels: [("verifier", v.name)], help: "Keys pressed per item, last hour")
                .set(v.keysPerItem)
        }
        for (name, n) in s.verifierTotals.sorted(by: { $0.key < $1.key }) {
            registry.makeCounter(name: "pindai_verifier_items_total", labels: [("verifier", name)], help: "Items each verifier has decided")
                .increment(by: Int64(n))
        }
        for b in s.batches {
            registry.makeGauge(name: "pindai_batch_documents", labels: [("batch", b.name), ("state", "scanned")], help: "Documents per batch")
                .set(Int64(b.scanned))
            if let expected = b.expected {
                registry.makeGauge(name: "pindai_batch_documents", labels: [("batch", b.name), ("state", "expected")], help: "Documents per batch")
                    .set(Int64(expected))
            }
        }
        var histograms: [String: ValueHistogram] = [:]
        for timings in stageTimings {
            for (stage, seconds) in timings {
                let h = histograms[stage] ?? registry.makeValueHistogram(
                    name: "pindai_stage_seconds", labels: [("stage", stage)], buckets: stageBuckets, help: "Seconds per page in each stage")
                histograms[stage] = h
                h.record(seconds)
            }
        }
        return registry.emitToString()
    }
}
