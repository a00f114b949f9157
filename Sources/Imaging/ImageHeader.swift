import Foundation

/// Image sizes as a file's headers declare them, read without decoding a pixel, so that a
/// decompression bomb (a small file declaring a huge image) is refused before it can fill memory.
package enum ImageHeader {
    /// Width and height in pixels of each page the file declares (TIFF: every directory, from
    /// ``TIFFStructure``; PNG: IHDR; JPEG: the first start-of-frame); empty when the headers
    /// cannot be read.
    package static func declaredSizes(of data: Data) -> [(width: Int, height: Int)] {
        let bytes = [UInt8](data.prefix(1 << 20))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return png(bytes) }
        if bytes.starts(with: [0xFF, 0xD8]) { return jpeg(bytes) }
        return TIFFStructure.inspect(data: data)?.sizes.map { ($0.width, $0.height) } ?? []
    }

    private static func be(_ b: [UInt8], _ o: Int, _ n: Int) -> Int? {
        guard o >= 0, o + n <= b.count else { return nil }
        return (0..<n).reduce(0) { $0 << 8 | Int(b[o + $1]) }
    }

    private static func png(_ b: [UInt8]) -> [(width: Int, height: Int)] {
        guard let w = be(b, 16, 4), let h = be(b, 20, 4), b.count >= 24, Array(b[12..<16]) == Array("IHDR".utf8) else { return [] }
        return [(w, h)]
    }

    private static func jpeg(_ b: [UInt8]) -> [(width: Int, height: Int)] {
        var o = 2
        while o + 4 <= b.count {
            guard b[o] == 0xFF else { return [] }
            let marker = b[o + 1]
            if marker == 0xFF {
                o += 1
                continue
            }
            guard let length = be(b, o + 2, 2) else { return [] }
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard let h = be(b, o + 5, 2), let w = be(b, o + 7, 2) else { return [] }
                return [(w, h)]
            }
            o += 2 + length
        }
        return []
    }
}
