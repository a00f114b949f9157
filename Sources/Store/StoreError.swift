/// The store is not in the state its own writes left it in (a bug or a concurrent edit by hand).
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What was found.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
