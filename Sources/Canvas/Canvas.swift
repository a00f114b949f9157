import CCairo
import Foundation
import Geometry
import Raster

/// A drawing surface in millimetre coordinates, backed by cairo: either a grey raster at a given
/// resolution or the pages of a PDF file. Rendering and synthesis draw through this type only, so
/// cairo's pointers never leave this module.
package final class Canvas {
    private let surface: OpaquePointer
    private let context: OpaquePointer
    private let kind: Kind
    /// Page width in millimetres.
    package let width: Double
    /// Page height in millimetres.
    package let height: Double

    private enum Kind {
        case raster(Resolution, pixelWidth: Int, pixelHeight: Int)
        case pdf
    }

    /// A blank white raster page of `width` × `height` mm at `resolution`.
    package init(width: Double, height: Double, resolution: Resolution) {
        let size = resolution.pixelSize(width: width, height: height)
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(size.width), Int32(size.height))
        context = cairo_create(surface)
        kind = .raster(resolution, pixelWidth: size.width, pixelHeight: size.height)
        self.width = width
        self.height = height
        cairo_scale(context, resolution.pixelsPerMillimetre, resolution.pixelsPerMillimetre)
        fill(Rect(x: 0, y: 0, width: width, height: height), grey: 255)
    }

    /// A PDF document at `path` whose pages are `width` × `height` mm; call ``nextPage()`` between
    /// pages and ``finish()`` at the end.
    package init(pdfPath path: String, width: Double, height: Double) throws(CanvasError) {
        let s = cairo_pdf_surface_create(path, width * Typography.pointsPerMillimetre, height * Typography.pointsPerMillimetre)!
        guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else {
            cairo_surface_destroy(s)
            throw CanvasError(message: "cannot create the PDF file \(path)")
        }
        surface = s
        context = cairo_create(s)
        kind = .pdf
        self.width = width
        self.height = height
        cairo_scale(context, Typography.pointsPerMillimetre, Typography.pointsPerMillimetre)
    }

    deinit {
        cairo_destroy(context)
        cairo_surface_destroy(surface)
    }

    private func setGrey(_ grey: UInt8, alpha: Double = 1) {
        let g = Double(grey) / 255
        cairo_set_source_rgba(context, g, g, g, alpha)
    }

    /// Fills a rectangle.
    package func fill(_ rect: Rect, grey: UInt8 = 0, alpha: Double = 1) {
        setGrey(grey, alpha: alpha)
        cairo_rectangle(context, rect.minX, rect.minY, rect.width, rect.height)
        cairo_fill(context)
    }

    /// Outlines a rectangle with a line of `lineWidth` mm centred on its edges.
    package func stroke(_ rect: Rect, lineWidth: Double, grey: UInt8 = 0) {
        setGrey(grey)
        cairo_set_line_width(context, lineWidth)
        cairo_rectangle(context, rect.minX, rect.minY, rect.width, rect.height)
        cairo_stroke(context)
    }

    /// Strokes a polyline with round caps and joins (pen and pencil strokes).
    package func stroke(_ points: [Point], lineWidth: Double, grey: UInt8 = 0, alpha: Double = 1) {
        guard let first = points.first else { return }
        setGrey(grey, alpha: alpha)
        cairo_set_line_width(context, lineWidth)
        cairo_set_line_cap(context, CAIRO_LINE_CAP_ROUND)
        cairo_set_line_join(context, CAIRO_LINE_JOIN_ROUND)
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        cairo_stroke(context)
    }

    /// Fills a closed polygon.
    package func fill(polygon points: [Point], grey: UInt8 = 0, alpha: Double = 1) {
        guard let first = points.first else { return }
        setGrey(grey, alpha: alpha)
        cairo_move_to(context, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(context, p.x, p.y) }
        cairo_close_path(context)
        cairo_fill(context)
    }

    /// Draws one line of text with its baseline starting at `at`; `size` is the em size in mm.
    /// `slant` shears the glyphs (handwriting), `family` picks the font.
    package func text(
        _ string: String, at: Point, size: Double, bold: Bool = false, grey: UInt8 = 0, slant: Double = 0,
        family: String = "DejaVu Sans"
    ) {
        setGrey(grey)
        cairo_select_font_face(
            context, family, CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        var matrix = cairo_matrix_t(xx: size, yx: 0, xy: -slant * size, yy: size, x0: 0, y0: 0)
        cairo_set_font_matrix(context, &matrix)
        cairo_move_to(context, at.x, at.y)
        cairo_show_text(context, string)
        cairo_new_path(context)
    }

    /// Width in mm that `string` takes at `size`.
    package func textWidth(_ string: String, size: Double, bold: Bool = false) -> Double {
        cairo_select_font_face(
            context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, size)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, string, &extents)
        return extents.x_advance
    }

    /// Paints `grey` through an alpha mask (255 = full ink), placed by an affine map from mask
    /// pixels to page millimetres: how synthetic handwriting puts a scanned digit into a box.
    package func paint(mask: GreyImage, transform: AffineMap, grey: UInt8 = 0, opacity: Double = 1) {
        let stride = Int(cairo_format_stride_for_width(CAIRO_FORMAT_A8, Int32(mask.width)))
        var buffer = [UInt8](repeating: 0, count: stride * mask.height)
        for y in 0..<mask.height {
            for x in 0..<mask.width { buffer[y * stride + x] = mask.pixels[y * mask.width + x] }
        }
        buffer.withUnsafeMutableBufferPointer { ptr in
            let maskSurface = cairo_image_surface_create_for_data(
                ptr.baseAddress, CAIRO_FORMAT_A8, Int32(mask.width), Int32(mask.height), Int32(stride))
            cairo_save(context)
            var m = cairo_matrix_t(
                xx: transform.a, yx: transform.b, xy: transform.c, yy: transform.d, x0: transform.tx, y0: transform.ty)
            cairo_transform(context, &m)
            setGrey(grey, alpha: opacity)
            let pattern = cairo_pattern_create_for_surface(maskSurface)
            cairo_pattern_set_filter(pattern, CAIRO_FILTER_GOOD)
            cairo_mask(context, pattern)
            cairo_pattern_destroy(pattern)
            cairo_restore(context)
            cairo_surface_destroy(maskSurface)
        }
    }

    /// Ends the current PDF page and starts a new one.
    package func nextPage() {
        cairo_show_page(context)
    }

    /// Finishes a PDF (writes the file); the canvas must not be drawn on afterwards.
    package func finish() {
        cairo_surface_finish(surface)
    }

    /// The raster page as an 8-bit grey image (luminance of the drawn RGB).
    package func greyImage() -> GreyImage {
        guard case .raster(let resolution, let w, let h) = kind else {
            preconditionFailure("greyImage() needs a raster canvas")
        }
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        var pixels = [UInt8](repeating: 255, count: w * h)
        data.withMemoryRebound(to: UInt32.self, capacity: stride / 4 * h) { words in
            for y in 0..<h {
                let row = y * stride / 4
                for x in 0..<w {
                    let v = words[row + x]
                    let r = (v >> 16) & 0xFF
                    let g = (v >> 8) & 0xFF
                    let b = v & 0xFF
                    pixels[y * w + x] = UInt8((r * 77 + g * 150 + b * 29) >> 8)
                }
            }
        }
        return GreyImage(width: w, height: h, pixels: pixels, dpi: resolution.dpi)
    }
}

/// An affine map `(x, y) → (a x + c y + tx, b x + d y + ty)`, cairo's matrix convention.
package struct AffineMap: Hashable, Sendable {
    /// Matrix entries.
    package var a, b, c, d, tx, ty: Double

    /// Creates a map from its entries.
    package init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        (self.a, self.b, self.c, self.d, self.tx, self.ty) = (a, b, c, d, tx, ty)
    }

    /// Places a `w` × `h` pixel image centred at `center` (mm), scaled to `height` mm, rotated by
    /// `rotation` radians and slanted by `shear` (x += shear × y).
    package static func placing(
        width w: Int, height h: Int, center: Point, height: Double, rotation: Double, shear: Double
    ) -> AffineMap {
        let s = height / Double(h)
        let cosr = cos(rotation)
        let sinr = sin(rotation)
        // M = T(center) · R · Sh · S · T(-w/2, -h/2)
        let a0 = s, c0 = shear * s, b0 = 0.0, d0 = s
        let a = cosr * a0 - sinr * b0
        let b = sinr * a0 + cosr * b0
        let c = cosr * c0 - sinr * d0
        let d = sinr * c0 + cosr * d0
        let hx = Double(w) / 2
        let hy = Double(h) / 2
        return AffineMap(a: a, b: b, c: c, d: d, tx: center.x - (a * hx + c * hy), ty: center.y - (b * hx + d * hy))
    }
}

/// A canvas that could not be created.
package struct CanvasError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    package var message: String
    /// The message.
    package var description: String { message }
}
