/// A position on a page. Template geometry is in millimetres; scan geometry in pixels.
public struct Point: Hashable, Sendable, Codable {
    /// Horizontal position, growing to the right.
    public var x: Double
    /// Vertical position, growing downwards (as on paper and in images).
    public var y: Double

    /// Creates a point.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The point moved by `dx`, `dy`.
    public func offsetBy(dx: Double, dy: Double) -> Point {
        Point(x: x + dx, y: y + dy)
    }

    /// Euclidean distance to another point.
    public func distance(to other: Point) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}
