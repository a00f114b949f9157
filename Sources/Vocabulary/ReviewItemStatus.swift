/// A review item's life, written down once: every backend persists the transitions this type
/// computes and never decides them in its own query language.
///
/// ```
///            claim                decide (accept, correct, confirm, second entry agrees)
///   open ──────────▶ claimed ─────────────────────────────────────────────▶ done
///    ▲  ◀── release ──┘ │ first entry                                        ▲
///    │                  ▼                  agree                             │
///    │              second-entry ── claim, decide ───────────────────────────┘
///    │                  │ disagree, refer
///    │                  ▼
///    │              referred ── claim ▶ claimed-referred ── decide ▶ done
///    │                  ▲                     │ release
///    │                  └─────────────────────┘
///   resolved ◀── the rule holds again (open or referred record items); reopened if it fails again
/// ```
///
/// A claim whose lease runs out is claimable again as if it were never taken.
package enum ReviewItemStatus: String, CaseIterable, Sendable, Hashable, Codable {
    /// Waiting in the queue.
    case open
    /// Held by a verifier (with a lease).
    case claimed
    /// Held by a supervisor working the referred queue.
    case claimedReferred = "claimed-referred"
    /// A first blind entry is in; waiting for a second verifier.
    case secondEntry = "second-entry"
    /// Waiting for a supervisor.
    case referred
    /// Decided by a person.
    case done
    /// Needs nobody any more (its rule holds, its document was rejected).
    case resolved

    /// States that count as work waiting for verifiers (queue depth and age).
    package static let waiting: [ReviewItemStatus] = [.open, .claimed, .secondEntry]
    /// States from which nothing more happens.
    package static let finished: [ReviewItemStatus] = [.done, .resolved]
    /// Record-item states that close by themselves once their rule holds again.
    package static let closable: [ReviewItemStatus] = [.open, .referred]

    /// Whether nothing more happens to the item.
    package var isFinished: Bool { Self.finished.contains(self) }

    /// The state a claim moves the item to: a supervisor's claim on a referred item, a
    /// verifier's on the rest; a second-entry item stays second-entry while claimed, so that
    /// the second verifier keys blind.
    package var claimed: ReviewItemStatus? {
        switch self {
        case .open, .claimed: .claimed
        case .secondEntry: .secondEntry
        case .referred, .claimedReferred: .claimedReferred
        case .done, .resolved: nil
        }
    }

    /// The state an item given back (skip, quit) returns to.
    package func released(hasFirstEntry: Bool) -> ReviewItemStatus {
        switch self {
        case .claimedReferred: .referred
        case .claimed, .open: hasFirstEntry ? .secondEntry : .open
        default: self
        }
    }

    /// The state after a decision.
    package static func after(_ action: DecisionAction) -> ReviewItemStatus {
        switch action {
        case .accept, .correct, .confirm, .secondEntry, .pageLost, .documentRejected, .keyed, .illegible: .done
        case .firstEntry: .secondEntry
        case .refer, .disagree: .referred
        case .undo: .claimed
        }
    }
}
