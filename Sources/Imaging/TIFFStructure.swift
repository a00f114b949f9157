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
        guard let reader = Reader(data) else { return nil }
        var pages = 0
        var sizes: [PageSize] = []
        var offset = reader.firstDirectory
        var seen: Set<Int> = []
        while offset != 0 {
            guard !seen.contains(offset), let directory = reader.directory(at: offset) else {
                return Report(pages: pages, truncated: true, sizes: sizes)
            }
            seen.insert(offset)
            sizes.append(PageSize(width: directory.integer(256) ?? 0, height: directory.integer(257) ?? 0))
            guard directory.stripsInside(reader.bytes.count) else {
                return Report(pages: pages, truncated: true, sizes: sizes)
            }
            pages += 1
            guard let next = directory.next else { return Report(pages: pages, truncated: true, sizes: sizes) }
            offset = next
        }
        return Report(pages: pages, truncated: false, sizes: sizes)
    }

    /// TIFF bytes in either byte order (a file mapped into memory is read only where looked at).
    struct Reader {
        let bytes: Data
        let little: Bool
        /// Where the first directory starts.
        private(set) var firstDirectory = 0

        init?(_ data: Data) {
            // Indices from 0, whatever slice of a larger buffer the bytes came as.
            let bytes = data.startIndex == 0 ? data : Data(data)
            guard bytes.count >= 8 else { return nil }
            switch (bytes[0], bytes[1]) {
            case (0x49, 0x49): little = true
            case (0x4D, 0x4D): little = false
            default: return nil
            }
            self.bytes = bytes
            guard u16(2) == 42, let first = u32(4) else { return nil }
            firstDirectory = first
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

        /// The directory at `offset`, or nil when its entries run past the end of the bytes.
        func directory(at offset: Int) -> Directory? {
            guard let count = u16(offset), offset + 2 + count * 12 + 4 <= bytes.count else { return nil }
            var entries: [Int: [Int]] = [:]
            for i in 0..<count {
                let e = offset + 2 + i * 12
                guard let tag = u16(e), let type = u16(e + 2), let n = u32(e + 4) else { break }
                // SHORT, LONG and RATIONAL (two LONGs) are all a page's layout needs.
                let (size, parts) = switch type {
                case 3: (2, 1)
                case 4: (4, 1)
                case 5: (4, 2)
                default: (0, 0)
                }
                guard size > 0 else { continue }
                let values = n * parts
                let start = values * size <= 4 ? e + 8 : (u32(e + 8) ?? -1)
                entries[tag] = (0..<values).map { k in (size == 2 ? u16(start + k * 2) : u32(start + k * 4)) ?? -1 }
            }
            return Directory(entries: entries, next: u32(offset + 2 + count * 12))
        }
    }

    /// One page's directory: its SHORT, LONG and RATIONAL entries by tag (a RATIONAL as
    /// numerator and denominator; -1 where a value lies past the end of the file).
    struct Directory {
        let entries: [Int: [Int]]
        /// The next directory's offset (0 after the last page); nil when it cannot be read.
        let next: Int?

        /// A single-valued entry.
        func integer(_ tag: Int) -> Int? { entries[tag]?.first }

        var stripOffsets: [Int] { entries[273] ?? [] }
        var stripByteCounts: [Int] { entries[279] ?? [] }

        /// Whether every strip of image data lies inside a file of `length` bytes.
        func stripsInside(_ length: Int) -> Bool {
            zip(stripOffsets, stripByteCounts).allSatisfy { o, c in o >= 0 && c >= 0 && o + c <= length }
        }
    }
}
