/// What one record of a form is, declared in the template's `record:` section so that no Swift
/// code knows a form's field ids: the record's name (the core store's table), the fields that
/// link its pages and its sets, how a record too large for one copy of the form spans several
/// sets, its member unit (the columns of the repeated blocks), and the rules that can only be
/// judged over all of a record's sets.
///
/// A template without `record:` makes one record per document, named `record`, whose repeated
/// block columns are `member`s.
package struct RecordLayout: Sendable {
    /// The record's name: the core store keeps it in `<name>_<form>_v<version>`.
    package var name: String
    /// The fields whose values every page and every set of one record share (an identity strip).
    package var link: [String]
    /// How a record spans several copies of the form, when it can.
    package var sets: SetCounter?
    /// The member unit: each column of the repeated blocks is one member row.
    package var members: MemberUnit
    /// Rules over all the sets of a record.
    package var rules: [RecordRule]

    /// Creates a layout.
    package init(name: String, link: [String] = [], sets: SetCounter? = nil, members: MemberUnit = MemberUnit(), rules: [RecordRule] = []) {
        self.name = name
        self.link = link
        self.sets = sets
        self.members = members
        self.rules = rules
    }

    /// The layout of a template that declares none.
    package static let `default` = RecordLayout(name: "record")
}

/// `sets: {index: set.k, count: set.n, agree: {…}}`: a record written on several copies of the
/// form, each saying which copy it is and how many there are.
package struct SetCounter: Sendable {
    /// The field holding this copy's number (1…n).
    package var index: String
    /// The field holding how many copies the record fills.
    package var count: String
    /// The fields every copy repeats, which must agree with the first copy's.
    package var agree: AgreeRule?

    /// Creates a counter.
    package init(index: String, count: String, agree: AgreeRule? = nil) {
        self.index = index
        self.count = count
        self.agree = agree
    }
}

/// The fields every set writes again; `message` may use `{k}` (the set) and `{fields}`.
package struct AgreeRule: Sendable {
    /// The rule's id in the review queue.
    package var id: String
    /// The repeated fields.
    package var fields: [String]
    /// What the verifier is told.
    package var message: String

    /// Creates the rule.
    package init(id: String, fields: [String], message: String) {
        self.id = id
        self.fields = fields
        self.message = message
    }
}

/// `members: {name: member, number: "401", used: "filled($404)"}`.
package struct MemberUnit: Sendable {
    /// The member table's name: `<name>_<form>_v<version>`.
    package var name: String
    /// The member field holding the member's number within the record, numbered on across sets.
    package var number: String?
    /// When a column holds a member (its fields are judged and flagged only then); a member
    /// base-id condition. Without it every column with any value counts.
    package var used: RuleExpression?

    /// Creates a unit.
    package init(name: String = "member", number: String? = nil, used: RuleExpression? = nil) {
        self.name = name
        self.number = number
        self.used = used
    }
}

/// A rule over a whole record: `scope: record` sees the first set's record-level fields and
/// counts members over every set with `members(…)`; `scope: member` holds for each used member
/// column of each set, where `number()` is the member's number in the record.
package struct RecordRule: Sendable {
    /// Where a rule is judged.
    package enum Scope: String, Sendable, CaseIterable {
        /// Once per record.
        case record
        /// Once per used member column.
        case member
    }

    /// The rule's id in the review queue.
    package var id: String
    /// Once per record, or per member.
    package var scope: Scope
    /// What must hold.
    package var check: RuleExpression
    /// Where it applies (defaults to everywhere).
    package var applies: RuleExpression?
    /// The fields flagged when it fails: record-level ids flag the first set's field, member
    /// base ids flag that field in every used column (default: every field the check reads).
    package var flags: [String]
    /// What the verifier is told; `{n}` (column), `{k}` (set), `{number}` and `{found}` (the value of the
    /// check's left side) are filled in.
    package var message: String
    /// Hard or soft.
    package var severity: Severity
    /// Where it was declared.
    package var source: SourceLocation

    /// Creates a rule.
    package init(
        id: String, scope: Scope, check: RuleExpression, applies: RuleExpression?, flags: [String], message: String, severity: Severity,
        source: SourceLocation
    ) {
        self.id = id
        self.scope = scope
        self.check = check
        self.applies = applies
        self.flags = flags
        self.message = message
        self.severity = severity
        self.source = source
    }
}
