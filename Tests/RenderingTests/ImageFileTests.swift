import Foundation
import Geometry
import Imaging
import PDFReading
import Raster
import TestSupport
import Testing

@Suite struct ImageFileTests {
    func stripes(_ w: Int, _ h: Int) -> GreyImage {
        var image = GreyImage(width: w, height: h, dpi: 300)
        for y in 0..<h where y % 7 < 3 {
            for x in 0..<w { image[x, y] = UInt8((x * 3) % 256) }
        }
        return image
    }

    @Test func greyTIFFPagesRoundTripExactly() throws {
        let dir = Fixtures.temporaryDirectory()
        let pages = [stripes(101, 53), stripes(64, 80)]
        try ImageWriter.write(pages, to: dir + "/grey.tif", as: .tiffGrey)
        #expect(try ImageFile.pageCount(of: dir + "/grey.tif") == 2)
        #expect(try ImageFile.readPages(dir + "/grey.tif") == pages)
    }

    @Test func g4TIFFPagesComeBackAsBlackAndWhite() throws {
        let dir = Fixtures.temporaryDirectory()
        try ImageWriter.write([stripes(120, 60)], to: dir + "/bw.tif", as: .tiffG4(threshold: 128))
        #expect(try ImageFile.format(of: dir + "/bw.tif") == .tiff)
        let page = try ImageFile.readPage(dir + "/bw.tif", index: 0)
        #expect(Set(page.pixels).isSubset(of: [0, 255]))
        #expect(page[10, 0] == 0 && page[10, 5] == 255)
        #expect(page.dpi == 300)
    }

    /// A grey scan with pencil-grey strokes on noisy paper, as a scanner's grey page looks.
    func noisyGreyPage() -> GreyImage {
        var image = GreyImage(width: 400, height: 200, dpi: 300)
        var seed: UInt32 = 7
        for y in 0..<200 {
            for x in 0..<400 {
                seed = seed &* 1_664_525 &+ 1_013_904_223
                let noise = Int(seed >> 28)
                image[x, y] = UInt8((y % 40 < 4 || x % 50 < 3) ? 110 + noise : 235 + noise)
            }
        }
        return image
    }

    @Test func aOneBitPageImageComesBackExactlyAndClipsCutFromItMatchThePage() throws {
        let dir = Fixtures.temporaryDirectory()
        try ImageWriter.write([stripes(300, 120)], to: dir + "/bw.tif", as: .tiffG4(threshold: 128))
        let page = try ScanPage.read(dir + "/bw.tif", index: 0)
        let stored = page.storedImage()
        #expect(stored.starts(with: [0x49, 0x49]) || stored.starts(with: [0x4D, 0x4D]), "a 1-bit page is stored as TIFF (G4)")
        let back = try #require(GreyImage(imageData: stored))
        #expect(back.pixels == page.grey(Rect(x: 0, y: 0, width: 300, height: 120)).pixels)
        let rect = Rect(x: 13, y: 7, width: 211, height: 90)
        let r = try #require(page.cutRectangle(rect))
        #expect(back.cropped(x: r[0], y: r[1], width: r[2], height: r[3]).pixels == page.grey(rect).pixels)
    }

    @Test func aG4PageIsStoredAsScannedAndATurnedOneIsEncodedAgain() throws {
        let dir = Fixtures.temporaryDirectory()
        var second = stripes(310, 140)
        for y in 100..<130 { for x in 20..<60 { second[x, y] = 0 } }
        try ImageWriter.write([stripes(300, 120), second, stripes(90, 50)], to: dir + "/bw.tif", as: .tiffG4(threshold: 128))
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/bw.tif"))
        let page = try ScanPage.read(dir + "/bw.tif", index: 1)
        let stored = page.storedImage()
        let copied = try #require(TIFFStructure.g4Page(data, index: 1))
        #expect(stored == copied, "the scanner's G4 data is stored, not encoded again")
        let structure = try #require(TIFFStructure.inspect(data: Data(stored)))
        #expect(structure.pages == 1 && !structure.truncated)
        #expect(structure.sizes.map { [$0.width, $0.height] } == [[310, 140]])
        let back = try #require(GreyImage(imageData: stored))
        #expect(back.pixels == page.grey(Rect(x: 0, y: 0, width: 310, height: 140)).pixels)
        #expect(back.dpi == 300)

        let turned = page.rotated(quarterTurns: 2)
        let turnedBack = try #require(GreyImage(imageData: turned.storedImage()))
        #expect(turned.storedImage() != stored)
        #expect(turnedBack.pixels == turned.grey(Rect(x: 0, y: 0, width: 310, height: 140)).pixels, "a page turned upright is stored upright")
        #expect(back[40, 120] == 0 && turnedBack[269, 19] == 0 && back[269, 19] != 0)
    }

    /// Pillow's G4 pages (MinIsBlack) and the same pages big-endian with reversed bit order
    /// (`Tests/Fixtures/tiff/make_fixtures.py`): other writers' layouts are copied whole too.
    @Test(arguments: ["pillow-g4", "big-endian-lsb-g4"])
    func anotherProgramsG4PagesAreStoredAsScannedAndReadTheSame(name: String) throws {
        let path = Fixtures.repositoryRoot + "/Tests/Fixtures/tiff/\(name).tif"
        let reference = try ImageFile.readPages(Fixtures.repositoryRoot + "/Tests/Fixtures/tiff/pillow-g4.tif")
        for index in 0..<2 {
            let page = try ScanPage.read(path, index: index)
            let stored = page.storedImage()
            #expect(stored == TIFFStructure.g4Page(try Data(contentsOf: URL(fileURLWithPath: path)), index: index))
            let back = try #require(GreyImage(imageData: stored))
            #expect(back.pixels == reference[index].pixels, "page \(index + 1)")
            #expect(back.dpi == 200)
        }
        #expect(reference[0][50, 45] == 0 && reference[0][150, 10] == 255 && reference[1][152, 51] == 0)
    }

    /// A scanner's G4 PDF (Pillow's: `/BlackIs1 true`, filters in arrays) is decoded from its
    /// G4 data, not drawn by poppler, reads exactly as the same pages' TIFF, and is stored as
    /// that data.
    @Test func aG4PDFPageIsDecodedFromItsG4DataAndStoredAsIs() throws {
        let fixtures = Fixtures.repositoryRoot + "/Tests/Fixtures/tiff/"
        let reference = try ImageFile.readPages(fixtures + "pillow-g4.tif")
        let document = try PDFDocument(path: fixtures + "pillow-g4.pdf")
        for index in 0..<2 {
            let fax = try #require(document.faxImage(index))
            #expect(fax.width == 203 && fax.height == 97 && fax.inverted)
            #expect(abs(fax.dpi - 200) < 0.5, "Pillow rounds the page size to points")
            let page = try ScanPage.read(fixtures + "pillow-g4.pdf", index: index)
            #expect(page.isBinary && page.dpi == 200)
            let stored = page.storedImage()
            #expect(stored == TIFFStructure.g4TIFF(strip: fax.data, width: 203, height: 97, photometric: 1, dpi: fax.dpi))
            #expect(GreyImage(imageData: stored)?.pixels == reference[index].pixels, "page \(index + 1)")
            #expect(page.grey(Rect(x: 0, y: 0, width: 203, height: 97)).pixels == reference[index].pixels)
        }
    }

    @Test func onlyAWholeG4PageIsCopied() throws {
        let dir = Fixtures.temporaryDirectory()
        try ImageWriter.write([stripes(100, 40)], to: dir + "/grey.tif", as: .tiffGrey)
        try ImageWriter.write([stripes(100, 40)], to: dir + "/bw.tif", as: .tiffG4(threshold: 128))
        let bw = try Data(contentsOf: URL(fileURLWithPath: dir + "/bw.tif"))
        #expect(TIFFStructure.g4Page(try Data(contentsOf: URL(fileURLWithPath: dir + "/grey.tif")), index: 0) == nil, "not 1-bit G4")
        #expect(TIFFStructure.g4Page(bw, index: 1) == nil, "no second page")
        #expect(TIFFStructure.g4Page(bw.prefix(bw.count / 2), index: 0) == nil, "cut short")
        #expect(TIFFStructure.g4Page(bw, index: 0) != nil)
    }

    @Test func anInkProfileScoresStripsExactlyAsCuttingThePageDoes() throws {
        let dir = Fixtures.temporaryDirectory()
        var image = noisyGreyPage()
        for y in 0..<image.height where y % 9 == 0 { for x in 0..<image.width { image[x, y] = 0 } }
        try ImageWriter.write([image], to: dir + "/bw.tif", as: .tiffG4(threshold: 170))
        let page = try ScanPage.read(dir + "/bw.tif", index: 0)
        // A band that hangs off the left and top edges, and strips clipped by them.
        let (top, height) = (-3.4, 150.7)
        let columns = try #require(page.inkProfile(of: Rect(x: -12.3, y: top, width: 330.6, height: height), along: .columns))
        let (left, width) = (20.2, 270.9)
        let rows = try #require(page.inkProfile(of: Rect(x: left, y: -12.5, width: width, height: 200.4), along: .rows))
        var compared = 0
        for start in stride(from: -10.5, through: 310.0, by: 7.3) {
            let strip = Rect(x: start, y: top, width: 3, height: height)
            #expect(columns.fraction(in: strip) == page.inkFraction(in: strip), "column strip at \(start)")
            compared += page.inkFraction(in: strip) > 0 ? 1 : 0
        }
        for start in stride(from: -10.5, through: 180.0, by: 4.9) {
            let strip = Rect(x: left, y: start, width: width, height: 3)
            #expect(rows.fraction(in: strip) == page.inkFraction(in: strip), "row strip at \(start)")
        }
        #expect(compared > 20, "the strips hold ink")
    }

    @Test func aGreyPageImageKeepsItsInkOnWhitePaperInAFractionOfTheBytes() throws {
        // Paper 235–250 with scanner noise, pencil lines 110–125.
        let page = ScanPage(noisyGreyPage())
        let stored = page.storedImage()
        let full = page.grey(Rect(x: 0, y: 0, width: 400, height: 200))
        let back = try #require(GreyImage(imageData: stored))
        #expect(back.width == full.width && back.height == full.height)
        let pairs = Array(zip(full.pixels, back.pixels))
        #expect(pairs.filter { $0.0 >= 235 }.allSatisfy { $0.1 == 255 }, "paper is stored white, its noise gone")
        let ink = pairs.filter { $0.0 < 140 }
        #expect(ink.count > 1000)
        #expect(ink.allSatisfy { Int($0.1) + 17 >= Int($0.0) && $0.1 < ScanPage.inkThreshold }, "pencil stays ink, never darker than scanned")
        #expect(stored.count * 10 < full.pngData().count, "\(stored.count) bytes against \(full.pngData().count) for 8-bit")
    }

    /// A scanner's 1-bit PDF page (width not a multiple of 32) comes back 1-bit with exactly its
    /// pixels, as its G4 TIFF would; a grey PDF page stays grey, a colour one is reduced.
    @Test func aOneBitPDFPageComesBackOneBitAndExactAndAGreyOneStaysGrey() throws {
        let dir = Fixtures.temporaryDirectory()
        let page = stripes(101, 53)
        try ImageWriter.write([page], to: dir + "/bw.pdf", as: .pdfG4(threshold: 128))
        try ImageWriter.write([page], to: dir + "/bw.tif", as: .tiffG4(threshold: 128))
        let pdf = try ScanPage.read(dir + "/bw.pdf", index: 0)
        let whole = Rect(x: 0, y: 0, width: 101, height: 53)
        #expect(pdf.isBinary)
        #expect(pdf.grey(whole).pixels == (try ScanPage.read(dir + "/bw.tif", index: 0)).grey(whole).pixels)
        #expect(pdf.grey(whole).pixels == page.pixels.map { $0 < 128 ? 0 : 255 })

        try ImageWriter.write([page], to: dir + "/grey.pdf", as: .pdfJPEG(quality: 95))
        let grey = try ScanPage.read(dir + "/grey.pdf", index: 0)
        #expect(!grey.isBinary)
        #expect(Set(grey.grey(whole).pixels).count > 2)
        #expect(try PDFDocument(path: dir + "/bw.pdf").faxImage(0) != nil, "Leptonica's G4 PDF is read from its G4 data")
        #expect(try PDFDocument(path: dir + "/grey.pdf").faxImage(0) == nil, "a JPEG page is drawn by poppler")
    }

    /// A PDF whose page is one uncompressed 1-bit image (as some scanners write, and as any
    /// 1-bit image without a G4 filter reaches pindai): no G4 data to take out, so poppler draws
    /// it, and the drawing, pure black and white, is packed back into 1 bit exactly.
    @Test func aOneBitPDFPageWithoutG4IsDrawnAndPackedBackIntoOneBit() throws {
        let dir = Fixtures.temporaryDirectory()
        let page = stripes(101, 53)
        let rowBytes = (page.width + 7) / 8
        var bits = [UInt8](repeating: 0, count: rowBytes * page.height)
        for y in 0..<page.height {
            for x in 0..<page.width where page[x, y] >= 128 { bits[y * rowBytes + x / 8] |= 0x80 >> UInt8(x % 8) }
        }
        let content = "q \(Double(page.width) * 0.24) 0 0 \(Double(page.height) * 0.24) 0 0 cm /Im0 Do Q"
        var pdf = Data("%PDF-1.4\n".utf8)
        var offsets: [Int] = []
        func object(_ body: Data) {
            offsets.append(pdf.count)
            pdf += Data("\(offsets.count) 0 obj\n".utf8) + body + Data("\nendobj\n".utf8)
        }
        object(Data("<< /Type /Catalog /Pages 2 0 R >>".utf8))
        object(Data("<< /Type /Pages /Kids [3 0 R] /Count 1 >>".utf8))
        object(Data("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 \(Double(page.width) * 0.24) \(Double(page.height) * 0.24)] /Resources << /XObject << /Im0 5 0 R >> >> /Contents 4 0 R >>".utf8))
        object(Data("<< /Length \(content.utf8.count) >>\nstream\n\(content)\nendstream".utf8))
        object(Data("<< /Type /XObject /Subtype /Image /Width \(page.width) /Height \(page.height) /ColorSpace /DeviceGray /BitsPerComponent 1 /Length \(bits.count) >>\nstream\n".utf8) + Data(bits) + Data("\nendstream".utf8))
        let xref = pdf.count
        pdf += Data("xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n".utf8)
        for o in offsets { pdf += Data(String(format: "%010d 00000 n \n", o).utf8) }
        pdf += Data("trailer\n<< /Size \(offsets.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n".utf8)
        try pdf.write(to: URL(fileURLWithPath: dir + "/raw.pdf"))

        #expect(try PDFDocument(path: dir + "/raw.pdf").faxImage(0) == nil, "no G4 data")
        let read = try ScanPage.read(dir + "/raw.pdf", index: 0)
        #expect(read.isBinary && abs(read.dpi - 300) <= 3, "\(read.dpi): poppler rounds where so small an image is drawn")
        #expect(read.grey(Rect(x: 0, y: 0, width: 101, height: 53)).pixels == page.pixels.map { $0 < 128 ? 0 : 255 })
    }

    @Test func pngAndJPEGAreOnePageEach() throws {
        let dir = Fixtures.temporaryDirectory()
        try ImageWriter.write([stripes(40, 30)], to: dir + "/p.png", as: .png)
        try ImageWriter.write([stripes(40, 30)], to: dir + "/p.jpg", as: .jpeg(quality: 90))
        #expect(try ImageFile.format(of: dir + "/p.png") == .png)
        #expect(try ImageFile.format(of: dir + "/p.jpg") == .jpeg)
        #expect(try ImageFile.readPages(dir + "/p.png") == [stripes(40, 30)])
        #expect(try ImageFile.readPages(dir + "/p.jpg")[0].width == 40)
    }

    @Test func nonImagesAreRejectedWithAReason() throws {
        let dir = Fixtures.temporaryDirectory()
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: dir + "/notes.txt"))
        #expect(throws: ImagingError(reason: .unsupportedFormat, path: dir + "/notes.txt", detail: "not a TIFF, PDF, PNG or JPEG scan; scan to one of those formats")) {
            try ImageFile.pageCount(of: dir + "/notes.txt")
        }
        #expect(throws: ImagingError.self) { try ImageFile.pageCount(of: dir + "/missing.tif") }
    }

    @Test func truncatedFilesAreUndecodableNotCrashes() throws {
        let dir = Fixtures.temporaryDirectory()
        try ImageWriter.write([stripes(200, 200)], to: dir + "/full.png", as: .png)
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/full.png"))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: dir + "/half.png"))
        do {
            _ = try ImageFile.readPage(dir + "/half.png", index: 0)
            Issue.record("a truncated PNG must not decode")
        } catch {
            #expect(error.reason == .undecodable)
            #expect(error.description.contains("half.png page 1: cannot decode the image data"))
        }
    }
}
