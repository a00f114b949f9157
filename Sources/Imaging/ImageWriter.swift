import CLeptonica
import Raster

/// Writing pages in the formats scanners produce.
public enum ImageWriter {
    /// How pages are encoded.
    public enum Encoding: Sendable, Hashable {
        /// 1-bit CCITT Group 4 TIFF; pixels darker than `threshold` become black.
        case tiffG4(threshold: UInt8)
        /// 8-bit grey TIFF, deflate-compressed.
        case tiffGrey
        /// 8-bit grey PNG.
        case png
        /// 8-bit grey JPEG at `quality` (1–100).
        case jpeg(quality: Int)
    }

    /// Writes `pages` to `path`. TIFF encodings write all pages into one multi-page file; PNG and
    /// JPEG accept exactly one page.
    public static func write(_ pages: [GreyImage], to path: String, as encoding: Encoding) throws(ImagingError) {
        LeptonicaSetup.once()
        for (i, page) in pages.enumerated() {
            let pix = Pix(page)
            let status: Int32
            switch encoding {
            case .tiffG4(let threshold):
                guard let binary = pixThresholdToBinary(pix.pointer, Int32(threshold)) else {
                    throw ImagingError(reason: .writeFailed, path: path, page: i + 1, detail: "cannot binarise the page")
                }
                let bin = Pix(binary)
                let dpi = Int32(page.dpi.rounded())
                pixSetResolution(bin.pointer, dpi, dpi)
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
}
