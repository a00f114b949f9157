import Prometheus
import Store
import Vocabulary

/// The Prometheus text exposition of the store's figures. Rebuilt from the store on every
/// scrape, so it counts what every ingest and verify process did, not just this one.
package enum MetricsExporter {
    /// The metrics text for `snapshot` and the stages' histograms of seconds per page.
    package static func text(_ s: StatusSnapshot, stageHistograms: [StageHistogram]) -> String {
        let registry = PrometheusCollectorRegistry()
        let help: [String: String] = [
            "files": "Scan files registered", "pages read": "Pages read into field readings", "exceptions": "Pages and files that became exceptions",
            "fields queued": "Field items opened for verification", "items closed": "Verification items closed",
            "records promoted": "Families promoted to the core store",
        ]
        for stage in s.stages {
            let name = "pindai_" + stage.name.replacingOccurrences(of: " ", with: "_") + "_total"
            registry.makeCounter(descriptor: describe(name, help[stage.name] ?? stage.name)).increment(by: Int64(stage.total))
        }
        // Every reason is exported, 0 included, so dashboards and alerts see each label from the start.
        for reason in ExceptionReason.allCases {
            let n = s.exceptions[reason] ?? 0
            registry.makeCounter(descriptor: describe("pindai_exceptions_by_reason_total", "Exceptions by reason"), labels: [("reason", reason.rawValue)])
                .increment(by: Int64(n))
        }
        registry.makeGauge(descriptor: describe("pindai_queue_items", "Verification items by state"), labels: [("state", "waiting")]).set(Int64(s.queueOpen))
        registry.makeGauge(descriptor: describe("pindai_queue_items", "Verification items by state"), labels: [("state", ReviewItemStatus.referred.rawValue)]).set(Int64(s.queueReferred))
        registry.makeGauge(descriptor: describe("pindai_queue_oldest_seconds", "Age of the oldest waiting item")).set(s.oldestSeconds ?? 0)
        for v in s.verifiers {
            registry.makeGauge(descriptor: describe("pindai_verifier_items_last_hour", "Items decided in the last hour"), labels: [("verifier", v.name)])
                .set(Int64(v.items))
            registry.makeGauge(descriptor: describe("pindai_verifier_keys_per_item", "Keys pressed per item, last hour"), labels: [("verifier", v.name)])
                .set(v.keysPerItem)
        }
        for (name, n) in s.verifierTotals.sorted(by: { $0.key < $1.key }) {
            registry.makeCounter(descriptor: describe("pindai_verifier_items_total", "Items each verifier has decided"), labels: [("verifier", name)])
                .increment(by: Int64(n))
        }
        for b in s.batches {
            registry.makeGauge(descriptor: describe("pindai_batch_documents", "Documents per batch"), labels: [("batch", b.name), ("state", "scanned")])
                .set(Int64(b.scanned))
            if let expected = b.expected {
                registry.makeGauge(descriptor: describe("pindai_batch_documents", "Documents per batch"), labels: [("batch", b.name), ("state", "expected")])
                    .set(Int64(expected))
            }
        }
        for h in s.hotFolders {
            registry.makeGauge(
                descriptor: describe("pindai_hot_folder_backlog_files", "Files waiting in a watched scan folder"), labels: [("folder", h.folder)]
            ).set(Int64(h.backlogFiles))
            registry.makeGauge(
                descriptor: describe("pindai_hot_folder_backlog_bytes", "Bytes waiting in a watched scan folder"), labels: [("folder", h.folder)]
            ).set(h.backlogBytes)
            registry.makeGauge(
                descriptor: describe("pindai_hot_folder_report_age_seconds", "Seconds since the folder's watcher last reported"),
                labels: [("folder", h.folder)]
            ).set(h.reportAge)
        }
        return registry.emitToString() + histogramText(stageHistograms)
    }

    /// A metric's name and help, whole (the name carries its own unit suffix).
    static func describe(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
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
