import CQREncode
import CZBar
import Geometry
import Raster

/// A QR symbol as a square grid of dark and light modules (libqrencode).
package struct QRSymbol: Hashable, Sendable {
    /// Modules per side.
    package let size: Int
    /// Row-major modules, `true` = dark.
    package let modules: [Bool]

    /// Encodes `text` at error-correction level M (survives ~15 % damage: pencil marks, speckles).
    package init?(encoding text: String) {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else { return nil }
        defer { QRcode_free(code) }
        let n = Int(code.pointee.width)
        size = n
        modules = (0..<(n * n)).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// Whether the module at column `x`, row `y` is dark.
    package subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }
}

/// A code found in an image: its text and the corners zbar located, in pixels.
package struct DecodedCode: Hashable, Sendable {
    /// The decoded text.
    package var text: String
    /// Outline points of the symbol in image pixels (zbar's location polygon).
    package var points: [Point]
}

/// Finds and decodes QR codes in grey images (zbar).
package enum QRDecoder {
    /// Every QR code zbar finds in `image`.
    package static func decode(_ image: GreyImage) -> [DecodedCode] {
        guard let scanner = zbar_image_scanner_create() else { return [] }
        defer { zbar_image_scanner_destroy(scanner) }
        zbar_image_scanner_set_config(scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0)
        zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        guard let zimage = zbar_image_create() else { return [] }
        defer { zbar_image_destroy(zimage) }
        let y800: UInt = 0x3030_3859  // fourcc "Y800": 8-bit grey
        zbar_image_set_format(zimage, y800)
        zbar_image_set_size(zimage, UInt32(image.width), UInt32(image.height))
        return image.pixels.withUnsafeBufferPointer { buffer -> [DecodedCode] in
            zbar_image_set_data(zimage, buffer.baseAddress, UInt(buffer.count), nil)
            guard zbar_scan_image(scanner, zimage) > 0 else { return [] }
            var found: [DecodedCode] = []
            var symbol = zbar_image_first_symbol(zimage)
            while let s = symbol {
                let text = zbar_symbol_get_data(s).map { String(cString: $0) } ?? ""
                let n = zbar_symbol_get_loc_size(s)
                let points = (0..<n).map {
                    Point(x: Double(zbar_symbol_get_loc_x(s, $0)), y: Double(zbar_symbol_get_loc_y(s, $0)))
                }
                found.append(DecodedCode(text: text, points: points))
                symbol = zbar_symbol_next(s)
            }
            // zbar must not keep a pointer into our buffer past this scope.
            zbar_image_set_data(zimage, nil, 0, nil)
            return found
        }
    }
}
