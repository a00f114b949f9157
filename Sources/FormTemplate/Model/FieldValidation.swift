/// The checks attached to one field. Cross-field conditions are ``RuleExpression``s, so the
/// questionnaire's skip rules live in the template next to the field they govern.
package struct FieldValidation: Sendable {
    /// Whether a value must be present.
    package var required: Requirement
    /// When set, the field applies only where the condition holds and must be blank elsewhere
    /// (the questionnaire's "iff" skip rules).
    package var applies: RuleExpression?
    /// Allowed numeric range, inclusive.
    package var range: ClosedRange<Int>?
    /// Allowed codes (for coded digit fields); `nil` allows any value in range.
    package var codes: [Int]?
    /// Whether a failure blocks the record (hard) or only warns (soft).
    package var severity: Severity
    /// The structure of a meaningful number (NIK, family card), checked digit by digit.
    package var format: NumberFormat?

    /// Creates a validation.
    package init(
        required: Requirement = .never, applies: RuleExpression? = nil, range: ClosedRange<Int>? = nil,
        codes: [Int]? = nil, severity: Severity = .hard, format: NumberFormat? = nil
    ) {
        self.format = format
        self.required = required
        self.applies = applies
        self.range = range
        self.codes = codes
        self.severity = severity
    }

    /// What is wrong with `value` by this field's own rules alone (code list, range, number
    /// structure), or `nil`; conditions across fields are checked per document.
    package func problem(in value: String) -> String? {
        if let n = Int(value), let problem = problem(in: n) { return problem }
        if let format, let problem = format.problem(in: value) { return problem }
        return nil
    }

    /// What is wrong with the number `value` by the code list and range, or `nil`.
    package func problem(in value: Int) -> String? {
        if let codes, !codes.contains(value) { return "\(value) is not in the code list" }
        if let range, !range.contains(value) { return "\(value) is outside \(range.lowerBound)–\(range.upperBound)" }
        return nil
    }

    /// When a value is required.
    package enum Requirement: Sendable {
        /// Optional.
        case never
        /// Always required.
        case always
        /// Required where the condition holds ("required-if").
        case when(RuleExpression)
    }
}

/// How bad a rule failure is.
package enum Severity: String, Sendable, CaseIterable {
    /// Blocks promotion to the core store and opens a review item.
    case hard
    /// Recorded as a warning on the record.
    case soft
}

/// A form-level rule that relates several fields, e.g. "the member count equals the members
/// present". Written in the same expression language as field conditions.
package struct CrossFieldRule: Sendable {
    /// Short identifier used in messages and the review queue.
    package var id: String
    /// What must hold.
    package var check: RuleExpression
    /// Where it applies (defaults to everywhere).
    package var applies: RuleExpression?
    /// What the verifier is told when it fails.
    package var message: String
    /// Hard or soft.
    package var severity: Severity
    /// Where it was declared.
    package var source: SourceLocation

    /// Creates a rule.
    package init(
        id: String, check: RuleExpression, applies: RuleExpression?, message: String, severity: Severity,
        source: SourceLocation
    ) {
        self.id = id
        self.check = check
        self.applies = applies
        self.message = message
        self.severity = severity
        self.source = source
    }
}
