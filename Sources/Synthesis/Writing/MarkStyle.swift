/// How a person put (or did not put) a mark in a tick box: the variety a reader must survive.
package enum MarkStyle: String, Hashable, Sendable, Codable, CaseIterable {
    /// A tick (✓): selects the option.
    case tick
    /// A cross (✗): selects the option.
    case cross
    /// A scribbled, partly filled box: selects the option.
    case scribble
    /// A faint pencil tick: selects the option, but is hard to see.
    case light
    /// A mark rubbed out with an eraser, leaving light residue: does not select.
    case erased
    /// A box filled completely to cancel a mark, per the printed correction rule: does not select.
    case cancelled
    /// A stray dot or stroke at the box edge: does not select.
    case stray

    /// Whether the style means the option is chosen.
    package var selects: Bool {
        switch self {
        case .tick, .cross, .scribble, .light: true
        case .erased, .cancelled, .stray: false
        }
    }
}
