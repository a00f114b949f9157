/// Where something was declared in a template file, for compiler-style messages.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The template file as the user named it.
    public var file: String
    /// 1-based line, 0 when unknown.
    public var line: Int
    /// 1-based column, 0 when unknown.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, or just the parts that are known.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}
