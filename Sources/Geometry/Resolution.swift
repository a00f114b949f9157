/// Converts between the template's millimetres and an image's pixels.
///
/// Rendering, synthesis and reading all convert through this one type, so the printed form and
/// the reader's idea of where a box is can never drift apart.
public struct Resolution: Hashable, Sendable, Codable {
    /// Dots per inch.
    public var dpi: Double

    /// Creates a resolution; scanning rooms use 300 dpi.
    public init(dpi: Double) {
        self.dpi = dpi
    }

    /// The standard scanning resolution.
    public static let scan300 = Resolution(dpi: 300)

    /// Millimetres per inch.
    public static let millimetresPerInch = 25.4

    /// Pixels per millimetre.
    public var pixelsPerMillimetre: Double { dpi / Self.millimetresPerInch }

    /// A length in millimetres as pixels (fractional).
    public func pixels(_ millimetres: Double) -> Double { millimetres * pixelsPerMillimetre }

    /// A length in pixels as millimetres.
    public func millimetres(_ pixels: Double) -> Double { pixels / pixelsPerMillimetre }

    /// A point in millimetres as a point in pixels.
    public func pixels(_ point: Point) -> Point { Point(x: pixels(point.x), y: pixels(point.y)) }

    /// A rectangle in millimetres as a rectangle in pixels.
    public func pixels(_ rect: Rect) -> Rect {
        Rect(x: pixels(rect.minX), y: pixels(rect.minY), width: pixels(rect.width), height: pixels(rect.height))
    }

    /// Whole-pixel size of a page of `width` × `height` millimetres (rounded to nearest).
    public func pixelSize(width: Double, height: Double) -> (width: Int, height: Int) {
        (Int(pixels(width).rounded()), Int(pixels(height).rounded()))
    }
}

/// Typographic points (1/72 inch), the unit of PDF pages.
public enum Typography {
    /// Points per millimetre.
    public static let pointsPerMillimetre = 72.0 / Resolution.millimetresPerInch
}
