/// How much of the page the verifier sees around the field being decided.
///
/// The field alone is what most decisions need; a digit that runs over its box, a correction
/// written beside the field or a smudged page are seen only wider.
package enum ClipView: String, Sendable, CaseIterable {
    /// The field and a margin of 1.5 mm.
    case field
    /// The field with ``surroundingsMM`` of the page on every side, the rest faded.
    case surroundings
    /// The whole page, everything but the field faded.
    case page

    /// The page shown on every side of the field in ``surroundings``, mm.
    package static let surroundingsMM = 25.0

    /// The next view: wider, then back to the field.
    package var wider: ClipView {
        switch self {
        case .field: .surroundings
        case .surroundings: .page
        case .page: .field
        }
    }
}
