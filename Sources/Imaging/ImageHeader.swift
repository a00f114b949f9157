import Foundation

/// Image sizes as a file's headers declare them, read without decoding a pixel, so that a
/// decompression bomb (a small file declaring a huge image) is refused before it can fill memory.
public enum ImageHeader {
    /// Width and height in pixels of each page the file declares (TIFF: every directory; PNG:
    /// IHDR; JPEG: the first start-of-frame); empty when the headers cannot be read.
    public static func declaredSizes(of data: Data) -> [(width: Int, height: Int)] {
        let bytes = [UInt8](data.prefix(1 << 20))
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return png(bytes) }
        if bytes.starts(with: [0xFF, 0xD8]) { return jpeg(bytes) }
        if bytes.starts(with: [0x49, 0x49]) || bytes.starts(with: [0x4D, 0x4D]) { return tiff([UInt8](data)) }
        return []
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

    private static func tiff(_ b: [UInt8]) -> [(width: Int, height: Int)] {
        let little = b.starts(with: [0x49, 0x49])
        func u(_ o: Int, _ n: Int) -> Int? {
            guard o >= 0, o + n <= b.count else { return nil }
            return little ? (0..<n).reversed().reduce(0) { $0 << 8 | Int(b[o + $1]) } : be(b, o, n)
        }
        guard u(2, 2) == 42, var offset = u(4, 4) else { return [] }
        var out: [(width: Int, height: Int)] = []
        var seen: Set<Int> = []
        while offset != 0, !seen.contains(offset), let count = u(offset, 2), out.count < 10_000 {
            seen.insert(offset)
            var w = 0
            var h = 0
            for i in 0..<count {
                let e = offset + 2 + i * 12
                guard let tag = u(e, 2), let type = u(e + 2, 2) else { break }
                guard tag == 256 || tag == 257 else { continue }
                let value = (type == 3 ? u(e + 8, 2) : u(e + 8, 4)) ?? 0
                if tag == 256 { w = value } else { h = value }
            }
            out.append((w, h))
            guard let next = u(offset + 2 + count * 12, 4) else { break }
            offset = next
        }
        return out
    }
}
