/// An axis-aligned rectangle: a box, a fiducial, a text area.
package struct Rect: Hashable, Sendable, Codable {
    /// The top-left corner.
    package var origin: Point
    /// Width (≥ 0).
    package var width: Double
    /// Height (≥ 0).
    package var height: Double

    /// Creates a rectangle from its top-left corner and size.
    package init(x: Double, y: Double, width: Double, height: Double) {
        self.origin = Point(x: x, y: y)
        self.width = width
        self.height = height
    }

    /// Left edge.
    package var minX: Double { origin.x }
    /// Top edge.
    package var minY: Double { origin.y }
    /// Right edge.
    package var maxX: Double { origin.x + width }
    /// Bottom edge.
    package var maxY: Double { origin.y + height }
    /// The centre point.
    package var center: Point { Point(x: origin.x + width / 2, y: origin.y + height / 2) }

    /// The four corners, clockwise from top-left: the order projective fits expect.
    package var corners: [Point] {
        [Point(x: minX, y: minY), Point(x: maxX, y: minY), Point(x: maxX, y: maxY), Point(x: minX, y: maxY)]
    }

    /// The rectangle shrunk by `amount` on every side (grown when negative).
    ///
    /// Readers crop box *interiors*: printed borders confuse both mark counting and Tesseract.
    package func insetBy(_ amount: Double) -> Rect {
        Rect(
            x: minX + amount, y: minY + amount,
            width: max(0, width - 2 * amount), height: max(0, height - 2 * amount))
    }

    /// The rectangle moved by `dx`, `dy`.
    package func offsetBy(dx: Double, dy: Double) -> Rect {
        Rect(x: minX + dx, y: minY + dy, width: width, height: height)
    }

    /// Whether the two rectangles share interior area (touching edges do not count,
    /// so contiguous digit boxes sharing a border are not an overlap).
    package func overlaps(_ other: Rect, tolerance: Double = 1e-6) -> Bool {
        minX < other.maxX - tolerance && other.minX < maxX - tolerance
            && minY < other.maxY - tolerance && other.minY < maxY - tolerance
    }

    /// Whether `other` lies entirely inside this rectangle.
    package func contains(_ other: Rect, tolerance: Double = 1e-6) -> Bool {
        other.minX >= minX - tolerance && other.maxX <= maxX + tolerance
            && other.minY >= minY - tolerance && other.maxY <= maxY + tolerance
    }

    /// The smallest rectangle holding both.
    package func union(_ other: Rect) -> Rect {
        let x0 = min(minX, other.minX)
        let y0 = min(minY, other.minY)
        return Rect(x: x0, y: y0, width: max(maxX, other.maxX) - x0, height: max(maxY, other.maxY) - y0)
    }
}
