import Foundation
import Imaging
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
