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
        guard let reader = Reader(Source(data)) else { return nil }
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
            guard directory.stripsInside(reader.source.length) else {
                return Report(pages: pages, truncated: true, sizes: sizes)
            }
            pages += 1
            guard let next = directory.next else { return Report(pages: pages, truncated: true, sizes: sizes) }
            offset = next
        }
        return Report(pages: pages, truncated: false, sizes: sizes)
    }

    /// Where a TIFF's bytes come from: memory, or a file read only where looked at (a page's
    /// directory and strips, not the whole multi-page file for every page).
    struct Source {
        /// The file's length in bytes.
        let length: Int
        /// `count` bytes from `offset`; nil past the end.
        let read: (_ offset: Int, _ count: Int) -> [UInt8]?

        /// Bytes in memory.
        init(_ data: Data) {
            let bytes = [UInt8](data)
            length = bytes.count
            read = { o, c in o >= 0 && c >= 0 && o + c <= bytes.count ? Array(bytes[o..<(o + c)]) : nil }
        }

        /// An open file, read with plain reads: a file that another program shortens meanwhile
        /// reads short, where a memory map of it would crash the process.
        init?(_ handle: FileHandle) {
            guard let end = try? handle.seekToEnd() else { return nil }
            length = Int(end)
            let length = length
            read = { o, c in
                guard o >= 0, c >= 0, o + c <= length, (try? handle.seek(toOffset: UInt64(o))) != nil,
                    let data = try? handle.read(upToCount: c), data.count == c
                else { return nil }
                return [UInt8](data)
            }
        }
    }

    /// TIFF bytes in either byte order.
    struct Reader {
        let source: Source
        let little: Bool
        /// Where the first directory starts.
        let firstDirectory: Int

        init?(_ source: Source) {
            guard let head = source.read(0, 8) else { return nil }
            let little: Bool
            switch (head[0], head[1]) {
            case (0x49, 0x49): little = true
            case (0x4D, 0x4D): little = false
            default: return nil
            }
            guard Self.u16(head, 2, little) == 42, let first = Self.u32(head, 4, little) else { return nil }
            self.source = source
            self.little = little
            firstDirectory = first
        }

        static func u16(_ b: [UInt8], _ o: Int, _ little: Bool) -> Int? {
            guard o >= 0, o + 2 <= b.count else { return nil }
            return little ? Int(b[o]) | Int(b[o + 1]) << 8 : Int(b[o]) << 8 | Int(b[o + 1])
        }

        static func u32(_ b: [UInt8], _ o: Int, _ little: Bool) -> Int? {
            guard o >= 0, o + 4 <= b.count else { return nil }
            let v = (0..<4).map { Int(b[o + $0]) }
            return little ? v[0] | v[1] << 8 | v[2] << 16 | v[3] << 24 : v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]
        }

        /// The directory at `offset`, or nil when its entries run past the end of the bytes.
        func directory(at offset: Int) -> Directory? {
            guard let countBytes = source.read(offset, 2), let count = Self.u16(countBytes, 0, little),
                let block = source.read(offset + 2, count * 12 + 4)
            else { return nil }
            var entries: [Int: [Int]] = [:]
            for i in 0..<count {
                let e = i * 12
                guard let tag = Self.u16(block, e, little), let type = Self.u16(block, e + 2, little),
                    let n = Self.u32(block, e + 4, little)
                else { break }
                // SHORT, LONG and RATIONAL (two LONGs) are all a page's layout needs.
                let (size, parts) = switch type {
                case 3: (2, 1)
                case 4: (4, 1)
                case 5: (4, 2)
                default: (0, 0)
                }
                guard size > 0 else { continue }
                let values = n * parts
                let bytes: [UInt8]? =
                    values * size <= 4
                    ? Array(block[(e + 8)..<(e + 12)])
                    : Self.u32(block, e + 8, little).flatMap { source.read($0, values * size) }
                entries[tag] = (0..<values).map { k in
                    bytes.flatMap { size == 2 ? Self.u16($0, k * 2, little) : Self.u32($0, k * 4, little) } ?? -1
                }
            }
            return Directory(entries: entries, next: Self.u32(block, count * 12, little))
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
