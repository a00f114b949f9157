import FormTemplate
import Geometry
import Imaging
import Vocabulary

/// Reads tick boxes by the share of ink inside each box's interior, with two bands that go to a
/// person instead of being guessed: faint marks, and marks that might be the printed
/// cancel-by-filling correction.
package struct MarkReader: Sendable {
    /// Interior inset from the printed box edge, mm (keeps the printed border out of the count).
    package var inset = 0.7
    /// Below this ink share a box is empty.
    package var emptyBelow = 0.035
    /// From here on a box is clearly marked (between the two: marginal).
    package var markedFrom = 0.09
    /// From here on a box may be a cancellation (between this and `cancelledFrom`: marginal).
    package var fillDoubtFrom = 0.86
    /// From here on a box is filled completely: cancelled by the printed correction rule.
    package var cancelledFrom = 0.93

    /// Creates a reader with the default thresholds.
    package init() {}

    /// What one box shows: `empty`, `marginal` (too faint or too full to decide: a person
    /// looks), `marked` or `cancelled` (filled completely), in the shared vocabulary.
    package typealias BoxState = Vocabulary.BoxState

    /// One box's measurement.
    package struct BoxMark: Sendable, Codable, Hashable {
        /// The option's code.
        package var code: Int
        /// Share of ink pixels in the interior.
        package var fill: Double
        /// The decision.
        package var state: BoxState
        /// How far the fill is from the nearest decision boundary, mapped to 0.5–1.
        package var confidence: Double

        /// Creates a measurement.
        package init(code: Int, fill: Double, state: BoxState, confidence: Double) {
            self.code = code
            self.fill = fill
            self.state = state
            self.confidence = confidence
        }
    }

    /// The state and confidence for a fill value.
    package func classify(_ fill: Double) -> (BoxState, Double) {
        let state: BoxState
        var distance: Double
        switch fill {
        case ..<emptyBelow:
            state = .empty
            distance = emptyBelow - fill
        case ..<markedFrom:
            return (.marginal, 0.3)
        case ..<fillDoubtFrom:
            state = .marked
            distance = min(fill - markedFrom, fillDoubtFrom - fill)
        case ..<cancelledFrom:
            return (.marginal, 0.3)
        default:
            state = .cancelled
            distance = fill - cancelledFrom
        }
        distance = max(0, distance)
        return (state, min(1, 0.5 + distance / 0.05 * 0.5))
    }

    /// Measures every option box of a choice or checkbox field; `align`, when given, shifts each
    /// box onto its printed outline first (local re-registration).
    package func measure(
        _ field: Field, on page: ScanPage, transform: ProjectiveTransform, align: ((Rect) -> ProjectiveTransform)? = nil
    ) -> [BoxMark] {
        let boxes: [(Int, Rect)]
        switch field.kind {
        case .checkbox(let box): boxes = [(1, box)]
        case .choice(let group): boxes = group.options.map { ($0.code, $0.box) }
        default: return []
        }
        return boxes.map { code, box in
            let interior = Self.interiorPixels(box.insetBy(inset), transform: align?(box) ?? transform)
            let fill = page.inkFraction(in: interior)
            let (state, confidence) = classify(fill)
            return BoxMark(code: code, fill: (fill * 10000).rounded() / 10000, state: state, confidence: confidence)
        }
    }

    /// The pixel rectangle inside the mapped quadrilateral of a template rectangle (the inner
    /// bounding box, so a slightly rotated interior does not pick up the printed border).
    package static func interiorPixels(_ rect: Rect, transform: ProjectiveTransform) -> Rect {
        let p = transform.apply(rect)
        let x0 = max(p[0].x, p[3].x)
        let x1 = min(p[1].x, p[2].x)
        let y0 = max(p[0].y, p[1].y)
        let y1 = min(p[2].y, p[3].y)
        return Rect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }
}

/// The reading of a choice or checkbox field after the group rule.
package struct ChoiceReading: Sendable, Hashable {
    /// The marked codes.
    package var marked: [Int]
    /// The value: the single marked code, or the sum for additive groups; `nil` when blank or
    /// undecidable.
    package var value: Int?
    /// Field confidence: the least confident box.
    package var confidence: Double
    /// Why it needs a person, if it does.
    package var problem: String?

    /// Applies `field`'s selection rule to box measurements.
    package init(field: Field, marks: [MarkReader.BoxMark]) {
        marked = marks.filter { $0.state == .marked }.map(\.code)
        confidence = marks.map(\.confidence).min() ?? 1
        let marginal = marks.filter { $0.state == .marginal }.map(\.code)
        var problem: String? = marginal.isEmpty ? nil : "unclear mark in box \(marginal.map(String.init).joined(separator: ", "))"
        switch field.kind {
        case .checkbox:
            value = marked.isEmpty ? 0 : 1
        case .choice(let group):
            if group.additive {
                value = marked.reduce(0, +)
                if marked.contains(0) && marked.count > 1 {
                    problem = problem ?? "'none' (0) is marked together with other codes"
                    value = nil
                }
                if marked.isEmpty { value = nil }
            } else if marked.count > 1 {
                value = nil
                problem = problem ?? "\(marked.count) boxes marked where one is allowed"
            } else {
                value = marked.first
            }
        default:
            value = nil
        }
        if problem != nil { confidence = min(confidence, 0.3) }
        self.problem = problem
    }
}
