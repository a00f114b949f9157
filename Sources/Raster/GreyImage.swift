/// An 8-bit grey raster (0 = black ink, 255 = white paper) with its scan resolution.
///
/// The one image type that crosses module boundaries: library wrappers convert to and from their
/// own pixel structures internally, so no C pointer leaves the module that owns it.
package struct GreyImage: Hashable, Sendable {
    /// Width in pixels.
    package let width: Int
    /// Height in pixels.
    package let height: Int
    /// Row-major pixels, `width * height` bytes.
    package var pixels: [UInt8]
    /// Resolution in dots per inch (0 when unknown).
    package var dpi: Double

    /// Creates an image from pixels; `pixels.count` must equal `width * height`.
    package init(width: Int, height: Int, pixels: [UInt8], dpi: Double) {
        precondition(pixels.count == width * height, "pixel buffer does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.pixels = pixels
        self.dpi = dpi
    }

    /// A uniform image (blank paper by default).
    package init(width: Int, height: Int, fill: UInt8 = 255, dpi: Double) {
        self.init(width: width, height: height, pixels: [UInt8](repeating: fill, count: width * height), dpi: dpi)
    }

    /// The pixel at column `x`, row `y`.
    package subscript(x: Int, y: Int) -> UInt8 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// The sub-image inside the pixel rectangle, clipped to the image.
    package func cropped(x: Int, y: Int, width w: Int, height h: Int) -> GreyImage {
        let x0 = max(0, min(width, x))
        let y0 = max(0, min(height, y))
        let x1 = max(x0, min(width, x + w))
        let y1 = max(y0, min(height, y + h))
        var out = [UInt8]()
        out.reserveCapacity((x1 - x0) * (y1 - y0))
        pixels.withUnsafeBufferPointer { src in
            for row in y0..<y1 {
                out.append(contentsOf: src[(row * width + x0)..<(row * width + x1)])
            }
        }
        return GreyImage(width: x1 - x0, height: y1 - y0, pixels: out, dpi: dpi)
    }

    /// The image turned by 180° (a sheet fed upside down).
    package func rotated180() -> GreyImage {
        GreyImage(width: width, height: height, pixels: pixels.reversed(), dpi: dpi)
    }

    /// Fraction of pixels darker than `threshold` (a quick ink measure).
    package func darkFraction(below threshold: UInt8 = 128) -> Double {
        guard !pixels.isEmpty else { return 0 }
        var dark = 0
        for p in pixels where p < threshold { dark += 1 }
        return Double(dark) / Double(pixels.count)
    }

    /// The image with each output row `y` taken from source row `y - shift(y)` (linear
    /// interpolation between rows; white beyond the edges). Used to simulate uneven paper feed.
    package func rowsDisplaced(_ shift: (Int) -> Double) -> GreyImage {
        var out = GreyImage(width: width, height: height, dpi: dpi)
        pixels.withUnsafeBufferPointer { src in
            out.pixels.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let sy = Double(y) - shift(y)
                    let y0 = Int(sy.rounded(.down))
                    let f = sy - Double(y0)
                    guard y0 >= 0, y0 + 1 < height else { continue }
                    let a = y0 * width
                    let b = a + width
                    let row = y * width
                    for x in 0..<width {
                        dst[row + x] = UInt8((Double(src[a + x]) * (1 - f) + Double(src[b + x]) * f).rounded())
                    }
                }
            }
        }
        return out
    }
}
