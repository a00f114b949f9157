import CLeptonica
import Foundation
import PDFReading
import Raster

/// Reading scan files: multi-page TIFF (G4 1-bit, grey or colour), multi-page PDF, PNG and JPEG,
/// one page at a time so that memory stays flat however long the file.
package enum ImageFile {
    /// The formats pindai accepts from scanning rooms.
    package enum Format: String, Sendable {
        case tiff, png, jpeg, pdf
    }

    /// The names under which scans arrive; a file so named whose content is not one is corrupt.
    static let scanExtensions: Set<String> = ["tif", "tiff", "png", "jpg", "jpeg", "pdf"]

    /// The file's format, from its content (not its name).
    package static func format(of path: String) throws(ImagingError) -> Format {
        LeptonicaSetup.once()
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImagingError(reason: .unreadable, path: path, detail: "cannot open the file; check that it exists and is readable")
        }
        if magicFormat(path) == .pdf { return .pdf }
        var format: Int32 = 0
        guard findFileFormat(path, &format) == 0 else {
            if let kind = magicFormat(path) {
                throw ImagingError(
                    reason: .undecodable, path: path,
                    detail: "the file starts like a \(kind.rawValue.uppercased()) image but its content cannot be read (corrupt file); rescan it")
            }
            let ext = (path as NSString).pathExtension.lowercased()
            if scanExtensions.contains(ext) {
                throw ImagingError(
                    reason: .undecodable, path: path,
                    detail: "named like a \(ext.uppercased()) image but its content is not one (corrupt or mislabelled file); rescan it")
            }
            throw ImagingError(
                reason: .unsupportedFormat, path: path,
                detail: "not a TIFF, PDF, PNG or JPEG scan; scan to one of those formats")
        }
        switch Int(format) {
        case Int(IFF_TIFF), Int(IFF_TIFF_G3), Int(IFF_TIFF_G4), Int(IFF_TIFF_PACKBITS), Int(IFF_TIFF_RLE),
            Int(IFF_TIFF_LZW), Int(IFF_TIFF_ZIP), Int(IFF_TIFF_JPEG):
            return .tiff
        case Int(IFF_PNG): return .png
        case Int(IFF_JFIF_JPEG): return .jpeg
        default:
            throw ImagingError(
                reason: .unsupportedFormat, path: path,
                detail: "not a TIFF, PDF, PNG or JPEG scan; scan to one of those formats")
        }
    }

    /// The format announced by the first bytes, whatever follows them.
    static func magicFormat(_ path: String) -> Format? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 1024))
        // A PDF's header may follow up to 1 KiB of junk, as readers allow.
        if let at = head.firstIndex(of: 0x25), head[at...].starts(with: Array("%PDF-".utf8)) { return .pdf }
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// Whether a PDF stops before its end although it opens (poppler rebuilt it; pages past
    /// the cut may be gone). Always false for other formats, whose truncation ``TIFFStructure``
    /// and the decoders find.
    package static func endsEarly(_ path: String) -> Bool {
        magicFormat(path) == .pdf && !PDFDocument.endsCleanly(path)
    }

    /// How many pages the file holds (1 for PNG and JPEG).
    package static func pageCount(of path: String) throws(ImagingError) -> Int {
        let format = try format(of: path)
        if format == .pdf { return try PDFFile(path: path).document.pageCount }
        guard format == .tiff else { return 1 }
        guard let fp = fopenReadStream(path) else {
            throw ImagingError(reason: .unreadable, path: path, detail: "cannot open the file")
        }
        defer { fclose(fp) }
        var n: Int32 = 0
        guard tiffGetCount(fp, &n) == 0, n > 0 else {
            throw ImagingError(reason: .undecodable, path: path, detail: "the TIFF directory cannot be read (corrupt or truncated file); rescan it")
        }
        return Int(n)
    }

    /// Page `index` (0-based) as a grey image.
    package static func readPage(_ path: String, index: Int, colour: ColourReduction = .luminance) throws(ImagingError) -> GreyImage {
        let pix = try decode(path, index: index, colour: colour)
        guard let image = pix.greyImage() else {
            throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "unsupported pixel format")
        }
        return image
    }

    /// Page `index` (0-based) decoded: 1-bit or 8-bit grey as stored, colour reduced to grey.
    static func decode(_ path: String, index: Int, colour: ColourReduction) throws(ImagingError) -> Pix {
        try decodeScanned(path, index: index, colour: colour).pix
    }

    /// ``decode(_:index:colour:)``, with a 1-bit G4 page's data as scanned, as a one-page TIFF
    /// (from a TIFF or a scanner's PDF): what the store keeps without encoding the page again.
    static func decodeScanned(_ path: String, index: Int, colour: ColourReduction) throws(ImagingError) -> (pix: Pix, asScanned: [UInt8]?) {
        let format = try format(of: path)
        let raw: UnsafeMutablePointer<PIX>?
        switch format {
        case .pdf:
            return try PDFFile(path: path).scannedPage(index, colour: colour)
        case .tiff: raw = pixReadTiff(path, Int32(index))
        case .png, .jpeg:
            guard index == 0 else {
                throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "a \(format.rawValue) file has one page")
            }
            raw = pixRead(path)
        }
        guard let raw else {
            throw ImagingError(
                reason: .undecodable, path: path, page: index + 1,
                detail: "cannot decode the image data (corrupt or truncated file); rescan the page")
        }
        var pix = Pix(raw)
        if pixGetColormap(pix.pointer) != nil {
            guard let plain = pixRemoveColormap(pix.pointer, Int32(REMOVE_CMAP_BASED_ON_SRC)) else {
                throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "unsupported colour map")
            }
            pix = Pix(plain)
        }
        if pix.depth == 32 {
            // Transparent pixels of an RGBA image are paper, not the black their colour says.
            if pixGetSpp(pix.pointer) == 4, let flat = pixAlphaBlendUniform(pix.pointer, 0xFFFF_FF00) { pix = Pix(flat) }
            guard let grey = colour.grey(pix) else {
                throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "unsupported pixel format")
            }
            pix = grey
        }
        return (pix, format == .tiff && pix.depth == 1 ? TIFFStructure.g4Page(path: path, index: index) : nil)
    }

    /// All pages; convenient for small files and tests.
    package static func readPages(_ path: String) throws(ImagingError) -> [GreyImage] {
        let n = try pageCount(of: path)
        var pages: [GreyImage] = []
        for i in 0..<n { pages.append(try readPage(path, index: i)) }
        return pages
    }
}
