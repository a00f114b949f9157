import CLeptonica
import Foundation
import Raster

/// Reading scan files: multi-page TIFF (G4 1-bit or grey), PNG and JPEG, one page at a time so
/// that memory stays flat however long the file.
public enum ImageFile {
    /// The formats pindai accepts from scanning rooms.
    public enum Format: String, Sendable {
        case tiff, png, jpeg
    }

    /// The file's format, from its content (not its name).
    public static func format(of path: String) throws(ImagingError) -> Format {
        LeptonicaSetup.once()
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ImagingError(reason: .unreadable, path: path, detail: "cannot open the file; check that it exists and is readable")
        }
        var format: Int32 = 0
        guard findFileFormat(path, &format) == 0 else {
            if let kind = magicFormat(path) {
                throw ImagingError(
                    reason: .undecodable, path: path,
                    detail: "the file starts like a \(kind.rawValue.uppercased()) image but its content cannot be read (corrupt file); rescan it")
            }
            let ext = (path as NSString).pathExtension.lowercased()
            if ["tif", "tiff", "png", "jpg", "jpeg"].contains(ext) {
                throw ImagingError(
                    reason: .undecodable, path: path,
                    detail: "named like a \(ext.uppercased()) image but its content is not one (corrupt or mislabelled file); rescan it")
            }
            throw ImagingError(
                reason: .unsupportedFormat, path: path,
                detail: "not a TIFF, PNG or JPEG image; scan to one of those formats")
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
                detail: "not a TIFF, PNG or JPEG image; scan to one of those formats")
        }
    }

    /// The format announced by the first bytes, whatever follows them.
    static func magicFormat(_ path: String) -> Format? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 8))
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return .png }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }

    /// How many pages the file holds (1 for PNG and JPEG).
    public static func pageCount(of path: String) throws(ImagingError) -> Int {
        guard try format(of: path) == .tiff else { return 1 }
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
    public static func readPage(_ path: String, index: Int) throws(ImagingError) -> GreyImage {
        let format = try format(of: path)
        let pix: UnsafeMutablePointer<PIX>?
        switch format {
        case .tiff: pix = pixReadTiff(path, Int32(index))
        case .png, .jpeg:
            guard index == 0 else {
                throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "a \(format.rawValue) file has one page")
            }
            pix = pixRead(path)
        }
        guard let pix else {
            throw ImagingError(
                reason: .undecodable, path: path, page: index + 1,
                detail: "cannot decode the image data (corrupt or truncated file); rescan the page")
        }
        guard let image = Pix(pix).greyImage() else {
            throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "unsupported pixel format")
        }
        return image
    }

    /// All pages; convenient for small files and tests.
    public static func readPages(_ path: String) throws(ImagingError) -> [GreyImage] {
        let n = try pageCount(of: path)
        var pages: [GreyImage] = []
        for i in 0..<n { pages.append(try readPage(path, index: i)) }
        return pages
    }
}
