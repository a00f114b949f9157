/// The review queue's clock, in one place.
package enum ReviewQueueTiming {
    /// How long a verifier holds an item before it returns to the queue (a crashed or idle
    /// verifier's item is claimable again after this). Undo claims the item back for as long.
    package static let claimSeconds = 300.0
    /// How often a working verifier's session renews its claim (on a key pressed after this
    /// long): well inside the lease, so one slow network round trip does not lose it.
    package static let renewAfterSeconds = 60.0
}
