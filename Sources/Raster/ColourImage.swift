/// An 8-bit RGB raster with its resolution: how a colour page crosses from the module that
/// decoded it (the PDF reader) to the one that reduces it to grey (imaging), so that both
/// colour paths (image files and PDF pages) drop out the same form colour the same way.
package struct ColourImage: Hashable, Sendable {
    /// Width in pixels.
    package let width: Int
    /// Height in pixels.
    package let height: Int
    /// Row-major R, G, B bytes, `width * height * 3`.
    package var rgb: [UInt8]
    /// Resolution in dots per inch (0 when unknown).
    package var dpi: Double

    /// Creates an image; `rgb.count` must equal `width * height * 3`.
    package init(width: Int, height: Int, rgb: [UInt8], dpi: Double) {
        precondition(rgb.count == width * height * 3, "RGB buffer does not match \(width)×\(height)")
        self.width = width
        self.height = height
        self.rgb = rgb
        self.dpi = dpi
    }
}

/// A decoded page: grey when every pixel was grey (as nearly all scans of pencil forms are),
/// colour otherwise.
package enum PageRaster: Hashable, Sendable {
    /// An 8-bit grey page.
    case grey(GreyImage)
    /// An RGB page.
    case colour(ColourImage)

    /// The page's resolution in dots per inch.
    package var dpi: Double {
        switch self {
        case .grey(let g): g.dpi
        case .colour(let c): c.dpi
        }
    }
}
