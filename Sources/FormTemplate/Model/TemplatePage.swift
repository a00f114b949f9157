import Geometry

/// One printed page of a form: its registration marks, identity code, printed text and fields.
package struct TemplatePage: Sendable {
    /// Page number, from 1.
    package var number: Int
    /// Title printed in the header.
    package var title: String
    /// The corner registration marks (solid squares), top-left, top-right, bottom-right,
    /// bottom-left. Readers fit a projective map from these.
    package var fiducials: [Rect]
    /// Where the page's QR identity code is printed.
    package var identityCode: Rect
    /// Printed text (block titles, labels, instructions).
    package var texts: [PrintedText]
    /// Printed rules and frames (block separators).
    package var lines: [PrintedLine]
    /// Fields, in declaration order.
    package var fields: [Field]

    /// Creates a page.
    package init(
        number: Int, title: String, fiducials: [Rect], identityCode: Rect, texts: [PrintedText],
        lines: [PrintedLine], fields: [Field]
    ) {
        self.number = number
        self.title = title
        self.fiducials = fiducials
        self.identityCode = identityCode
        self.texts = texts
        self.lines = lines
        self.fields = fields
    }

    /// Where the human-readable form, page and serial line is printed (under the QR code).
    package var serialLine: Point {
        Point(x: identityCode.minX, y: identityCode.maxY + 3.2)
    }
}

/// A piece of printed text.
package struct PrintedText: Hashable, Sendable {
    /// Baseline start of the first line, millimetres.
    package var at: Point
    /// The text; `\n` separates lines.
    package var text: String
    /// Font size (cap height scale) in millimetres.
    package var size: Double
    /// Bold face for titles.
    package var bold: Bool

    /// Creates printed text.
    package init(at: Point, text: String, size: Double, bold: Bool) {
        self.at = at
        self.text = text
        self.size = size
        self.bold = bold
    }
}

/// A printed straight line or rectangle outline.
package struct PrintedLine: Hashable, Sendable {
    /// Polyline points in millimetres (a closed frame repeats its first point).
    package var points: [Point]
    /// Stroke width in millimetres.
    package var width: Double

    /// Creates a printed line.
    package init(points: [Point], width: Double) {
        self.points = points
        self.width = width
    }
}
