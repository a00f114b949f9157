import Prometheus
import Store

/// The Prometheus text exposition of the store's figures. Rebuilt from the store on every
/// scrape, so it counts what every ingest and verify process did, not just this one.
public enum MetricsExporter {
    /// The metrics text for `snapshot` and the stages' histograms of seconds per page.
    public static func text(_ s: StatusSnapshot, stageHistograms: [StageHistogram]) -> String {
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
        return registry.emitToString() + histogramText(stageHistograms)
    }

    /// The stage histograms in the exposition format. They are kept aggregated in the store (a
    /// scrape must not read every page), and swift-prometheus's histograms only take single
    /// observations, so these lines are written here, in the layout that library uses.
    static func histogramText(_ histograms: [StageHistogram]) -> String {
        guard !histograms.isEmpty else { return "" }
        let name = "pindai_stage_seconds"
        var out = "# HELP \(name) Seconds per page in each stage\n# TYPE \(name) histogram\n"
        for h in histograms {
            let label = "stage=\"\(h.stage)\""
            var cumulative = 0
            for (bound, count) in zip(StageHistogram.bounds, h.counts) {
                cumulative += count
                out += "\(name)_bucket{\(label),le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "\(name)_bucket{\(label),le=\"+Inf\"} \(h.count)\n"
            out += "\(name)_sum{\(label)} \(h.sum)\n"
            out += "\(name)_count{\(label)} \(h.count)\n"
        }
        return out
    }
}
