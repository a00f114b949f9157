/// A store that cannot do what was asked: it is unreachable, holds what this pindai does not know, or is not in the state its own writes left it in.
package struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What was found.
    package var description: String
    /// The item whose claim was lost, when that is what went wrong (the verifier's session takes
    /// the next item instead of stopping).
    package var lostClaim: Int64?

    /// Creates an error.
    package init(_ description: String, lostClaim: Int64? = nil) {
        self.description = description
        self.lostClaim = lostClaim
    }

    /// A decision on an item whose claim `verifier` no longer holds: it expired and the item
    /// went back to the queue (another verifier may have it now). Nothing was recorded.
    package static func claimLost(itemID: Int64, verifier: String) -> StoreError {
        StoreError(
            "item \(itemID) is no longer claimed by \(verifier): the claim expired and the item went back to the queue; nothing was recorded (take the next item)",
            lostClaim: itemID)
    }
}
