import Foundation
import Vocabulary

/// A scan file as the store knows it.
public struct StoredFile: Sendable, Hashable {
    /// Row id.
    public var id: Int64
    /// Batch it was ingested in.
    public var batch: String
    /// Path as given at ingest.
    public var path: String
    /// SHA-256 of the content (hex): the file's identity.
    public var sha256: String
    /// Size in bytes.
    public var size: Int64
    /// Pages in the file, once known.
    public var pageCount: Int?
    /// `reading` (started), `done`, or `failed` (unreadable as a whole).
    public var status: FileStatus

    /// Creates a file record (a backend building one from its rows).
    public init(id: Int64, batch: String, path: String, sha256: String, size: Int64, pageCount: Int?, status: FileStatus) {
        (self.id, self.batch, self.path, self.sha256, self.size, self.pageCount, self.status) = (id, batch, path, sha256, size, pageCount, status)
    }
}

/// Who is reading a file: one ingest run of one process on one machine. A claim whose owner's
/// process is gone (same machine) or whose lease has run out (any machine) may be taken over.
public struct IngestOwner: Sendable, Hashable {
    /// The machine's host name.
    public var host: String
    /// The process id.
    public var pid: Int32
    /// A token of the run, new each run.
    public var token: String

    /// The owner of this process's run.
    public init(host: String = ProcessInfo.processInfo.hostName, pid: Int32 = getpid(), token: String = UUID().uuidString) {
        self.host = host
        self.pid = pid
        self.token = token
    }

    /// `host pid token`, as the store keeps it.
    public var encoded: String { "\(host) \(pid) \(token)" }

    /// Parses ``encoded``.
    public init?(encoded: String) {
        let parts = encoded.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: parts[0], pid: pid, token: parts[2])
    }

    /// How long a claim holds without being renewed.
    public static let lease: TimeInterval = 120

    /// Whether a claim by this owner still holds, seen from `observer` at `now`: on the same
    /// machine, while the process lives; elsewhere, until `expires`.
    public func holds(expires: Date?, observer: IngestOwner, now: Date = Date()) -> Bool {
        if token == observer.token { return true }
        if host == observer.host {
            return pid != observer.pid && (kill(pid, 0) == 0 || errno == EPERM)
        }
        return (expires ?? .distantPast) > now
    }
}

/// What claiming a file's content gave.
public enum FileClaim: Sendable, Hashable {
    /// This run reads the file (`resumed`: pages an earlier, dead run stored are kept).
    case claimed(id: Int64, resumed: Bool)
    /// The same path with the same content is already stored: nothing to do.
    case alreadyStored(StoredFile)
    /// Another path with the same content is stored or being read: this copy is a duplicate.
    case duplicate(of: StoredFile)
    /// Another live ingest process is reading this content; left to it.
    case heldElsewhere(StoredFile, owner: String)
}

/// One page's outcome, stored together with its readings in one transaction.
public struct PageRecord: Sendable {
    /// File row id.
    public var fileID: Int64
    /// 0-based page index in the file.
    public var pageIndex: Int
    /// `read` or `exception`.
    public var status: PageStatus
    /// Form id, when identified.
    public var form: String?
    /// Form version, when identified.
    public var version: Int?
    /// Template page number, when identified.
    public var pageNumber: Int?
    /// Document serial, when identified.
    public var serial: Int?
    /// Clockwise quarter turns applied to make it upright.
    public var quarterTurns: Int?
    /// Registration residual, mm.
    public var residual: Double?
    /// Corner marks used.
    public var marksUsed: Int?
    /// Seconds per stage.
    public var timings: [String: Double]
    /// The digit model that read the page: its file's name and the first 12 hex digits of its
    /// SHA-256 (`digits@53cdecac8b61`), so figures can be split by model and re-reads traced.
    public var model: String?

    /// Creates a page record.
    public init(
        fileID: Int64, pageIndex: Int, status: PageStatus, form: String? = nil, version: Int? = nil, pageNumber: Int? = nil,
        serial: Int? = nil, quarterTurns: Int? = nil, residual: Double? = nil, marksUsed: Int? = nil, timings: [String: Double] = [:]
    ) {
        self.fileID = fileID
        self.pageIndex = pageIndex
        self.status = status
        self.form = form
        self.version = version
        self.pageNumber = pageNumber
        self.serial = serial
        self.quarterTurns = quarterTurns
        self.residual = residual
        self.marksUsed = marksUsed
        self.timings = timings
    }
}

/// One field reading as stored (clips are written with it but not read back with it).
public struct ReadingRecord: Sendable, Hashable {
    /// Field id.
    public var fieldID: String
    /// Field kind.
    public var kind: String
    /// Value, or nil.
    public var value: String?
    /// Confidence 0–1.
    public var confidence: Double
    /// `accepted`, `queued`, `image` (later `verified`).
    public var status: ReadingStatus
    /// Why queued.
    public var reason: String?
    /// Per-box evidence, JSON.
    public var boxesJSON: String
    /// The field image, PNG (empty when not kept).
    public var clipPNG: [UInt8]

    /// Creates a reading record.
    public init(fieldID: String, kind: String, value: String?, confidence: Double, status: ReadingStatus, reason: String?, boxesJSON: String, clipPNG: [UInt8]) {
        self.fieldID = fieldID
        self.kind = kind
        self.value = value
        self.confidence = confidence
        self.status = status
        self.reason = reason
        self.boxesJSON = boxesJSON
        self.clipPNG = clipPNG
    }
}

/// Why a page or file did not become readings.
public struct ExceptionRecord: Sendable, Hashable, Codable {
    /// Row id (0 before storing).
    public var id: Int64
    /// Batch name.
    public var batch: String
    /// The file's path.
    public var path: String
    /// 0-based page index, when one page is concerned.
    public var pageIndex: Int?
    /// Short category: `undecodable`, `unsupported-format`, `blank-page`, `unknown-form`, …
    public var reason: ExceptionReason
    /// What happened and what to do.
    public var detail: String
    /// When.
    public var createdAt: Date

    /// Creates an exception record.
    public init(id: Int64 = 0, batch: String, path: String, pageIndex: Int?, reason: ExceptionReason, detail: String, createdAt: Date = Date()) {
        self.id = id
        self.batch = batch
        self.path = path
        self.pageIndex = pageIndex
        self.reason = reason
        self.detail = detail
        self.createdAt = createdAt
    }
}

/// What happened when a page was saved.
public enum PageSaveOutcome: Sendable, Hashable {
    /// Stored.
    case saved
    /// This page index of this file was already stored (a resumed run): nothing written.
    case alreadyStored
    /// Another file already holds this form page of this document: stored as an exception.
    case duplicatePage(otherPath: String, otherIndex: Int)
}

/// A document (one printed questionnaire set) assembled from its pages.
public struct DocumentSummary: Sendable, Hashable {
    /// Form id.
    public var form: String
    /// Form version.
    public var version: Int
    /// Serial.
    public var serial: Int
    /// Page numbers present.
    public var pages: [Int]
    /// Fields read, accepted, queued.
    public var fields: Int
    /// Accepted fields.
    public var accepted: Int
    /// Queued fields.
    public var queued: Int

    /// Creates a summary.
    public init(form: String, version: Int, serial: Int, pages: [Int], fields: Int, accepted: Int, queued: Int) {
        (self.form, self.version, self.serial, self.pages, self.fields, self.accepted, self.queued) = (form, version, serial, pages, fields, accepted, queued)
    }
}
