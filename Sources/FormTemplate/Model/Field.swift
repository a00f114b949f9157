import Geometry

/// One thing the enumerator fills in: a row of digit boxes, a checkbox, a choice group or a
/// handwritten text area.
package struct Field: Sendable, Identifiable {
    /// Unique id within the form, e.g. `403` or `m2.403` for member 2's NIK.
    package var id: String
    /// The printed label.
    package var label: String
    /// What is written and where.
    package var kind: FieldKind
    /// Page number the field sits on.
    package var page: Int
    /// The block title it belongs to (for the verifier's context), if any.
    package var block: String?
    /// The repeat index (member column 1…5) for fields of repeated blocks.
    package var instance: Int?
    /// The id as written in the block, without the repeat prefix (`403` for `m2.403`).
    package var baseID: String
    /// How the value is checked.
    package var validation: FieldValidation
    /// Where it was declared.
    package var source: SourceLocation
    /// Where the label's baseline starts when the template places it explicitly.
    package var labelAt: Point?
    /// A text field a person types from its image (names, addresses); false for signatures and
    /// free notes, which stay images. Always false for other kinds.
    package var keyed = false

    /// Creates a field.
    package init(
        id: String, label: String, kind: FieldKind, page: Int, block: String?, instance: Int?,
        baseID: String, validation: FieldValidation, source: SourceLocation, labelAt: Point? = nil
    ) {
        self.labelAt = labelAt
        self.id = id
        self.label = label
        self.kind = kind
        self.page = page
        self.block = block
        self.instance = instance
        self.baseID = baseID
        self.validation = validation
        self.source = source
    }

    /// Every printed box of the field (digit boxes, checkbox, option boxes, text area).
    package var boxes: [Rect] {
        switch kind {
        case .digits(let boxes): return boxes
        case .checkbox(let box): return [box]
        case .choice(let group): return group.options.map(\.box)
        case .text(let area): return [area]
        }
    }

    /// The smallest rectangle around all boxes: what the verifier's clip shows.
    package var bounds: Rect {
        boxes.dropFirst().reduce(boxes[0]) { $0.union($1) }
    }

    /// Where the label's baseline starts.
    package var labelPosition: Point {
        if let labelAt { return labelAt }
        let b = boxes[0]
        return Point(x: b.minX, y: b.minY - 1.2)
    }
}

/// The kinds of field a template can declare.
package enum FieldKind: Sendable {
    /// One handwritten digit per box; leading zeros are part of the value.
    case digits([Rect])
    /// A single tick box (value: marked or not).
    case checkbox(Rect)
    /// A group of tick boxes with codes and a selection rule.
    case choice(ChoiceGroup)
    /// A free handwritten area (names, addresses), kept as an image clip for people.
    case text(Rect)

    /// The keyword used in template files.
    package var name: String {
        switch self {
        case .digits: "digits"
        case .checkbox: "checkbox"
        case .choice: "choice"
        case .text: "text"
        }
    }
}

/// A group of checkboxes, each carrying a code.
package struct ChoiceGroup: Sendable {
    /// The options in printed order.
    package var options: [ChoiceOption]
    /// How many may be marked.
    package var selection: Selection
    /// Whether the value is the sum of the marked codes (Regsosek's additive codes: 411, 426, 431a,
    /// 431f), rather than the single marked code.
    package var additive: Bool

    /// Creates a choice group.
    package init(options: [ChoiceOption], selection: Selection, additive: Bool) {
        self.options = options
        self.selection = selection
        self.additive = additive
    }

    /// How many options of a choice may be marked.
    package enum Selection: String, Sendable, CaseIterable {
        /// Exactly one option must be marked.
        case exactlyOne = "exactly-one"
        /// Zero or one option.
        case atMostOne = "at-most-one"
        /// Any combination.
        case any = "any"
    }
}

/// One option of a choice group.
package struct ChoiceOption: Sendable, Hashable {
    /// The code recorded when this option is marked.
    package var code: Int
    /// The printed label beside the box.
    package var label: String
    /// The tick box.
    package var box: Rect

    /// Creates an option.
    package init(code: Int, label: String, box: Rect) {
        self.code = code
        self.label = label
        self.box = box
    }
}
