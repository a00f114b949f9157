import Foundation

extension TIFFStructure {
    /// Page `index` (0-based) of a multi-page TIFF as a one-page TIFF of its own, its G4 data
    /// copied as the scanner wrote it: storing a 1-bit page then costs a copy instead of a G4
    /// encode (a twentieth of a G4 page's CPU in the pipeline). Nil unless the page is 1-bit
    /// CCITT G4 in strips with no orientation of its own; the caller then encodes the page itself.
    package static func g4Page(_ data: Data, index: Int) -> [UInt8]? {
        g4Page(Source(data), index: index)
    }

    /// ``g4Page(_:index:)`` of the TIFF at `path`, reading only that page's directory chain and
    /// strips.
    package static func g4Page(path: String, index: Int) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return Source(handle).flatMap { g4Page($0, index: index) }
    }

    private static func g4Page(_ source: Source, index: Int) -> [UInt8]? {
        guard index >= 0, let reader = Reader(source) else { return nil }
        var offset = reader.firstDirectory
        var seen: Set<Int> = []
        for _ in 0..<index {
            guard offset != 0, seen.insert(offset).inserted, let next = reader.directory(at: offset)?.next else { return nil }
            offset = next
        }
        guard offset != 0, let page = reader.directory(at: offset) else { return nil }
        let stripOffsets = page.stripOffsets
        guard page.integer(259) == 4, (page.integer(258) ?? 1) == 1, (page.integer(277) ?? 1) == 1,
            (page.integer(274) ?? 1) == 1, page.entries[322] == nil,
            let width = page.integer(256), let height = page.integer(257), width > 0, height > 0,
            let photometric = page.integer(262), photometric == 0 || photometric == 1,
            !stripOffsets.isEmpty, stripOffsets.count == page.stripByteCounts.count, page.stripsInside(source.length),
            page.entries.values.allSatisfy({ $0.allSatisfy { $0 >= 0 } })
        else { return nil }

        var strips: [[UInt8]] = []
        for (o, c) in zip(stripOffsets, page.stripByteCounts) {
            guard let strip = source.read(o, c) else { return nil }
            strips.append(strip)
        }
        var tags: [Tag] = []
        if let fill = page.integer(266) { tags.append(Tag(266, 3, [fill])) }
        for tag in [282, 283] { if let r = page.entries[tag], r.count == 2 { tags.append(Tag(tag, 5, r)) } }
        if let t6 = page.integer(293) { tags.append(Tag(293, 4, [t6])) }
        if let unit = page.integer(296) { tags.append(Tag(296, 3, [unit])) }
        return g4TIFF(strips: strips, width: width, height: height, photometric: photometric, rowsPerStrip: page.integer(278) ?? height, tags: tags)
    }

    /// A one-page TIFF of G4 data that is already encoded (a scanner's page from a TIFF or a
    /// PDF), with `photometric` 0 when the data's black runs are black.
    package static func g4TIFF(strip: [UInt8], width: Int, height: Int, photometric: Int, dpi: Double) -> [UInt8] {
        // Whole pixels per inch, as a scanner's are and as a page drawn by poppler gets them.
        let resolution = [Int(dpi.rounded()), 1]
        return g4TIFF(
            strips: [strip], width: width, height: height, photometric: photometric, rowsPerStrip: height,
            tags: [Tag(282, 5, resolution), Tag(283, 5, resolution), Tag(296, 3, [2])])
    }

    /// A directory entry to write: tag, TIFF type (3 SHORT, 4 LONG, 5 RATIONAL) and values (a
    /// RATIONAL as numerator and denominator).
    struct Tag {
        let tag: Int
        let type: Int
        let values: [Int]
        init(_ tag: Int, _ type: Int, _ values: [Int]) {
            self.tag = tag
            self.type = type
            self.values = values
        }
    }

    /// Header, strips, then the one directory (in tag order, as TIFF wants) and its values.
    private static func g4TIFF(strips: [[UInt8]], width: Int, height: Int, photometric: Int, rowsPerStrip: Int, tags: [Tag]) -> [UInt8] {
        var out: [UInt8] = [0x49, 0x49, 42, 0, 0, 0, 0, 0]
        var offsets: [Int] = []
        for strip in strips {
            offsets.append(out.count)
            out += strip
        }
        if out.count % 2 == 1 { out.append(0) }
        let entries = ([
            Tag(256, 4, [width]), Tag(257, 4, [height]), Tag(258, 3, [1]), Tag(259, 3, [4]), Tag(262, 3, [photometric]),
            Tag(273, 4, offsets), Tag(277, 3, [1]), Tag(278, 4, [rowsPerStrip]), Tag(279, 4, strips.map(\.count)),
        ] + tags).sorted { $0.tag < $1.tag }

        let directory = out.count
        put32(&out, at: 4, directory)
        var extra = directory + 2 + entries.count * 12 + 4
        var tail: [UInt8] = []
        append16(&out, entries.count)
        for entry in entries {
            let size = entry.type == 3 ? 2 : 4
            let count = entry.type == 5 ? entry.values.count / 2 : entry.values.count
            append16(&out, entry.tag)
            append16(&out, entry.type)
            append32(&out, count)
            var data: [UInt8] = []
            for v in entry.values { size == 2 ? append16(&data, v) : append32(&data, v) }
            if data.count <= 4 {
                out += data + [UInt8](repeating: 0, count: 4 - data.count)
            } else {
                append32(&out, extra)
                tail += data
                extra += data.count
            }
        }
        append32(&out, 0)
        return out + tail
    }

    private static func append16(_ out: inout [UInt8], _ v: Int) {
        out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)]
    }

    private static func append32(_ out: inout [UInt8], _ v: Int) {
        out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24 & 0xFF)]
    }

    private static func put32(_ out: inout [UInt8], at o: Int, _ v: Int) {
        for k in 0..<4 { out[o + k] = UInt8(v >> (8 * k) & 0xFF) }
    }
}
