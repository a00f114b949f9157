import Foundation
import Vocabulary

/// Figures for the operators' dashboard, read from the store so they are right whichever
/// process (ingest, verifier) did the work.
package struct StatusSnapshot: Sendable, Hashable {
    /// One pipeline stage's totals and recent throughput.
    package struct Stage: Sendable, Hashable {
        /// Stage name as shown.
        package var name: String
        /// All-time total.
        package var total: Int
        /// Events in the last 1, 5 and 60 minutes.
        package var last1: Int, last5: Int, last60: Int

        /// Creates a stage row.
        package init(name: String, total: Int, last1: Int, last5: Int, last60: Int) {
            (self.name, self.total, self.last1, self.last5, self.last60) = (name, total, last1, last5, last60)
        }
    }

    /// One verifier's last hour.
    package struct Verifier: Sendable, Hashable {
        /// Name.
        package var name: String
        /// Items decided in the last hour.
        package var items: Int
        /// Keys per item.
        package var keysPerItem: Double
        /// Share of second entries that disagreed (double entry), when any.
        package var disagreement: Double?

        /// Creates a verifier row.
        package init(name: String, items: Int, keysPerItem: Double, disagreement: Double?) {
            (self.name, self.items, self.keysPerItem, self.disagreement) = (name, items, keysPerItem, disagreement)
        }
    }

    /// One batch against its manifest.
    package struct Batch: Sendable, Hashable {
        /// Name.
        package var name: String
        /// Documents expected, when a manifest was made.
        package var expected: Int?
        /// Area code of the manifest.
        package var area: String?
        /// Documents with at least one page read.
        package var scanned: Int
        /// Documents promoted.
        package var promoted: Int
        /// Expected serials not seen.
        package var missing: [Int]
        /// Serials seen but not expected.
        package var unexpected: [Int]

        /// Creates a batch row.
        package init(name: String, expected: Int?, area: String?, scanned: Int, promoted: Int, missing: [Int], unexpected: [Int]) {
            (self.name, self.expected, self.area, self.scanned, self.promoted, self.missing, self.unexpected) =
                (name, expected, area, scanned, promoted, missing, unexpected)
        }
    }

    /// A watched scan folder, as its `ingest --watch` process last reported it.
    package struct HotFolder: Sendable, Hashable {
        /// The folder.
        package var folder: String
        /// Files seen and not yet handled (ready or still being written).
        package var backlogFiles: Int
        /// Their bytes.
        package var backlogBytes: Int64
        /// Files handled since the watch started.
        package var filesTaken: Int
        /// Seconds since the watcher last reported (a stopped or dead watcher grows old).
        package var reportAge: Double
        /// Whether the watcher said it stopped.
        package var stopped: Bool

        /// Creates a row.
        package init(folder: String, backlogFiles: Int, backlogBytes: Int64, filesTaken: Int, reportAge: Double, stopped: Bool) {
            (self.folder, self.backlogFiles, self.backlogBytes, self.filesTaken, self.reportAge, self.stopped) =
                (folder, backlogFiles, backlogBytes, filesTaken, reportAge, stopped)
        }
    }

    /// One digit model's last hour: the pages it read and how many of their digit fields it
    /// accepted without a person (the figure a learned model should raise).
    package struct Model: Sendable, Hashable {
        /// `digits@…`, or `none` for pages read without a model.
        package var name: String
        /// Pages it read in the last hour.
        package var pages: Int
        /// Their digit fields.
        package var digitFields: Int
        /// Of those, fields still auto-accepted (never sent to a person).
        package var autoAccepted: Int

        /// Creates a model row.
        package init(name: String, pages: Int, digitFields: Int, autoAccepted: Int) {
            (self.name, self.pages, self.digitFields, self.autoAccepted) = (name, pages, digitFields, autoAccepted)
        }
    }

    /// When the snapshot was taken.
    package var at: Date
    /// Stages in pipeline order.
    package var stages: [Stage]
    /// Items waiting (open, claimed, second entry).
    package var queueOpen: Int
    /// Items referred to a supervisor.
    package var queueReferred: Int
    /// Age of the oldest waiting item, seconds.
    package var oldestSeconds: Double?
    /// Items created and decided in the last 5 minutes (growth against drain).
    package var created5: Int, decided5: Int
    /// Verifiers active in the last hour.
    package var verifiers: [Verifier]
    /// Exceptions by reason.
    package var exceptions: [ExceptionReason: Int]
    /// Batches.
    package var batches: [Batch]
    /// Items each verifier has decided, all time.
    package var verifierTotals: [String: Int]
    /// Watched scan folders.
    package var hotFolders: [HotFolder] = []
    /// Digit models that read pages in the last hour, by name.
    package var models: [Model] = []

    /// Creates a snapshot.
    package init(
        at: Date, stages: [Stage], queueOpen: Int, queueReferred: Int, oldestSeconds: Double?, created5: Int, decided5: Int,
        verifiers: [Verifier], exceptions: [ExceptionReason: Int], batches: [Batch], verifierTotals: [String: Int] = [:]
    ) {
        self.verifierTotals = verifierTotals
        self.at = at
        self.stages = stages
        self.queueOpen = queueOpen
        self.queueReferred = queueReferred
        self.oldestSeconds = oldestSeconds
        self.created5 = created5
        self.decided5 = decided5
        self.verifiers = verifiers
        self.exceptions = exceptions
        self.batches = batches
    }

    /// The dashboard's windows, in seconds: the last minute, five minutes (growth against drain)
    /// and hour (verifier rates).
    package enum Window {
        /// The last minute.
        package static let minute: TimeInterval = 60
        /// The last five minutes.
        package static let fiveMinutes: TimeInterval = 300
        /// The last hour.
        package static let hour: TimeInterval = 3600
    }
}
