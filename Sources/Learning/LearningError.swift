/// Why `pindai learn` cannot go on, with what to do.
package struct LearningError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, where, and what to do.
    package var message: String

    /// Creates an error.
    package init(_ message: String) {
        self.message = message
    }

    /// The message.
    package var description: String { message }
}
