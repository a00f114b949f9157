import Foundation
import Store

/// The shift supervisor's page: the same figures as `pindai status`, with throughput charts
/// for the last hour as inline SVG, refreshing itself. Counts only, never form contents.
package enum StatusPage {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A bar chart of per-minute counts.
    package static func chart(_ values: [Int], title: String, colour: String, id: String) -> String {
        let width = 600.0
        let height = 120.0
        let top = Double(max(1, values.max() ?? 1))
        let bar = width / Double(max(1, values.count))
        var bars = ""
        for (i, v) in values.enumerated() where v > 0 {
            let h = Double(v) / top * (height - 20)
            bars += "<rect x=\"\(Int(Double(i) * bar))\" y=\"\(Int(height - h))\" width=\"\(max(1, Int(bar) - 1))\" height=\"\(Int(h))\" fill=\"\(colour)\"/>"
        }
        return """
            <figure><figcaption>\(escape(title)) (per minute, last \(values.count) min; peak \(Int(top)))</figcaption>
            <svg id="\(id)" xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(escape(title))">
            <rect x="0" y="0" width="\(Int(width))" height="\(Int(height))" fill="#f4f4f4"/>\(bars)
            <line x1="0" y1="\(Int(height) - 1)" x2="\(Int(width))" y2="\(Int(height) - 1)" stroke="#999"/>
            </svg></figure>
            """
    }

    /// The whole page.
    package static func html(_ s: StatusSnapshot, series: (pages: [Int], opened: [Int], closed: [Int]), token: String?) -> String {
        let alerts = StatusReport.alerts(s)
        let text = StatusReport.lines(s).dropFirst(2).joined(separator: "\n")
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="10">
            <title>pindai status</title>
            <style>body{font-family:sans-serif;margin:1.5em;max-width:60em} pre{background:#fafafa;padding:1em;border:1px solid #ddd}
            .alert{color:#a00;font-weight:bold} figure{margin:1em 0} figcaption{font-size:.9em;color:#333}</style></head>
            <body><h1>pindai status</h1>
            <p>Updated \(escape(ISO8601DateFormatter().string(from: s.at))); this page refreshes every 10 s.</p>
            \(alerts.isEmpty ? "<p>No alerts.</p>" : alerts.map { "<p class=\"alert\">! \(escape($0))</p>" }.joined())
            \(chart(series.pages, title: "Pages read", colour: "#2b6cb0", id: "chart-pages"))
            \(chart(series.opened, title: "Verification items opened", colour: "#c05621", id: "chart-opened"))
            \(chart(series.closed, title: "Verification items closed", colour: "#2f855a", id: "chart-closed"))
            <pre>\(escape(text))</pre>
            <p><a href="/metrics\(token.map { "?token=\($0)" } ?? "")">Prometheus metrics</a></p>
            </body></html>
            """
    }
}
