import CPoppler
import Foundation
import Raster

/// A PDF file read through poppler (glib API), page by page.
///
/// A scanner writes one image per page (CCITT G4, JPEG or Flate): that image is taken as it is,
/// at its own resolution, so nothing is resampled. Any other page (a form printed from a
/// drawing program, text over an image) is rendered at ``renderDPI``.
///
/// Owned by one worker at a time (not `Sendable`): poppler documents are not thread-safe.
package final class PDFDocument {
    private let document: OpaquePointer
    /// Number of pages.
    package let pageCount: Int
    /// Whether the file ends with `%%EOF`, as a complete PDF does. A file cut short by a copy
    /// that was interrupted still opens (poppler rebuilds its index) but may lack pages.
    package let endsCleanly: Bool

    /// Resolution at which pages that are not one scanned image are drawn.
    package static let renderDPI = 300.0
    /// Share of the page an image must cover to count as the scan of that page.
    static let scanCoverage = 0.9

    /// The file's path, for qpdf.
    private let path: String
    /// The same file opened with qpdf, on first use (for a page's G4 data as stored).
    private lazy var qpdf: QPDFFile? = QPDFFile(path: path)

    /// Opens `path`; throws ``PDFError`` when it is not a readable, unencrypted PDF.
    package init(path: String) throws(PDFError) {
        self.path = path
        endsCleanly = Self.endsCleanly(path)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw PDFError(code: .unreadable, detail: "cannot open the file; check that it exists and is readable")
        }

        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var error: UnsafeMutablePointer<GError>? = nil
        guard let uri = g_filename_to_uri(absolute, nil, &error) else {
            throw PDFError(code: .unreadable, detail: Self.take(&error) ?? "cannot name the file for poppler")
        }
        defer { g_free(uri) }
        guard let doc = poppler_document_new_from_file(uri, nil, &error) else {
            let code = error?.pointee.code
            let message = Self.take(&error) ?? "not a PDF document"
            if code == Int32(POPPLER_ERROR_ENCRYPTED.rawValue) {
                throw PDFError(code: .encrypted, detail: "the PDF is encrypted with a password (\(message))")
            }
            if !endsCleanly {
                throw PDFError(code: .truncated, detail: "the PDF stops before its end (no %%EOF: a copy cut short?) and cannot be rebuilt (\(message))")
            }
            throw PDFError(code: .undecodable, detail: "poppler cannot read it: \(message)")
        }
        document = doc
        pageCount = Int(poppler_document_get_n_pages(doc))
    }

    /// Whether the file's last kilobyte holds `%%EOF`, as every complete PDF's does.
    package static func endsCleanly(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { handle.closeFile() }
        let size = handle.seekToEndOfFile()
        handle.seek(toFileOffset: size > 1024 ? size - 1024 : 0)
        return handle.readDataToEndOfFile().range(of: Data("%%EOF".utf8)) != nil
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(document))
    }

    /// The message of a GError, which is freed.
    private static func take(_ error: inout UnsafeMutablePointer<GError>?) -> String? {
        guard let e = error else { return nil }
        defer {
            g_error_free(e)
            error = nil
        }
        return e.pointee.message.map { String(cString: $0) }
    }

    /// How a page's pixels were obtained.
    package enum Source: String, Sendable {
        /// The page is one embedded image, taken at its own resolution.
        case embeddedImage = "embedded-image"
        /// The page was drawn at ``PDFDocument/renderDPI``.
        case rendered
    }

    /// Page `index` (0-based): its pixels and how they were obtained.
    package func page(_ index: Int) throws(PDFError) -> (raster: PageRaster, source: Source) {
        guard index >= 0, index < pageCount, let page = poppler_document_get_page(document, Int32(index)) else {
            throw PDFError(code: .undecodable, page: index + 1, detail: "the page cannot be found in the document")
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var widthPt = 0.0
        var heightPt = 0.0
        poppler_page_get_size(page, &widthPt, &heightPt)
        guard widthPt > 1, heightPt > 1 else {
            throw PDFError(code: .undecodable, page: index + 1, detail: "the page has no size")
        }
        if let scan = scannedImage(page, widthPt: widthPt, heightPt: heightPt) {
            return (scan, .embeddedImage)
        }
        return (try render(page, index: index, widthPt: widthPt, heightPt: heightPt), .rendered)
    }

    /// Page `index` (0-based) as its G4 data, when the page is one CCITT G4 image that covers
    /// it (a scanner's 1-bit page); nil for any other page, which ``page(_:)`` then draws.
    package func faxImage(_ index: Int) -> FaxImage? {
        guard index >= 0, index < pageCount, let page = poppler_document_get_page(document, Int32(index)) else { return nil }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var widthPt = 0.0
        var heightPt = 0.0
        poppler_page_get_size(page, &widthPt, &heightPt)
        guard let cover = coveringImage(page, widthPt: widthPt, heightPt: heightPt), cover.images == 1,
            let fax = qpdf?.faxImage(page: index)
        else { return nil }
        return FaxImage(
            data: fax.data, width: fax.width, height: fax.height, inverted: fax.inverted,
            dpi: Self.dpi(width: Double(fax.width), height: Double(fax.height), areaPt: cover.areaPt))
    }

    /// The largest image drawn on the page, when it covers the page, with how many images the
    /// page draws.
    private func coveringImage(_ page: OpaquePointer, widthPt: Double, heightPt: Double) -> (id: Int32, areaPt: Double, images: Int)? {
        guard let mapping = poppler_page_get_image_mapping(page) else { return nil }
        defer { poppler_page_free_image_mapping(mapping) }
        var best: (id: Int32, areaPt: Double)?
        var images = 0
        var node: UnsafeMutablePointer<GList>? = mapping
        while let n = node {
            if let raw = n.pointee.data {
                let m = raw.assumingMemoryBound(to: PopplerImageMapping.self).pointee
                let area = abs(m.area.x2 - m.area.x1) * abs(m.area.y2 - m.area.y1)
                images += 1
                if area > (best?.areaPt ?? 0) { best = (m.image_id, area) }
            }
            node = n.pointee.next
        }
        guard let best, best.areaPt >= Self.scanCoverage * widthPt * heightPt else { return nil }
        return (best.id, best.areaPt, images)
    }

    /// Pixels per inch of a `width` × `height` image drawn over `areaPt` square points; the
    /// square root keeps it right for an image drawn turned by a quarter.
    private static func dpi(width: Double, height: Double, areaPt: Double) -> Double {
        (width * height / areaPt).squareRoot() * 72
    }

    /// The embedded image that covers the page, at its own resolution, if there is one.
    private func scannedImage(_ page: OpaquePointer, widthPt: Double, heightPt: Double) -> PageRaster? {
        guard let best = coveringImage(page, widthPt: widthPt, heightPt: heightPt),
            let surface = poppler_page_get_image(page, best.id)
        else { return nil }
        defer { cairo_surface_destroy(surface) }
        let w = Double(cairo_image_surface_get_width(surface))
        let h = Double(cairo_image_surface_get_height(surface))
        return Self.raster(surface, dpi: Self.dpi(width: w, height: h, areaPt: best.areaPt))
    }

    /// The page drawn on white paper at ``renderDPI``.
    private func render(_ page: OpaquePointer, index: Int, widthPt: Double, heightPt: Double) throws(PDFError) -> PageRaster {
        let scale = Self.renderDPI / 72
        let w = Int32((widthPt * scale).rounded())
        let h = Int32((heightPt * scale).rounded())
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h),
            cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS
        else {
            throw PDFError(code: .undecodable, page: index + 1, detail: "cannot allocate a \(w) × \(h) page")
        }
        defer { cairo_surface_destroy(surface) }
        let context = cairo_create(surface)
        defer { cairo_destroy(context) }
        cairo_set_source_rgb(context, 1, 1, 1)
        cairo_paint(context)
        cairo_scale(context, scale, scale)
        poppler_page_render(page, context)
        cairo_surface_flush(surface)
        guard let raster = Self.raster(surface, dpi: Self.renderDPI) else {
            throw PDFError(code: .undecodable, page: index + 1, detail: "the page cannot be drawn")
        }
        return raster
    }

    /// A cairo image surface as grey (when every pixel is grey) or RGB pixels; transparent
    /// pixels are paper.
    static func raster(_ surface: OpaquePointer, dpi: Double) -> PageRaster? {
        cairo_surface_flush(surface)
        let format = cairo_image_surface_get_format(surface)
        let w = Int(cairo_image_surface_get_width(surface))
        let h = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard w > 0, h > 0, let data = cairo_image_surface_get_data(surface) else { return nil }
        var grey = [UInt8](repeating: 255, count: w * h)
        switch format {
        case CAIRO_FORMAT_A1:
            for y in 0..<h {
                let row = data + y * stride
                for x in 0..<w {
                    let word = UnsafeRawPointer(row + (x / 32) * 4).loadUnaligned(as: UInt32.self)
                    let bit = (word >> UInt32(x % 32)) & 1
                    grey[y * w + x] = bit == 1 ? 0 : 255
                }
            }
            return .grey(GreyImage(width: w, height: h, pixels: grey, dpi: dpi))
        case CAIRO_FORMAT_A8:
            for y in 0..<h {
                let row = data + y * stride
                for x in 0..<w { grey[y * w + x] = 255 - row[x] }
            }
            return .grey(GreyImage(width: w, height: h, pixels: grey, dpi: dpi))
        case CAIRO_FORMAT_RGB24, CAIRO_FORMAT_ARGB32:
            let alpha = format == CAIRO_FORMAT_ARGB32
            // Premultiplied alpha is composited over white paper.
            func channels(_ v: UInt32) -> (r: UInt32, g: UInt32, b: UInt32) {
                let paper = alpha ? 255 - ((v >> 24) & 0xFF) : 0
                return (min(255, ((v >> 16) & 0xFF) + paper), min(255, ((v >> 8) & 0xFF) + paper), min(255, (v & 0xFF) + paper))
            }
            // One pass to grey, as almost every scan is; a colour pixel starts a pass to RGB.
            let isGrey = grey.withUnsafeMutableBufferPointer { out in
                for y in 0..<h {
                    let row = UnsafeRawPointer(data + y * stride)
                    for x in 0..<w {
                        let (r, g, b) = channels(row.loadUnaligned(fromByteOffset: x * 4, as: UInt32.self))
                        guard r == g, g == b else { return false }
                        out[y * w + x] = UInt8(r)
                    }
                }
                return true
            }
            if isGrey { return .grey(GreyImage(width: w, height: h, pixels: grey, dpi: dpi)) }
            var rgb = [UInt8](repeating: 255, count: w * h * 3)
            rgb.withUnsafeMutableBufferPointer { out in
                for y in 0..<h {
                    let row = UnsafeRawPointer(data + y * stride)
                    for x in 0..<w {
                        let (r, g, b) = channels(row.loadUnaligned(fromByteOffset: x * 4, as: UInt32.self))
                        let i = (y * w + x) * 3
                        out[i] = UInt8(r)
                        out[i + 1] = UInt8(g)
                        out[i + 2] = UInt8(b)
                    }
                }
            }
            return .colour(ColourImage(width: w, height: h, rgb: rgb, dpi: dpi))
        default:
            return nil
        }
    }
}
