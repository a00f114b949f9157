/// A position on a page. Template geometry is in millimetres; scan geometry in pixels.
package struct Point: Hashable, Sendable, Codable {
    /// Horizontal position, growing to the right.
    package var x: Double
    /// Vertical position, growing downwards (as on paper and in images).
    package var y: Double

    /// Creates a point.
    package init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The point moved by `dx`, `dy`.
    package func offsetBy(dx: Double, dy: Double) -> Point {
        Point(x: x + dx, y: y + dy)
    }

    /// Euclidean distance to another point.
    package func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}
