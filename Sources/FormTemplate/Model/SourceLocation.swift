/// Where something was declared in a template file, for compiler-style messages.
package struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The template file as the user named it.
    package var file: String
    /// 1-based line, 0 when unknown.
    package var line: Int
    /// 1-based column, 0 when unknown.
    package var column: Int

    /// Creates a location.
    package init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, or just the parts that are known.
    package var description: String {
        line > 0 ? "\(file):\(line):\(column)" : file
    }
}
