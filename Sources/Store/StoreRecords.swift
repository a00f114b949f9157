import Foundation
import Vocabulary

/// A scan file as the store knows it.
package struct StoredFile: Sendable, Hashable {
    /// Row id.
    package var id: Int64
    /// Batch it was ingested in.
    package var batch: String
    /// Path as given at ingest.
    package var path: String
    /// SHA-256 of the content (hex): the file's identity.
    package var sha256: String
    /// Size in bytes.
    package var size: Int64
    /// Pages in the file, once known.
    package var pageCount: Int?
    /// `reading` (started), `done`, or `failed` (unreadable as a whole).
    package var status: FileStatus

    /// Creates a file record (a backend building one from its rows).
    package init(id: Int64, batch: String, path: String, sha256: String, size: Int64, pageCount: Int?, status: FileStatus) {
        (self.id, self.batch, self.path, self.sha256, self.size, self.pageCount, self.status) = (id, batch, path, sha256, size, pageCount, status)
    }
}

/// Who is reading a file: one ingest run of one process on one machine. A claim whose owner's
/// process is gone (same machine) or whose lease has run out (any machine) may be taken over.
package struct IngestOwner: Sendable, Hashable {
    /// The machine's host name.
    package var host: String
    /// The process id.
    package var pid: Int32
    /// A token of the run, new each run.
    package var token: String

    /// The owner of this process's run.
    package init(host: String = ProcessInfo.processInfo.hostName, pid: Int32 = getpid(), token: String = UUID().uuidString) {
        self.host = host
        self.pid = pid
        self.token = token
    }

    /// `host pid token`, as the store keeps it.
    package var encoded: String { "\(host) \(pid) \(token)" }

    /// Parses ``encoded``.
    package init?(encoded: String) {
        let parts = encoded.split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3, let pid = Int32(parts[1]) else { return nil }
        self.init(host: parts[0], pid: pid, token: parts[2])
    }

    /// How long a claim holds without being renewed.
    package static let lease: TimeInterval = 120

    /// Whether a claim by this owner still holds, seen from `observer` at `now`: on the same
    /// machine, while the process lives; elsewhere, until `expires`.
    package func holds(expires: Date?, observer: IngestOwner, now: Date = Date()) -> Bool {
        if token == observer.token { return true }
        if host == observer.host {
            return pid != observer.pid && (kill(pid, 0) == 0 || errno == EPERM)
        }
        return (expires ?? .distantPast) > now
    }
}

/// What claiming a file's content gave.
package enum FileClaim: Sendable, Hashable {
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
package struct PageRecord: Sendable {
    /// File row id.
    package var fileID: Int64
    /// 0-based page index in the file.
    package var pageIndex: Int
    /// `read` or `exception`.
    package var status: PageStatus
    /// Form id, when identified.
    package var form: String?
    /// Form version, when identified.
    package var version: Int?
    /// Template page number, when identified.
    package var pageNumber: Int?
    /// Document serial, when identified.
    package var serial: Int?
    /// Clockwise quarter turns applied to make it upright.
    package var quarterTurns: Int?
    /// Registration residual, mm.
    package var residual: Double?
    /// Corner marks used.
    package var marksUsed: Int?
    /// Seconds per stage.
    package var timings: [String: Double]
    /// The digit model that read the page: its file's name and the first 12 hex digits of its
    /// SHA-256 (`digits@53cdecac8b61`), so figures can be split by model and re-reads traced.
    package var model: String?
    /// The page as scanned, upright, in the bytes ``FieldClip/region(_:)`` rectangles are cut
    /// from (G4 TIFF for 1-bit pages, 16-level PNG for grey ones): written with the page, read
    /// back only to push it to another store. Empty for exception pages.
    package var image: [UInt8] = []

    /// Creates a page record.
    package init(
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

/// A page as one store holds it, to be stored again in another (a field office's store pushed
/// to the central one): the page, its readings with their clips, its exception.
package struct StoredPage: Sendable {
    /// The page (its `fileID` the holding store's).
    package var page: PageRecord
    /// Its readings, clips included.
    package var readings: [ReadingRecord]
    /// Why it is an exception, for an exception page.
    package var exception: ExceptionRecord?

    /// Creates a stored page.
    package init(page: PageRecord, readings: [ReadingRecord], exception: ExceptionRecord?) {
        (self.page, self.readings, self.exception) = (page, readings, exception)
    }
}

/// Where a field's picture is kept.
package enum FieldClip: Sendable, Hashable {
    /// A rectangle of its page's stored image, `[x, y, width, height]` in pixels: the field is
    /// cut from the one page image when a person or a model needs it.
    case region([Int])
    /// A PNG of its own, as stores written before page images were kept hold it.
    case png([UInt8])

    /// The rectangle as the `clipRect` column stores it (`[x,y,w,h]`).
    package var regionText: String? {
        guard case .region(let r) = self else { return nil }
        return "[" + r.map(String.init).joined(separator: ",") + "]"
    }

    /// A rectangle read back from the `clipRect` column.
    package init?(regionText text: String?) {
        guard let text else { return nil }
        let numbers = text.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard numbers.count == 4 else { return nil }
        self = .region(numbers)
    }

    /// The clip's own PNG, for a clip stored before page images were kept.
    package var png: [UInt8]? {
        guard case .png(let bytes) = self else { return nil }
        return bytes
    }
}

/// A field's picture as a store can give it: which page's image, and where on it (or the
/// field's own PNG, for readings stored before page images were kept).
package struct FieldImage: Sendable, Hashable {
    /// The page row whose image holds the field.
    package var pageID: Int64
    /// Where the field is.
    package var clip: FieldClip

    /// Creates a field image reference.
    package init(pageID: Int64, clip: FieldClip) {
        (self.pageID, self.clip) = (pageID, clip)
    }
}

/// One field reading as stored (its clip is written with it but not read back with it).
package struct ReadingRecord: Sendable, Hashable {
    /// Field id.
    package var fieldID: String
    /// Field kind.
    package var kind: String
    /// Value, or nil.
    package var value: String?
    /// Confidence 0–1.
    package var confidence: Double
    /// `accepted`, `queued`, `image` (later `verified`).
    package var status: ReadingStatus
    /// Why queued.
    package var reason: String?
    /// Per-box evidence, JSON.
    package var boxesJSON: String
    /// Where the field's picture is (nil when none is kept).
    package var clip: FieldClip?
    /// The digit model that read the field (`digits@…`): its own when `reread` replaced the
    /// reading, else its page's. Filled when read back from a store; `nil` when not known.
    package var model: String?

    /// Creates a reading record.
    package init(
        fieldID: String, kind: String, value: String?, confidence: Double, status: ReadingStatus, reason: String?, boxesJSON: String, clip: FieldClip? = nil,
        model: String? = nil
    ) {
        self.fieldID = fieldID
        self.kind = kind
        self.value = value
        self.confidence = confidence
        self.status = status
        self.reason = reason
        self.boxesJSON = boxesJSON
        self.clip = clip
        self.model = model
    }
}

/// Why a page or file did not become readings.
package struct ExceptionRecord: Sendable, Hashable, Codable {
    /// Row id (0 before storing).
    package var id: Int64
    /// Batch name.
    package var batch: String
    /// The file's path.
    package var path: String
    /// 0-based page index, when one page is concerned.
    package var pageIndex: Int?
    /// Short category: `undecodable`, `unsupported-format`, `blank-page`, `unknown-form`, …
    package var reason: ExceptionReason
    /// What happened and what to do.
    package var detail: String
    /// When.
    package var createdAt: Date
    /// The page's row when the page was decoded (its image is then kept: `pageImage(id:)`),
    /// so that a supervisor sees the sheet without the scan file, which a hot folder has moved
    /// and which lies on another machine when the store is shared. Nil for whole-file exceptions.
    package var pageID: Int64?

    /// Creates an exception record.
    package init(
        id: Int64 = 0, batch: String, path: String, pageIndex: Int?, reason: ExceptionReason, detail: String, createdAt: Date = Date(),
        pageID: Int64? = nil
    ) {
        self.id = id
        self.pageID = pageID
        self.batch = batch
        self.path = path
        self.pageIndex = pageIndex
        self.reason = reason
        self.detail = detail
        self.createdAt = createdAt
    }
}

/// What happened when a page was saved.
package enum PageSaveOutcome: Sendable, Hashable {
    /// Stored.
    case saved
    /// This page index of this file was already stored (a resumed run): nothing written.
    case alreadyStored
    /// Another file already holds this form page of this document: stored as an exception.
    case duplicatePage(otherPath: String, otherIndex: Int)
}

/// A document (one printed questionnaire set) assembled from its pages.
package struct DocumentSummary: Sendable, Hashable {
    /// Form id.
    package var form: String
    /// Form version.
    package var version: Int
    /// Serial.
    package var serial: Int
    /// Page numbers present.
    package var pages: [Int]
    /// Fields read, accepted, queued.
    package var fields: Int
    /// Accepted fields.
    package var accepted: Int
    /// Queued fields.
    package var queued: Int

    /// Creates a summary.
    package init(form: String, version: Int, serial: Int, pages: [Int], fields: Int, accepted: Int, queued: Int) {
        (self.form, self.version, self.serial, self.pages, self.fields, self.accepted, self.queued) = (form, version, serial, pages, fields, accepted, queued)
    }
}
