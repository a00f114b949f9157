import FormTemplate

/// A rule a document breaks: hard ones block promotion and open a review item; soft ones are
/// warnings on the record.
package struct Violation: Sendable, Hashable, CustomStringConvertible {
    /// The rule: a template rule id (`member-count`, `m2.nik-sex`) or `FIELD:required`,
    /// `FIELD:blank`, `FIELD:codes`, `FIELD:range`, `FIELD:format`.
    package var rule: String
    /// The fields involved, for the verifier to show and correct.
    package var fields: [String]
    /// Hard or soft.
    package var severity: Severity
    /// What is wrong, in the words the verifier reads (no personal data).
    package var message: String

    /// Creates a violation.
    package init(rule: String, fields: [String], severity: Severity, message: String) {
        self.rule = rule
        self.fields = fields
        self.severity = severity
        self.message = message
    }

    /// `hard member-count: 112 (family members) differs … [112, m1.404, …]`.
    package var description: String {
        "\(severity.rawValue) \(rule): \(message) [\(fields.joined(separator: ", "))]"
    }
}
