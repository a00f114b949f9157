import Foundation

/// A walk over a TIFF file's directory chain, to notice what libtiff quietly stops at: a file
/// that ends inside its pages (a truncated copy) would otherwise just look shorter.
package enum TIFFStructure {
    /// The result of the walk.
    package struct Report: Sendable, Hashable {
        /// Page directories found intact.
        package var pages: Int
        /// Whether the chain or a page's image data runs past the end of the file.
        package var truncated: Bool
        /// Width and height in pixels that each directory read declares (tags 256 and 257), the
        /// one whose image data runs past the end included.
        package var sizes: [PageSize] = []
    }

    /// A page's size as its directory declares it.
    package struct PageSize: Sendable, Hashable {
        /// Pixels across.
        package var width: Int
        /// Pixels down.
        package var height: Int
    }

    /// Walks the IFD chain of the TIFF at `path`; `nil` when it is not a TIFF.
    package static func inspect(_ path: String) -> Report? {
        FileManager.default.contents(atPath: path).flatMap(inspect(data:))
    }

    /// Walks the IFD chain of TIFF bytes already in memory; `nil` when they are not a TIFF.
    package static func inspect(data: Data) -> Report? {
        guard data.count >= 8 else { return nil }
        let bytes = [UInt8](data)
        let little: Bool
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ o: Int) -> Int? {
            guard o >= 0, o + 2 <= bytes.count else { return nil }
            return little ? Int(bytes[o]) | Int(bytes[o + 1]) << 8 : Int(bytes[o]) << 8 | Int(bytes[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard o >= 0, o + 4 <= bytes.count else { return nil }
            let b = (0..<4).map { Int(bytes[o + $0]) }
            return little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
        }
        guard u16(2) == 42, var offset = u32(4) else { return nil }
        var pages = 0
        var sizes: [PageSize] = []
        var seen: Set<Int> = []
        while offset != 0 {
            guard !seen.contains(offset), let count = u16(offset), offset + 2 + count * 12 + 4 <= bytes.count else {
                return Report(pages: pages, truncated: true, sizes: sizes)
            }
            seen.insert(offset)
            var stripOffsets: [Int] = []
            var stripCounts: [Int] = []
            var size = PageSize(width: 0, height: 0)
            for i in 0..<count {
                let e = offset + 2 + i * 12
                guard let tag = u16(e), let type = u16(e + 2), let n = u32(e + 4) else { break }
                if tag == 256 || tag == 257 {
                    let value = (type == 3 ? u16(e + 8) : u32(e + 8)) ?? 0
                    if tag == 256 { size.width = value } else { size.height = value }
                }
                guard tag == 273 || tag == 279 else { continue }
                let size = type == 3 ? 2 : 4
                let valueOffset = n * size <= 4 ? e + 8 : (u32(e + 8) ?? -1)
                let values = (0..<n).map { k in size == 2 ? u16(valueOffset + k * 2) ?? -1 : u32(valueOffset + k * 4) ?? -1 }
                if tag == 273 { stripOffsets = values } else { stripCounts = values }
            }
            sizes.append(size)
            for (o, c) in zip(stripOffsets, stripCounts) where o < 0 || c < 0 || o + c > bytes.count {
                return Report(pages: pages, truncated: true, sizes: sizes)
            }
            pages += 1
            guard let next = u32(offset + 2 + count * 12) else { return Report(pages: pages, truncated: true, sizes: sizes) }
            offset = next
        }
        return Report(pages: pages, truncated: false, sizes: sizes)
    }
}
