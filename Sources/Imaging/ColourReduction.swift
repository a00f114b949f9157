import CLeptonica
import Raster

/// How a colour scan becomes grey. Pencil is grey in every channel, so any reduction keeps it;
/// a form printed in a dropout colour (red or blue boxes, as many census forms are) disappears
/// in the channel where that colour is brightest, leaving only what the enumerator wrote and
/// the black marks and code.
package enum ColourReduction: Hashable, Sendable {
    /// Perceived brightness (ITU-R 601 weights).
    case luminance
    /// The one channel in which the form's printing colour is lightest.
    case dropout(red: UInt8, green: UInt8, blue: UInt8)

    /// The channel that drops `colour` out: where it is brightest (ties go to red, then green).
    var channel: Int32? {
        guard case .dropout(let r, let g, let b) = self else { return nil }
        if r >= g && r >= b { return Int32(COLOR_RED) }
        if g >= b { return Int32(COLOR_GREEN) }
        return Int32(COLOR_BLUE)
    }

    /// A 32-bit RGB `Pix` reduced to 8-bit grey.
    func grey(_ pix: Pix) -> Pix? {
        let out: UnsafeMutablePointer<PIX>?
        if let channel {
            out = pixGetRGBComponent(pix.pointer, channel)
        } else {
            out = pixConvertRGBToLuminance(pix.pointer)
        }
        guard let out else { return nil }
        pixCopyResolution(out, pix.pointer)
        return Pix(out)
    }
}

extension Pix {
    /// A 32-bit RGB copy of a colour image.
    convenience init(_ image: ColourImage) {
        LeptonicaSetup.once()
        let pix = pixCreate(Int32(image.width), Int32(image.height), 32)!
        let wpl = Int(pixGetWpl(pix))
        let data = pixGetData(pix)!
        image.rgb.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                let row = data + y * wpl
                for x in 0..<image.width {
                    let i = (y * image.width + x) * 3
                    // Leptonica's RGBA word: red in the top byte.
                    row[x] = UInt32(src[i]) << 24 | UInt32(src[i + 1]) << 16 | UInt32(src[i + 2]) << 8 | 0xFF
                }
            }
        }
        let dpi = Int32(image.dpi.rounded())
        pixSetResolution(pix, dpi, dpi)
        self.init(pix)
    }
}
