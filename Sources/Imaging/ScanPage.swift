import CLeptonica
import Geometry
import Raster

/// One scanned page held in Leptonica form for the reader: the page as scanned (1-bit for G4,
/// 8-bit for grey) plus a 1-bit version for counting ink and finding marks.
///
/// Owned by one worker at a time (not `Sendable`): Leptonica images are mutable C structures.
package final class ScanPage {
    private let original: Pix
    private let binary: Pix
    /// The page's G4 data as scanned, as a one-page TIFF, while `original` is exactly that
    /// (not turned): what ``storedImage()`` stores without encoding the page again.
    private let asScanned: [UInt8]?
    /// Width in pixels.
    package let width: Int
    /// Height in pixels.
    package let height: Int
    /// Resolution (from the file, or inferred from an A4 page width when the file has none).
    package let dpi: Double

    /// The grey level below which a grey pixel counts as ink (pencil included, erasure residue not).
    package static let inkThreshold: UInt8 = 170

    private init(original: Pix, binary: Pix, dpi: Double, asScanned: [UInt8]? = nil) {
        self.original = original
        self.binary = binary
        self.asScanned = asScanned
        self.width = original.width
        self.height = original.height
        self.dpi = dpi
    }

    /// Reads page `index` (0-based) of a scan file; colour pages are reduced to grey by `colour`.
    package static func read(_ path: String, index: Int, colour: ColourReduction = .luminance) throws(ImagingError) -> ScanPage {
        let (pix, asScanned) = try ImageFile.decodeScanned(path, index: index, colour: colour)
        guard let page = ScanPage(pix, asScanned: asScanned) else {
            throw ImagingError(reason: .undecodable, path: path, page: index + 1, detail: "unsupported pixel format")
        }
        return page
    }

    /// A page from a grey image (tests, synthetic input).
    package convenience init(_ image: GreyImage) {
        self.init(Pix(image))!
    }

    private convenience init?(_ pix: Pix, asScanned: [UInt8]? = nil) {
        var xres: Int32 = 0
        var yres: Int32 = 0
        pixGetResolution(pix.pointer, &xres, &yres)
        var dpi = Double(xres)
        if dpi < 50 || dpi > 1200 {
            // No usable resolution in the file: assume the sheet is A4 wide.
            dpi = Double(min(pix.width, pix.height)) / 210 * 25.4
        }
        var source = pix
        if pix.depth != 1 && pix.depth != 8 || pixGetColormap(pix.pointer) != nil {
            guard let grey = pix.greyImage() else { return nil }
            source = Pix(grey)
        }
        let bin: Pix
        if source.depth == 1 {
            bin = source
        } else {
            guard let b = pixThresholdToBinary(source.pointer, Int32(Self.inkThreshold)) else { return nil }
            bin = Pix(b)
        }
        self.init(original: source, binary: bin, dpi: dpi, asScanned: source === pix ? asScanned : nil)
    }

    /// The same pixels at another resolution (the one measured on the page, when the file's is
    /// wrong).
    package func withResolution(_ dpi: Double) -> ScanPage {
        ScanPage(original: original, binary: binary, dpi: dpi, asScanned: asScanned)
    }

    /// Whether the page arrived as 1-bit (G4) data.
    package var isBinary: Bool { original.depth == 1 }

    /// The page turned by `quarterTurns` × 90° clockwise.
    package func rotated(quarterTurns: Int) -> ScanPage {
        let turns = ((quarterTurns % 4) + 4) % 4
        guard turns != 0 else { return self }
        func turn(_ p: Pix) -> Pix {
            let out = turns == 2 ? pixRotate180(nil, p.pointer) : pixRotateOrth(p.pointer, Int32(turns))
            return out.map(Pix.init) ?? p
        }
        return ScanPage(original: turn(original), binary: turn(binary), dpi: dpi)
    }

    private func clip(_ rect: Rect) -> (x: Int32, y: Int32, w: Int32, h: Int32)? {
        let x0 = max(0, Int(rect.minX.rounded()))
        let y0 = max(0, Int(rect.minY.rounded()))
        let x1 = min(width, Int(rect.maxX.rounded()))
        let y1 = min(height, Int(rect.maxY.rounded()))
        guard x1 > x0, y1 > y0 else { return nil }
        return (Int32(x0), Int32(y0), Int32(x1 - x0), Int32(y1 - y0))
    }

    /// The part of `pix` inside a pixel rectangle, with where it was cut (nil when the
    /// rectangle lies off the page).
    private func cut(_ pix: Pix, _ rect: Rect) -> (Pix, (x: Int32, y: Int32, w: Int32, h: Int32))? {
        guard let c = clip(rect) else { return nil }
        let box = boxCreate(c.x, c.y, c.w, c.h)
        defer {
            var b = box
            boxDestroy(&b)
        }
        guard let sub = pixClipRectangle(pix.pointer, box, nil) else { return nil }
        return (Pix(sub), c)
    }

    /// Fraction of ink pixels inside a pixel rectangle (0 when it lies off the page).
    package func inkFraction(in rect: Rect) -> Double {
        guard let c = clip(rect) else { return 0 }
        let box = boxCreate(c.x, c.y, c.w, c.h)
        defer {
            var b = box
            boxDestroy(&b)
        }
        var count: Int32 = 0
        pixCountPixelsInRect(binary.pointer, box, &count, nil)
        return Double(count) / Double(c.w * c.h)
    }

    /// Ink pixels of a band of the page counted once per column (`.columns`) or per row
    /// (`.rows`), so that many narrow strips across the band are scored without cutting the
    /// page again for each: ``InkProfile/fraction(in:)`` of a strip equals ``inkFraction(in:)``
    /// of the same rectangle. Nil when the band lies off the page.
    package func inkProfile(of band: Rect, along axis: InkProfile.Axis) -> InkProfile? {
        guard let (region, c) = cut(binary, band) else { return nil }
        guard let numa = axis == .columns ? pixCountPixelsByColumn(region.pointer) : pixCountPixelsByRow(region.pointer, nil) else { return nil }
        defer {
            var n: UnsafeMutablePointer<NUMA>? = numa
            numaDestroy(&n)
        }
        var counts = [Int](repeating: 0, count: Int(numaGetCount(numa)))
        for i in counts.indices {
            var v: Int32 = 0
            numaGetIValue(numa, Int32(i), &v)
            counts[i] = Int(v)
        }
        return axis == .columns
            ? InkProfile(axis: axis, start: Int(c.x), across: Int(c.y)..<Int(c.y + c.h), counts: counts, pageLength: width)
            : InkProfile(axis: axis, start: Int(c.y), across: Int(c.x)..<Int(c.x + c.w), counts: counts, pageLength: height)
    }

    /// Fraction of ink pixels on the whole page, sampled (blank-page detection).
    package func inkFraction() -> Double {
        var count: Int32 = 0
        pixCountPixels(binary.pointer, &count, nil)
        return Double(count) / Double(width * height)
    }

    /// How many connected ink marks on the page are at least `minLength` millimetres long:
    /// writing, as opposed to the scanner's specks and dust that a blank page still carries.
    /// A short note on a sheet's back is far below any ink-share threshold but has strokes.
    package func strokes(minLength: Double) -> Int {
        guard let boxa = pixConnCompBB(binary.pointer, 8) else { return 0 }
        var list: UnsafeMutablePointer<BOXA>? = boxa
        defer { boxaDestroy(&list) }
        let minPixels = Int32((minLength * dpi / 25.4).rounded())
        var n = 0
        for i in 0..<boxaGetCount(boxa) {
            var w: Int32 = 0
            var h: Int32 = 0
            boxaGetBoxGeometry(boxa, i, nil, nil, &w, &h)
            if max(w, h) >= minPixels { n += 1 }
        }
        return n
    }

    /// A dark blob found by connected components.
    package struct Blob: Hashable, Sendable {
        /// Bounding box in page pixels.
        package var bounds: Rect
        /// Ink pixels inside the bounding box.
        package var inkPixels: Int
        /// Centre of the bounding box.
        package var center: Point { bounds.center }
        /// Ink pixels per bounding-box pixel (1 for a solid square).
        package var solidity: Double { Double(inkPixels) / max(1, bounds.width * bounds.height) }
    }

    /// Connected ink blobs (8-connected) inside a pixel rectangle whose bounding box is at least
    /// `minSide` pixels on each side.
    package func blobs(in rect: Rect, minSide: Int) -> [Blob] {
        guard let (region, c) = cut(binary, rect) else { return [] }
        var pixa: UnsafeMutablePointer<PIXA>? = nil
        guard let boxa = pixConnCompPixa(region.pointer, &pixa, 8) else { return [] }
        defer {
            var b: UnsafeMutablePointer<BOXA>? = boxa
            boxaDestroy(&b)
            pixaDestroy(&pixa)
        }
        var out: [Blob] = []
        for i in 0..<boxaGetCount(boxa) {
            var x: Int32 = 0
            var y: Int32 = 0
            var w: Int32 = 0
            var h: Int32 = 0
            boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h)
            guard Int(w) >= minSide, Int(h) >= minSide, let comp = pixaGetPix(pixa, i, Int32(L_CLONE)) else { continue }
            var count: Int32 = 0
            pixCountPixels(comp, &count, nil)
            var p: UnsafeMutablePointer<PIX>? = comp
            pixDestroy(&p)
            out.append(
                Blob(
                    bounds: Rect(x: Double(c.x + x), y: Double(c.y + y), width: Double(w), height: Double(h)),
                    inkPixels: Int(count)))
        }
        return out
    }

    /// How far below the page's paper level a grey pixel still counts as paper in the stored
    /// page image (scanner noise on blank paper spreads about that far).
    package static let storedPaperSpread = 16

    /// The page as the store keeps it, once, for every clip a person or a model will want: a
    /// 1-bit page as G4 TIFF (lossless; a G4 page that was not turned is copied as scanned,
    /// without encoding it again), a grey one as a 16-level PNG with its paper
    /// made white (its grey stretched so the page's own paper level, less
    /// ``storedPaperSpread``, becomes white: faint pencil stays visible; the scanner's noise on
    /// blank paper, which made 8-bit clips of grey scans 20 times larger, costs nothing).
    /// ``GreyImage/init(imageData:)`` reads either back as 8-bit grey, in the page's pixel
    /// coordinates. Empty if encoding fails.
    package func storedImage() -> [UInt8] {
        if let asScanned { return asScanned }
        if original.depth == 1 { return original.tiffG4Data() }
        let white = max(Int32(Self.inkThreshold) + 1, paperLevel() - Int32(Self.storedPaperSpread))
        guard let stretched = pixGammaTRC(nil, original.pointer, 1.0, 0, white).map(Pix.init),
            let levels = pixThresholdTo4bpp(stretched.pointer, 16, 1)
        else { return [] }
        return Pix(levels).pngData()
    }

    /// The grey page's paper level: its most common grey among the light ones (sampled every
    /// fourth pixel); 255 when it cannot be measured.
    func paperLevel() -> Int32 {
        guard let histogram = pixGetGrayHistogram(original.pointer, 4) else { return 255 }
        var numa: UnsafeMutablePointer<NUMA>? = histogram
        defer { numaDestroy(&numa) }
        var best: (level: Int32, count: Int32) = (255, -1)
        for level in Int32(Self.inkThreshold)...255 {
            var count: Int32 = 0
            numaGetIValue(histogram, level, &count)
            if count > best.count { best = (level, count) }
        }
        return best.level
    }

    /// Where ``grey(_:)`` cuts `rect`, and where a clip of the stored image is cut: its
    /// whole-pixel rectangle on the page, as `[x, y, width, height]` (nil when it lies off the page).
    package func cutRectangle(_ rect: Rect) -> [Int]? {
        clip(rect).map { [Int($0.x), Int($0.y), Int($0.w), Int($0.h)] }
    }

    /// The pixels inside a rectangle as an 8-bit grey image (1-bit pages become 0/255).
    package func grey(_ rect: Rect) -> GreyImage {
        guard let c = clip(rect) else { return GreyImage(width: 1, height: 1, dpi: dpi) }
        guard let (region, _) = cut(original, rect), var image = region.greyImage() else {
            return GreyImage(width: Int(c.w), height: Int(c.h), dpi: dpi)
        }
        image.dpi = dpi
        return image
    }
}

extension GreyImage {
    /// PNG bytes of the image, 8 bits a pixel (stored page images are made with
    /// ``ScanPage/storedImage()``, in fewer bits).
    package func pngData() -> [UInt8] {
        Pix(self).pngData()
    }

    /// Decodes image bytes (PNG at any depth, a stored page's G4 TIFF, anything Leptonica reads)
    /// to 8-bit grey, keeping the resolution the bytes carry.
    package init?(imageData bytes: [UInt8]) {
        LeptonicaSetup.once()
        guard let raw = bytes.withUnsafeBufferPointer({ pixReadMem($0.baseAddress, $0.count) }),
            let image = Pix(raw).greyImage()
        else { return nil }
        self = image
    }
}
