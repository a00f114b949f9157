import CLeptonica
import Raster

/// Writing pages in the formats scanners produce.
package enum ImageWriter {
    /// How pages are encoded.
    package enum Encoding: Sendable, Hashable {
        /// 1-bit CCITT Group 4 TIFF; pixels darker than `threshold` become black.
        case tiffG4(threshold: UInt8)
        /// 8-bit grey TIFF, deflate-compressed.
        case tiffGrey
        /// 8-bit grey PNG.
        case png
        /// 8-bit grey JPEG at `quality` (1–100).
        case jpeg(quality: Int)
        /// 8-bit TIFF with another of the compressions scanners use.
        case tiff(TIFFCompression)
        /// A scanner's PDF: one CCITT G4 image per page.
        case pdfG4(threshold: UInt8)
        /// A scanner's PDF: one JPEG image per page at `quality`.
        case pdfJPEG(quality: Int)
    }

    /// TIFF compressions besides G4 and Deflate.
    package enum TIFFCompression: String, Sendable, Hashable, CaseIterable {
        case lzw, jpeg, packbits, deflate

        var leptonicaFormat: Int32 {
            switch self {
            case .lzw: Int32(IFF_TIFF_LZW)
            case .jpeg: Int32(IFF_TIFF_JPEG)
            case .packbits: Int32(IFF_TIFF_PACKBITS)
            case .deflate: Int32(IFF_TIFF_ZIP)
            }
        }
    }

    /// Writes colour pages (tests and synthetic colour scans): TIFF, PNG, JPEG or a JPEG PDF.
    package static func write(colour pages: [ColourImage], to path: String, as encoding: Encoding) throws(ImagingError) {
        try write(pages.map { Pix($0) }, to: path, as: encoding)
    }

    /// Writes `pages` to `path`. TIFF and PDF encodings write all pages into one multi-page file;
    /// PNG and JPEG accept exactly one page.
    package static func write(_ pages: [GreyImage], to path: String, as encoding: Encoding) throws(ImagingError) {
        LeptonicaSetup.once()
        try write(pages.map { Pix($0) }, to: path, as: encoding)
    }

    private static func write(_ pages: [Pix], to path: String, as encoding: Encoding) throws(ImagingError) {
        switch encoding {
        case .pdfG4(let threshold):
            var binary: [Pix] = []
            for (i, pix) in pages.enumerated() { binary.append(try binarise(pix, threshold: threshold, path: path, page: i + 1)) }
            return try writePDF(binary, to: path, type: Int32(L_G4_ENCODE), quality: 0)
        case .pdfJPEG(let quality):
            return try writePDF(pages, to: path, type: Int32(L_JPEG_ENCODE), quality: Int32(quality))
        default: break
        }
        for (i, pix) in pages.enumerated() {
            let status: Int32
            switch encoding {
            case .pdfG4, .pdfJPEG:
                status = 1
            case .tiff(let compression):
                status = pixWriteTiff(path, pix.pointer, compression.leptonicaFormat, i == 0 ? "w" : "a")
            case .tiffG4(let threshold):
                let bin = try binarise(pix, threshold: threshold, path: path, page: i + 1)
                status = pixWriteTiff(path, bin.pointer, Int32(IFF_TIFF_G4), i == 0 ? "w" : "a")
            case .tiffGrey:
                status = pixWriteTiff(path, pix.pointer, Int32(IFF_TIFF_ZIP), i == 0 ? "w" : "a")
            case .png:
                guard pages.count == 1 else {
                    throw ImagingError(reason: .writeFailed, path: path, detail: "a PNG file holds one page")
                }
                status = pixWritePng(path, pix.pointer, 0)
            case .jpeg(let quality):
                guard pages.count == 1 else {
                    throw ImagingError(reason: .writeFailed, path: path, detail: "a JPEG file holds one page")
                }
                status = pixWriteJpeg(path, pix.pointer, Int32(quality), 0)
            }
            guard status == 0 else {
                throw ImagingError(reason: .writeFailed, path: path, page: i + 1, detail: "cannot write the file; check the folder exists and is writable")
            }
        }
    }

    private static func binarise(_ pix: Pix, threshold: UInt8, path: String, page: Int) throws(ImagingError) -> Pix {
        guard let binary = pixThresholdToBinary(pix.pointer, Int32(threshold)) else {
            throw ImagingError(reason: .writeFailed, path: path, page: page, detail: "cannot binarise the page")
        }
        pixCopyResolution(binary, pix.pointer)
        return Pix(binary)
    }

    /// One image per page at each page's own resolution, as Leptonica's PDF writer lays it out.
    private static func writePDF(_ pages: [Pix], to path: String, type: Int32, quality: Int32) throws(ImagingError) {
        guard let pixa = pixaCreate(Int32(pages.count)) else {
            throw ImagingError(reason: .writeFailed, path: path, detail: "cannot allocate the page list")
        }
        var list: UnsafeMutablePointer<PIXA>? = pixa
        defer { pixaDestroy(&list) }
        for page in pages { pixaAddPix(pixa, page.pointer, Int32(L_COPY)) }
        guard pixaConvertToPdf(pixa, 0, 1, type, quality, nil, path) == 0 else {
            throw ImagingError(reason: .writeFailed, path: path, detail: "cannot write the PDF; check the folder exists and is writable")
        }
    }
}
