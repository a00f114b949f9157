import Geometry

/// One printed page of a form: its registration marks, identity code, printed text and fields.
public struct TemplatePage: Sendable {
    /// Page number, from 1.
    public var number: Int
    /// Title printed in the header.
    public var title: String
    /// The corner registration marks (solid squares), top-left, top-right, bottom-right,
    /// bottom-left. Readers fit a projective map from these.
    public var fiducials: [Rect]
    /// Where the page's QR identity code is printed.
    public var identityCode: Rect
    /// Printed text (block titles, labels, instructions).
    public var texts: [PrintedText]
    /// Printed rules and frames (block separators).
    public var lines: [PrintedLine]
    /// Fields, in declaration order.
    public var fields: [Field]

    /// Creates a page.
    public init(
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
    public var serialLine: Point {
        Point(x: identityCode.minX, y: identityCode.maxY + 3.2)
    }
}

/// A piece of printed text.
public struct PrintedText: Hashable, Sendable {
    /// Baseline start of the first line, millimetres.
    public var at: Point
    /// The text; `\n` separates lines.
    public var text: String
    /// Font size (cap height scale) in millimetres.
    public var size: Double
    /// Bold face for titles.
    public var bold: Bool

    /// Creates printed text.
    public init(at: Point, text: String, size: Double, bold: Bool) {
        self.at = at
        self.text = text
        self.size = size
        self.bold = bold
    }
}

/// A printed straight line or rectangle outline.
public struct PrintedLine: Hashable, Sendable {
    /// Polyline points in millimetres (a closed frame repeats its first point).
    public var points: [Point]
    /// Stroke width in millimetres.
    public var width: Double

    /// Creates a printed line.
    public init(points: [Point], width: Double) {
        self.points = points
        self.width = width
    }
}
