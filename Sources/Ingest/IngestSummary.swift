import Foundation
import Vocabulary

/// What an ingest run did, for the end-of-run summary.
package struct IngestSummary: Sendable {
    /// An empty summary (nothing done yet), to add runs into.
    package init() {}

    /// Files given (after expanding folders).
    package var files = 0
    /// Files skipped because their content was already stored.
    package var alreadyStored = 0
    /// Files skipped because another live ingest process is reading them.
    package var heldElsewhere = 0
    /// Pages read into field readings.
    package var pagesRead = 0
    /// Files whose fate is now in the store (read, an exception, a duplicate, already stored);
    /// a hot folder moves these out. Files held by another process or left part-read are not.
    package var settledFiles: [String] = []
    /// Blank backs of a duplex scan, counted and set aside.
    package var blankBacks = 0
    /// Exceptions by reason.
    package var exceptions: [ExceptionReason: Int] = [:]
    /// Fields accepted without a person.
    package var accepted = 0
    /// Fields sent to the verification queue.
    package var queued = 0
    /// Image-only fields kept for people.
    package var images = 0
    /// Wall-clock seconds.
    package var seconds = 0.0
    /// Pages (read or exception) handled in this run.
    package var pagesHandled = 0
    /// Seconds per stage, summed over pages.
    package var stageSeconds: [String: Double] = [:]

    /// Pages handled per second of wall-clock time.
    package var pagesPerSecond: Double { seconds > 0 ? Double(pagesHandled) / seconds : 0 }

    /// The summary as lines for the terminal (no personal data: counts only).
    package var lines: [String] {
        var out = ["ingested \(files) file(s): \(pagesRead) page(s) read, \(exceptions.values.reduce(0, +)) exception(s)"
            + (blankBacks > 0 ? ", \(blankBacks) blank back(s)" : "")
            + (alreadyStored > 0 ? ", \(alreadyStored) file(s) already stored and skipped" : "")
            + (heldElsewhere > 0 ? ", \(heldElsewhere) file(s) left to another ingest process reading them" : "")]
        for (reason, n) in exceptions.sorted(by: { $0.key.rawValue < $1.key.rawValue }) { out.append("  exception \(reason.rawValue): \(n)") }
        let fields = accepted + queued
        let share = fields > 0 ? Double(accepted) / Double(fields) * 100 : 0
        out.append("fields: \(accepted) accepted, \(queued) queued for verification (\(Self.format(share)) % auto-accepted), \(images) image-only")
        out.append("speed: \(Self.format(pagesPerSecond)) pages/s (\(pagesHandled) pages in \(Self.format(seconds)) s)")
        return out
    }

    static func format(_ v: Double) -> String { String(format: "%.1f", v) }
}
