/// What an enumerator wrote in one field: the ground truth a synthetic scan is made from.
package enum FieldValue: Hashable, Sendable, Codable {
    /// Digit boxes; the string holds one character per filled box, leading zeros included.
    case digits(String)
    /// The codes of the choice options marked (after cancellations).
    case choice([Int])
    /// A single checkbox.
    case checkbox(Bool)
    /// Handwritten text (kept as an image by the reader).
    case text(String)

    /// The number conditions compare with: a digit string's value, a single choice's code or an
    /// additive choice's sum; `nil` for blank and text.
    package func numeric(additive: Bool) -> Int? {
        switch self {
        case .digits(let s): return s.isEmpty ? nil : Int(s)
        case .choice(let codes):
            if codes.isEmpty { return nil }
            return additive ? codes.reduce(0, +) : (codes.count == 1 ? codes[0] : nil)
        case .checkbox(let b): return b ? 1 : 0
        case .text: return nil
        }
    }

    /// Whether nothing was written.
    package var isBlank: Bool {
        switch self {
        case .digits(let s), .text(let s): s.isEmpty
        case .choice(let codes): codes.isEmpty
        case .checkbox(let b): !b
        }
    }
}
