/// Converts between the template's millimetres and an image's pixels.
///
/// Rendering, synthesis and reading all convert through this one type, so the printed form and
/// the reader's idea of where a box is can never drift apart.
package struct Resolution: Hashable, Sendable, Codable {
    /// Dots per inch.
    package var dpi: Double

    /// Creates a resolution; scanning rooms use 300 dpi.
    package init(dpi: Double) {
        self.dpi = dpi
    }

    /// The standard scanning resolution.
    package static let scan300 = Resolution(dpi: 300)

    /// Millimetres per inch.
    package static let millimetresPerInch = 25.4

    /// Pixels per millimetre.
    package var pixelsPerMillimetre: Double { dpi / Self.millimetresPerInch }

    /// A length in millimetres as pixels (fractional).
    package func pixels(_ millimetres: Double) -> Double { millimetres * pixelsPerMillimetre }

    /// A length in pixels as millimetres.
    package func millimetres(_ pixels: Double) -> Double { pixels / pixelsPerMillimetre }

    /// A point in millimetres as a point in pixels.
    package func pixels(_ point: Point) -> Point { Point(x: pixels(point.x), y: pixels(point.y)) }

    /// A rectangle in millimetres as a rectangle in pixels.
    package func pixels(_ rect: Rect) -> Rect {
        Rect(x: pixels(rect.minX), y: pixels(rect.minY), width: pixels(rect.width), height: pixels(rect.height))
    }

    /// Whole-pixel size of a page of `width` × `height` millimetres (rounded to nearest).
    package func pixelSize(width: Double, height: Double) -> (width: Int, height: Int) {
        (Int(pixels(width).rounded()), Int(pixels(height).rounded()))
    }
}

/// Typographic points (1/72 inch), the unit of PDF pages.
package enum Typography {
    /// Points per millimetre.
    package static let pointsPerMillimetre = 72.0 / Resolution.millimetresPerInch
}
