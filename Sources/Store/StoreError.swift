/// A store that cannot do what was asked: it is unreachable, holds what this pindai does not know, or is not in the state its own writes left it in.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What was found.
    package var description: String

    /// Creates an error.
    package init(_ description: String) {
        self.description = description
    }

    /// A decision on an item whose claim `verifier` no longer holds: it expired and the item
    /// went back to the queue (another verifier may have it now). Nothing was recorded.
    package static func claimLost(itemID: Int64, verifier: String) -> StoreError {
        StoreError(
            "item \(itemID) is no longer claimed by \(verifier): the claim expired and the item went back to the queue; nothing was recorded (take the next item)")
    }
}
