import FormTemplate
import Foundation
import Vocabulary

/// The verification queue: items opened by validation, claimed by verifiers with a lease,
/// decided, undone and audited. Item states move only as ``ReviewItemStatus`` says; a backend
/// persists those moves.
package protocol ReviewQueue: Sendable {
    /// Opens an item unless the same one exists (re-validation is idempotent); a `resolved`
    /// item that fails again reopens. Returns whether it was new.
    @discardableResult
    func openItem(
        form: String, version: Int, serial: Int, kind: ReviewItemKind, rule: String, fields: [String], reason: String, confidence: Double
    ) async throws -> Bool
    /// Resolves open or referred record items whose rule no longer fails.
    func closeResolvedRecordItems(form: String, version: Int, serial: Int, stillFailing: Set<String>) async throws
    /// Claims the next item of `queue` for `verifier` (field items first, least confident
    /// first; text fields in document and field order); never the same item to two verifiers.
    func claimNext(
        verifier: String, field: String?, batch: String?, claimSeconds: Double, queue: WorkQueue, excluding: [Int64]
    ) async throws -> ReviewItem?
    /// Gives an item back (skip, quit).
    func release(itemID: Int64, verifier: String) async throws
    /// Extends the lease of a claim the verifier still works on, by `claimSeconds` from now;
    /// false when the claim is gone (it expired and the item went back to the queue).
    func renewClaim(itemID: Int64, token: String, claimSeconds: Double) async throws -> Bool
    /// Records a decision: values, the item's next state, the audit rows, atomically; only
    /// under the claim `item` was handed out with (``ReviewItem/claimToken``), else
    /// ``StoreError/claimLost(itemID:verifier:)`` and nothing is written.
    func decide(
        item: ReviewItem, values: [String: String?], action: DecisionAction, verifier: String, seconds: Double, keystrokes: Int,
        firstEntry: String?
    ) async throws
    /// Takes back `verifier`'s last decision on an item and claims it for them again (with a new
    /// token: read the item again to decide it).
    func undo(itemID: Int64, verifier: String) async throws
    /// One item by id.
    func item(id: Int64) async throws -> ReviewItem?
    /// A document's items that are not finished.
    func unfinishedItems(form: String, version: Int, serial: Int) async throws -> [ReviewItem]
    /// Items waiting, referred, and the age of the oldest waiting one.
    func queueDepth() async throws -> (open: Int, referred: Int, oldestSeconds: Double?)
    /// A document's audit trail, oldest first.
    func decisions(form: String?, serial: Int) async throws -> [Decision]
    /// Where a field's picture is, for the person deciding it (nil when none was kept).
    func fieldImage(form: String, serial: Int, fieldID: String) async throws -> FieldImage?
    /// A page's stored image (G4 TIFF or PNG), nil when none was kept.
    func pageImage(id: Int64) async throws -> [UInt8]?
}

extension ReviewQueue {
    /// Claims the next item with the default lease.
    package func claimNext(
        verifier: String, field: String? = nil, batch: String? = nil, queue: WorkQueue = .doubts, excluding: [Int64] = []
    ) async throws -> ReviewItem? {
        try await claimNext(
            verifier: verifier, field: field, batch: batch, claimSeconds: ReviewQueueTiming.claimSeconds, queue: queue, excluding: excluding)
    }

    /// Extends a claim by the default lease.
    package func renewClaim(itemID: Int64, token: String) async throws -> Bool {
        try await renewClaim(itemID: itemID, token: token, claimSeconds: ReviewQueueTiming.claimSeconds)
    }

    /// Records a decision that is not a first entry.
    package func decide(
        item: ReviewItem, values: [String: String?], action: DecisionAction, verifier: String, seconds: Double, keystrokes: Int
    ) async throws {
        try await decide(item: item, values: values, action: action, verifier: verifier, seconds: seconds, keystrokes: keystrokes, firstEntry: nil)
    }
}

/// Documents on their way to the core store: their read pages and values, their state
/// (open, promoted, rejected), warnings and lost pages.
package protocol DocumentStates: Sendable {
    /// The state of a document (created `open` on first sight).
    func documentState(form: String, version: Int, serial: Int) async throws -> DocumentState
    /// Every reading of one document.
    func readings(form: String, serial: Int) async throws -> [ReadingRecord]
    /// Template page numbers read for a document.
    func pageNumbers(form: String, version: Int, serial: Int) async throws -> Set<Int>
    /// Documents with read pages, optionally of one batch.
    func documentKeys(batch: String?) async throws -> [(form: String, version: Int, serial: Int)]
    /// Records soft-rule warnings on a document.
    func setWarnings(form: String, version: Int, serial: Int, warnings: [String]) async throws
    /// Marks a document promoted; false when it already was.
    func markPromoted(form: String, version: Int, serial: Int) async throws -> Bool
    /// A supervisor's word that a page will never be scanned (see ``SQLiteStore``).
    func declarePageLost(
        form: String, version: Int, serial: Int, page: Int, missing: [Int], supervisor: String, reason: String, reject: Bool
    ) async throws
    /// Other documents holding `value` in one of `fieldIDs` (the same NIK twice).
    func otherDocuments(withValue value: String, inFields fieldIDs: [String], excludingSerial serial: Int) async throws -> [(serial: Int, fieldID: String)]
    /// Serials of a form's documents whose readings hold every one of `values`.
    func documents(form: String, withValues values: [String: String]) async throws -> [Int]
}

/// Everything the review of documents needs: the queue, the documents' states, the area list.
package typealias ReviewStore = ReviewQueue & DocumentStates & AreaReference

/// The figures of the operators' dashboard and metrics.
package protocol StatusSource: Sendable {
    /// The dashboard's figures now.
    func status(now: Date) async throws -> StatusSnapshot
    /// Events per minute over the last `minutes` minutes.
    func perMinute(minutes: Int, now: Date) async throws -> (pages: [Int], opened: [Int], closed: [Int])
    /// Per-stage histograms of seconds per page.
    func stageHistograms() async throws -> [StageHistogram]
}

extension StatusSource {
    /// The dashboard's figures now.
    package func status() async throws -> StatusSnapshot { try await status(now: Date()) }
    /// Events per minute over the last hour.
    package func perMinute() async throws -> (pages: [Int], opened: [Int], closed: [Int]) { try await perMinute(minutes: 60, now: Date()) }
}

/// Batches and their manifests.
package protocol BatchManifests: Sendable {
    /// Creates (or updates) a batch manifest.
    func createBatch(name: String, expectedDocuments: Int, area: String?, serials: ClosedRange<Int>?) async throws
}

/// A whole store: every role, where it is (for messages and for keeping ingest off its own
/// files), and the batch-level figures the commands print.
package protocol PindaiStore: CaptureStore, ReviewQueue, DocumentStates, AreaReference, StatusSource, BatchManifests, DigitModelStore {
    /// Where the store is, as the user named it.
    var location: String { get }
    /// Files that belong to the store itself and must never be ingested as scans.
    var ownFiles: Set<String> { get }
    /// Counts for a batch (all batches when nil).
    func counts(batch: String?) async throws -> (pages: Int, exceptions: Int, accepted: Int, queued: Int, image: Int)
    /// Each file's status by path.
    func fileStatuses() async throws -> [String: FileStatus]
    /// Seconds per stage, summed over a batch's pages.
    func stageTimings(batch: String?) async throws -> [String: Double]
    /// The core store in this store's own database (the default: one place to back up).
    func coreRecords() throws -> any CoreRecords
    /// What the store takes on disk: every table and index (`total`), and the image bytes among
    /// them (`images`: page images, and clips stored before page images were kept), for the
    /// bench's bytes per page.
    func storageBytes() async throws -> (total: Int64, images: Int64)
}

/// The core store: clean, complete records only, written exactly once per family.
package protocol CoreRecords: Sendable {
    /// Writes a family's record; false (and nothing written) when it is already there.
    func promote(
        template: FormTemplate, serial: Int, family: [String: String], members: [Int: [String: String]], warnings: [String]
    ) async throws -> Bool
    /// Every promoted family with its members, for export.
    func records(template: FormTemplate) async throws -> [(family: [String: String], members: [[String: String]])]
}

/// The area master list (province, regency, district, village and SLS codes with their names),
/// which area fields are checked against and which keyers complete names from.
package protocol AreaReference: Sendable {
    /// Replaces the list with `entries` (code → name); returns how many are loaded.
    func loadReference(_ entries: [(code: String, name: String)]) async throws -> Int
    /// How many codes are loaded (0: no list, nothing is checked).
    func referenceCount() async throws -> Int
    /// The names of those of `codes` that are in the list.
    func referenceNames(codes: [String]) async throws -> [String: String]
    /// Names of the codes of `length` characters under `prefix` (the SLS of one village), sorted.
    func referenceNames(under prefix: String, length: Int) async throws -> [String]
}
