import Foundation
import Store
import Vocabulary

/// The operators' dashboard as text: per stage totals and throughput, the queue, verifiers,
/// exceptions, batches against their manifests, and alerts. Counts only: no names or numbers
/// from the forms ever appear here.
package enum StatusReport {
    /// Why an operator should look now.
    package static func alerts(_ s: StatusSnapshot) -> [String] {
        var out: [String] = []
        let stage = Dictionary(uniqueKeysWithValues: s.stages.map { ($0.name, $0) })
        if s.queueOpen > 0, s.created5 > s.decided5 + 10, s.created5 > Int(Double(s.decided5) * 1.2) {
            out.append("the verification queue grows faster than it drains (\(s.created5) items in, \(s.decided5) out in 5 min): add verifiers")
        }
        if s.queueOpen == 0, (stage["items closed"]?.last5 ?? 0) > 0 {
            out.append("verifiers are waiting for work: recognition or scanning is the bottleneck")
        }
        if (stage["pages read"]?.last5 ?? 0) == 0, (stage["pages read"]?.last60 ?? 0) > 0,
            s.batches.contains(where: { ($0.expected ?? 0) > $0.scanned })
        {
            out.append("no pages read for 5 minutes while batches are incomplete: check the scanners and ingest")
        }
        if let oldest = s.oldestSeconds, oldest > 4 * 3600 {
            out.append("the oldest item has waited \(Int(oldest / 3600)) h")
        }
        for h in s.hotFolders where !h.stopped && h.reportAge > 120 {
            out.append("the watcher of \(h.folder) has not reported for \(duration(h.reportAge)): is ingest --watch still running?")
        }
        if s.queueReferred > 0 { out.append("\(s.queueReferred) item(s) wait for a supervisor (pindai verify --referred)") }
        return out
    }

    static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        s.count >= n ? s : (right ? String(repeating: " ", count: n - s.count) + s : s + String(repeating: " ", count: n - s.count))
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 90 ? "\(Int(seconds)) s" : seconds < 5400 ? "\(Int(seconds / 60)) min" : "\(Int(seconds / 3600)) h"
    }

    /// The dashboard's lines. `clock` is printed in the header (omit it for stable snapshots).
    package static func lines(_ s: StatusSnapshot, clock: String? = nil) -> [String] {
        var out = ["pindai status" + (clock.map { " · \($0)" } ?? "")]
        out.append("")
        out.append(pad("stage", 18) + pad("total", 9, right: true) + pad("1 min", 9, right: true) + pad("5 min", 9, right: true) + pad("60 min", 9, right: true) + pad("per min (5)", 13, right: true))
        for st in s.stages {
            let rate = String(format: "%.1f", Double(st.last5) / 5)
            out.append(
                pad(st.name, 18) + pad(String(st.total), 9, right: true) + pad(String(st.last1), 9, right: true) + pad(String(st.last5), 9, right: true)
                    + pad(String(st.last60), 9, right: true) + pad(rate, 13, right: true))
        }
        out.append("")
        out.append(
            "queue: \(s.queueOpen) waiting" + (s.oldestSeconds.map { ", oldest \(duration($0))" } ?? "") + ", \(s.queueReferred) referred"
                + "; last 5 min: \(s.created5) in, \(s.decided5) out")
        if s.verifiers.isEmpty {
            out.append("verifiers (last hour): none")
        } else {
            out.append("verifiers (last hour):")
            for v in s.verifiers {
                out.append(
                    "  \(pad(v.name, 12)) \(v.items) items/h, \(String(format: "%.2f", v.keysPerItem)) keys per item"
                        + (v.disagreement.map { String(format: ", double-entry disagreement %.1f %%", $0 * 100) } ?? ""))
            }
        }
        out.append(
            "exceptions: "
                + (s.exceptions.isEmpty
                    ? "none" : s.exceptions.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")))
        for h in s.hotFolders {
            let mib = String(format: "%.1f", Double(h.backlogBytes) / 1_048_576)
            out.append(
                "hot folder \(h.folder): \(h.backlogFiles) file(s) waiting (\(mib) MiB), \(h.filesTaken) taken"
                    + (h.stopped ? ", watcher stopped" : ", reported \(duration(h.reportAge)) ago"))
        }
        if !s.models.isEmpty {
            out.append("digit models (pages read in the last hour · their digit fields accepted without a person):")
            for m in s.models {
                let share = m.digitFields == 0 ? "–" : String(format: "%.1f %%", Double(m.autoAccepted) * 100 / Double(m.digitFields))
                out.append("  \(pad(m.name, 22)) \(m.pages) pages · \(share) of \(m.digitFields) digit fields")
            }
        }
        out.append("batches:")
        for b in s.batches {
            var line = "  \(pad(b.name, 12)) \(b.scanned)" + (b.expected.map { " of \($0)" } ?? "") + " documents scanned, \(b.promoted) promoted"
            if let area = b.area { line += ", area \(area)" }
            if !b.missing.isEmpty { line += ", missing serials " + ranges(b.missing) }
            if !b.unexpected.isEmpty { line += ", unexpected serials " + ranges(b.unexpected) }
            out.append(line)
        }
        let alerts = alerts(s)
        out.append("alerts: " + (alerts.isEmpty ? "none" : ""))
        for a in alerts { out.append("  ! " + a) }
        return out
    }

    /// `1-3, 7, 9-12`.
    package static func ranges(_ values: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < values.count {
            var j = i
            while j + 1 < values.count, values[j + 1] == values[j] + 1 { j += 1 }
            parts.append(i == j ? "\(values[i])" : "\(values[i])-\(values[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
