import Foundation
import Vocabulary

/// Something a person must look at: one doubtful field, or a document-level rule that fails.
public struct ReviewItem: Sendable, Hashable {
    /// Row id.
    public var id: Int64
    /// Form id.
    public var form: String
    /// Form version.
    public var version: Int
    /// Document serial.
    public var serial: Int
    /// One reading, or a document-level rule or missing page.
    public var kind: ReviewItemKind
    /// For field items the field id; for record items the rule id.
    public var rule: String
    /// The fields involved.
    public var fields: [String]
    /// Why it needs a person.
    public var reason: String
    /// The machine's confidence (lowest first in the queue).
    public var confidence: Double
    /// Where the item is in its life (see ``ReviewItemStatus``).
    public var status: ReviewItemStatus
    /// Who holds the claim.
    public var claimedBy: String?
    /// The first verifier's value in blind double entry (never shown to the second).
    public var firstEntry: String?
    /// Who made the first entry.
    public var firstVerifier: String?

    /// Creates an item (a backend building one from its rows).
    public init(
        id: Int64, form: String, version: Int, serial: Int, kind: ReviewItemKind, rule: String, fields: [String], reason: String, confidence: Double,
        status: ReviewItemStatus, claimedBy: String?, firstEntry: String?, firstVerifier: String?
    ) {
        (self.id, self.form, self.version, self.serial, self.kind, self.rule, self.fields) = (id, form, version, serial, kind, rule, fields)
        (self.reason, self.confidence, self.status, self.claimedBy, self.firstEntry, self.firstVerifier) =
            (reason, confidence, status, claimedBy, firstEntry, firstVerifier)
    }
}

/// One verifier decision on one field: the audit trail.
public struct Decision: Sendable, Hashable {
    /// The item decided.
    public var itemID: Int64
    /// Form id.
    public var form: String
    /// Serial.
    public var serial: Int
    /// Field id.
    public var fieldID: String
    /// Value before.
    public var before: String?
    /// Value after.
    public var after: String?
    /// What was done.
    public var action: DecisionAction
    /// Who.
    public var verifier: String
    /// When.
    public var at: Date
    /// Seconds spent on the item.
    public var seconds: Double
    /// Keys pressed.
    public var keystrokes: Int

    /// Creates a decision.
    public init(
        itemID: Int64, form: String, serial: Int, fieldID: String, before: String?, after: String?, action: DecisionAction, verifier: String,
        at: Date = Date(), seconds: Double, keystrokes: Int
    ) {
        self.itemID = itemID
        self.form = form
        self.serial = serial
        self.fieldID = fieldID
        self.before = before
        self.after = after
        self.action = action
        self.verifier = verifier
        self.at = at
        self.seconds = seconds
        self.keystrokes = keystrokes
    }
}

/// A document's place on the way to the core store.
public struct DocumentState: Sendable, Hashable {
    /// Form id.
    public var form: String
    /// Version.
    public var version: Int
    /// Serial.
    public var serial: Int
    /// `open`, `promoted`, or `rejected` (by a supervisor, after a page was lost).
    public var status: DocumentStatus
    /// Soft-rule warnings, as messages.
    public var warnings: [String]
    /// Pages a supervisor declared lost: the document is judged without them.
    public var lostPages: [Int] = []

    /// Creates a document state.
    public init(form: String, version: Int, serial: Int, status: DocumentStatus, warnings: [String], lostPages: [Int] = []) {
        (self.form, self.version, self.serial, self.status, self.warnings, self.lostPages) = (form, version, serial, status, warnings, lostPages)
    }
}
