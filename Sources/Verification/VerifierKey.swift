/// The keys a verifier uses; the terminal UI and the simulated verifier both speak these.
package enum VerifierKey: Hashable, Sendable {
    /// Accept what is shown.
    case enter
    /// A digit: replaces the box under the cursor, or picks the option with that code.
    case digit(Int)
    /// Toggle the tick box under the cursor.
    case space
    /// Next / previous field of a record item.
    case tab, backTab
    /// Move the cursor.
    case left, right, up, down
    /// Clear the box under the cursor.
    case backspace
    /// Undo the last decision.
    case undo
    /// Put the item back for later.
    case skip
    /// Send the item to a supervisor.
    case refer
    /// Show or hide help.
    case help
    /// Show more of the page around the field: its surroundings, the whole page, the field again.
    case wider
    /// Quit (the current item goes back to the queue).
    case quit
    /// A character typed into a text field (keying).
    case character(Character)
    /// Keying: the writing cannot be read.
    case illegible
    /// Keying: the field is empty on paper.
    case leftEmpty
    /// Any other key (closes help; otherwise does nothing).
    case other
}
