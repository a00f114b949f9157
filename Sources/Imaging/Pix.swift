import CLeptonica
import Raster

/// Sole owner of one Leptonica `PIX`; destroyed with the wrapper. Internal to this module, so
/// Leptonica's pointers never reach other modules.
final class Pix {
    private(set) var pointer: UnsafeMutablePointer<PIX>

    init(_ pointer: UnsafeMutablePointer<PIX>) {
        self.pointer = pointer
    }

    deinit {
        var p: UnsafeMutablePointer<PIX>? = pointer
        pixDestroy(&p)
    }

    var width: Int { Int(pixGetWidth(pointer)) }
    var height: Int { Int(pixGetHeight(pointer)) }
    var depth: Int { Int(pixGetDepth(pointer)) }

    /// An 8-bit copy of a grey image.
    convenience init(_ image: GreyImage) {
        LeptonicaSetup.once()
        let pix = pixCreate(Int32(image.width), Int32(image.height), 8)!
        let wpl = Int(pixGetWpl(pix))
        let data = UnsafeMutableRawPointer(pixGetData(pix)!).assumingMemoryBound(to: UInt8.self)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                let row = data + y * wpl * 4
                let srcRow = y * image.width
                for x in 0..<image.width {
                    // Leptonica stores bytes big-endian within 32-bit words.
                    row[x ^ 3] = src[srcRow + x]
                }
            }
        }
        let dpi = Int32(image.dpi.rounded())
        pixSetResolution(pix, dpi, dpi)
        self.init(pix)
    }

    /// A 1-bit image of a grey one whose every pixel is black (0) or white (255), as a scanner's
    /// 1-bit page arrives from a PDF: packed in one pass, where thresholding an 8-bit copy took
    /// three. Nil when any pixel is another grey.
    convenience init?(bilevel image: GreyImage) {
        LeptonicaSetup.once()
        guard let pix = pixCreate(Int32(image.width), Int32(image.height), 1), let words = pixGetData(pix) else { return nil }
        let wpl = Int(pixGetWpl(pix))
        let (w, h) = (image.width, image.height)
        let bilevel = image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<h {
                let row = words + y * wpl
                for start in stride(from: 0, to: w, by: 32) {
                    var word: UInt32 = 0
                    for k in 0..<min(32, w - start) {
                        switch src[y * w + start + k] {
                        case 0: word |= 1 << (31 - UInt32(k))
                        case 255: break
                        default: return false
                        }
                    }
                    row[start / 32] = word
                }
            }
            return true
        }
        guard bilevel else {
            var p: UnsafeMutablePointer<PIX>? = pix
            pixDestroy(&p)
            return nil
        }
        let dpi = Int32(image.dpi.rounded())
        pixSetResolution(pix, dpi, dpi)
        self.init(pix)
    }

    /// G4 TIFF bytes of a 1-bit image (a stored page image).
    func tiffG4Data() -> [UInt8] {
        var data: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        guard pixWriteMemTiff(&data, &size, pointer, Int32(IFF_TIFF_G4)) == 0, let data else { return [] }
        defer { lept_free(data) }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// PNG bytes at the image's own depth (zlib level 1: a page image is written for every page
    /// and read rarely).
    func pngData() -> [UInt8] {
        pixSetZlibCompression(pointer, 1)
        var data: UnsafeMutablePointer<UInt8>? = nil
        var size = 0
        guard pixWriteMemPng(&data, &size, pointer, 0) == 0, let data else { return [] }
        defer { lept_free(data) }
        return Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The pixels as an 8-bit grey image (1-bit, colour-mapped and RGB pages are converted).
    func greyImage() -> GreyImage? {
        var converted: Pix = self
        if depth != 8 || pixGetColormap(pointer) != nil {
            let p: UnsafeMutablePointer<PIX>?
            if depth == 32 {
                p = pixConvertRGBToLuminance(pointer)
            } else {
                p = pixConvertTo8(pointer, 0)
            }
            guard let p else { return nil }
            converted = Pix(p)
            if pixGetColormap(converted.pointer) != nil {
                guard let q = pixRemoveColormap(converted.pointer, Int32(REMOVE_CMAP_TO_GRAYSCALE)) else { return nil }
                converted = Pix(q)
            }
        }
        let w = converted.width
        let h = converted.height
        let wpl = Int(pixGetWpl(converted.pointer))
        let data = UnsafeMutableRawPointer(pixGetData(converted.pointer)!).assumingMemoryBound(to: UInt8.self)
        var pixels = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            let row = data + y * wpl * 4
            for x in 0..<w { pixels[y * w + x] = row[x ^ 3] }
        }
        var xres: Int32 = 0
        var yres: Int32 = 0
        pixGetResolution(pointer, &xres, &yres)
        return GreyImage(width: w, height: h, pixels: pixels, dpi: Double(xres))
    }
}

/// One-time library settings: Leptonica's own stderr chatter is silenced because every failure
/// is reported to the user by pindai, with file and page.
enum LeptonicaSetup {
    private static let done: Bool = {
        setMsgSeverity(Int32(L_SEVERITY_NONE))
        return true
    }()

    static func once() {
        _ = done
    }
}
