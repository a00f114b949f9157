/// One problem found while loading a template, reported like a compiler diagnostic:
/// `form-templates/rsk-k4.yaml:120:9: error: field 403: boxes overlap field 404 … — hint`.
public struct TemplateIssue: Hashable, Sendable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// The field concerned, if any.
    public var field: String?
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String?

    /// Creates an issue.
    public init(location: SourceLocation, field: String? = nil, message: String, hint: String? = nil) {
        self.location = location
        self.field = field
        self.message = message
        self.hint = hint
    }

    /// The one-line diagnostic.
    public var description: String {
        var s = "\(location): error: "
        if let field { s += "field \(field): " }
        s += message
        if let hint { s += " (\(hint))" }
        return s
    }
}

/// A template that failed to load, with every problem found (not just the first), so that one
/// edit-check cycle fixes as much as possible.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var issues: [TemplateIssue]

    /// Creates an error from issues.
    public init(issues: [TemplateIssue]) {
        self.issues = issues
    }

    /// All diagnostics, one per line, and a count.
    public var description: String {
        let lines = issues.map(\.description)
        let count = issues.count == 1 ? "1 error" : "\(issues.count) errors"
        return (lines + [count]).joined(separator: "\n")
    }
}
