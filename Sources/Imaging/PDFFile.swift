import CLeptonica
import PDFReading
import Raster

/// A PDF scan file as the reader sees it: poppler's pages turned into Leptonica images, and
/// poppler's errors into ``ImagingError``s naming the file and page.
struct PDFFile {
    let path: String
    let document: PDFDocument

    init(path: String) throws(ImagingError) {
        self.path = path
        do {
            document = try PDFDocument(path: path)
        } catch {
            throw Self.imagingError(error, path: path)
        }
    }

    /// Page `index` (0-based), and for a scanner's G4 page also its data as a one-page TIFF
    /// (what the store keeps): such a page is decoded from its G4 data as a G4 TIFF page is,
    /// without poppler drawing it; any other page is ``page(_:colour:)``.
    func scannedPage(_ index: Int, colour: ColourReduction) throws(ImagingError) -> (pix: Pix, asScanned: [UInt8]?) {
        if let fax = document.faxImage(index) {
            let tiff = TIFFStructure.g4TIFF(strip: fax.data, width: fax.width, height: fax.height, photometric: fax.inverted ? 1 : 0, dpi: fax.dpi)
            if let raw = tiff.withUnsafeBufferPointer({ pixReadMemTiff($0.baseAddress, $0.count, 0) }) {
                let pix = Pix(raw)
                if pix.depth == 1, pix.width == fax.width, pix.height == fax.height { return (pix, tiff) }
            }
        }
        return (try page(index, colour: colour), nil)
    }

    /// Page `index` (0-based) as a 1-bit or 8-bit `Pix` at the resolution it was scanned at.
    func page(_ index: Int, colour: ColourReduction) throws(ImagingError) -> Pix {
        guard index < document.pageCount else {
            throw ImagingError(
                reason: .undecodable, path: path, page: index + 1,
                detail: "the PDF has \(document.pageCount) page(s), not \(index + 1) (a truncated copy?); recopy or rescan the file")
        }
        let raster: PageRaster
        do {
            raster = try document.page(index).raster
        } catch {
            throw Self.imagingError(error, path: path)
        }
        switch raster {
        case .grey(let grey):
            // A scanner's 1-bit page arrives as pure black and white: keep it 1-bit, as a G4 TIFF is.
            return Pix(bilevel: grey) ?? Pix(grey)
        case .colour(let image):
            guard let grey = colour.grey(Pix(image)) else {
                throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "the page's colour cannot be reduced to grey")
            }
            return grey
        }
    }

    static func imagingError(_ error: PDFError, path: String) -> ImagingError {
        switch error.code {
        case .unreadable:
            ImagingError(reason: .unreadable, path: path, page: error.page, detail: error.detail)
        case .encrypted:
            ImagingError(
                reason: .encrypted, path: path, page: error.page,
                detail: "\(error.detail); export it again from the scanner without a password, or decrypt it (qpdf --decrypt)")
        case .truncated:
            ImagingError(reason: .truncated, path: path, page: error.page, detail: "\(error.detail); recopy it from the scanning station, or rescan")
        case .undecodable:
            ImagingError(
                reason: .undecodable, path: path, page: error.page,
                detail: "\(error.detail) (corrupt or truncated PDF); recopy or rescan the file")
        }
    }
}
