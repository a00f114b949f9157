import Foundation
import Vocabulary

/// Something a person must look at: one doubtful field, or a document-level rule that fails.
package struct ReviewItem: Sendable, Hashable {
    /// Row id.
    package var id: Int64
    /// Form id.
    package var form: String
    /// Form version.
    package var version: Int
    /// Document serial.
    package var serial: Int
    /// One reading, or a document-level rule or missing page.
    package var kind: ReviewItemKind
    /// For field items the field id; for record items the rule id.
    package var rule: String
    /// The fields involved.
    package var fields: [String]
    /// Why it needs a person.
    package var reason: String
    /// The machine's confidence (lowest first in the queue).
    package var confidence: Double
    /// Where the item is in its life (see ``ReviewItemStatus``).
    package var status: ReviewItemStatus
    /// Who holds the claim.
    package var claimedBy: String?
    /// The claim's lease token, new with every claim: a decision or renewal counts only with the
    /// token of the claim it was made under, so a session whose claim expired (and was taken by
    /// someone, even under the same name) cannot decide the item.
    package var claimToken: String?
    /// The first verifier's value in blind double entry (never shown to the second).
    package var firstEntry: String?
    /// Who made the first entry.
    package var firstVerifier: String?

    /// Creates an item (a backend building one from its rows).
    package init(
        id: Int64, form: String, version: Int, serial: Int, kind: ReviewItemKind, rule: String, fields: [String], reason: String, confidence: Double,
        status: ReviewItemStatus, claimedBy: String?, firstEntry: String?, firstVerifier: String?, claimToken: String? = nil
    ) {
        self.claimToken = claimToken
        (self.id, self.form, self.version, self.serial, self.kind, self.rule, self.fields) = (id, form, version, serial, kind, rule, fields)
        (self.reason, self.confidence, self.status, self.claimedBy, self.firstEntry, self.firstVerifier) =
            (reason, confidence, status, claimedBy, firstEntry, firstVerifier)
    }
}

/// One verifier decision on one field: the audit trail.
package struct Decision: Sendable, Hashable {
    /// The item decided.
    package var itemID: Int64
    /// Form id.
    package var form: String
    /// Serial.
    package var serial: Int
    /// Field id.
    package var fieldID: String
    /// Value before.
    package var before: String?
    /// Value after.
    package var after: String?
    /// What was done.
    package var action: DecisionAction
    /// Who.
    package var verifier: String
    /// When.
    package var at: Date
    /// Seconds spent on the item.
    package var seconds: Double
    /// Keys pressed.
    package var keystrokes: Int

    /// Creates a decision.
    package init(
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
package struct DocumentState: Sendable, Hashable {
    /// Form id.
    package var form: String
    /// Version.
    package var version: Int
    /// Serial.
    package var serial: Int
    /// `open`, `promoted`, or `rejected` (by a supervisor, after a page was lost).
    package var status: DocumentStatus
    /// Soft-rule warnings, as messages.
    package var warnings: [String]
    /// Pages a supervisor declared lost: the document is judged without them.
    package var lostPages: [Int] = []

    /// Creates a document state.
    package init(form: String, version: Int, serial: Int, status: DocumentStatus, warnings: [String], lostPages: [Int] = []) {
        (self.form, self.version, self.serial, self.status, self.warnings, self.lostPages) = (form, version, serial, status, warnings, lostPages)
    }
}
