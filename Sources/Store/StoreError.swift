/// The store is not in the state its own writes left it in (a bug or a concurrent edit by hand).
package struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What was found.
    package var description: String

    /// Creates an error.
    package init(_ description: String) {
        self.description = description
    }
}
