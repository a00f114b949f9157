/// One problem found while loading a template, reported like a compiler diagnostic:
/// `form-templates/rsk-k4.yaml:120:9: error: field 403: boxes overlap field 404 … — hint`.
package struct TemplateIssue: Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is.
    package var location: SourceLocation
    /// The field concerned, if any.
    package var field: String?
    /// What is wrong.
    package var message: String
    /// How to fix it.
    package var hint: String?

    /// Creates an issue.
    package init(location: SourceLocation, field: String? = nil, message: String, hint: String? = nil) {
        self.location = location
        self.field = field
        self.message = message
        self.hint = hint
    }

    /// The one-line diagnostic.
    package var description: String {
        var s = "\(location): error: "
        if let field { s += "field \(field): " }
        s += message
        if let hint { s += " (\(hint))" }
        return s
    }
}

/// A template that failed to load, with every problem found (not just the first), so that one
/// edit-check cycle fixes as much as possible.
package struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    package var issues: [TemplateIssue]

    /// Creates an error from issues.
    package init(issues: [TemplateIssue]) {
        self.issues = issues
    }

    /// All diagnostics, one per line, and a count.
    package var description: String {
        let lines = issues.map(\.description)
        let count = issues.count == 1 ? "1 error" : "\(issues.count) errors"
        return (lines + [count]).joined(separator: "\n")
    }
}
