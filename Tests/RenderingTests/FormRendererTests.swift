import Foundation
import FormRendering
import FormTemplate
import Geometry
import Imaging
import QRCode
import Raster
import TestSupport
import Testing

@Suite struct FormRendererTests {
    let template = Fixtures.rskK4
    var renderer: FormRenderer { FormRenderer(template: template) }

    @Test(arguments: [100.0, 150.0, 300.0])
    func fiducialsLandWhereTheTemplateSaysAtAnyResolution(dpi: Double) throws {
        let page = template.pages[1]
        let image = renderer.image(page: page, serial: 5, resolution: Resolution(dpi: dpi))
        let r = Resolution(dpi: dpi)
        #expect(image.width == r.pixelSize(width: 210, height: 297).width)
        for mark in page.fiducials {
            let c = r.pixels(mark.center)
            #expect(image[Int(c.x), Int(c.y)] < 40, "fiducial centre must be black")
            let outside = r.pixels(Point(x: mark.maxX + 1, y: mark.center.y))
            #expect(image[Int(outside.x), Int(outside.y)] > 215, "1 mm right of a fiducial must be paper")
        }
    }

    @Test func digitBoxesHaveInkedBordersAndBlankInteriors() throws {
        let image = renderer.image(page: template.pages[1], serial: 1, resolution: .scan300)
        let nik = try #require(template.field("m1.403"))
        for box in nik.boxes {
            let left = Resolution.scan300.pixels(Point(x: box.minX, y: box.center.y))
            let centre = Resolution.scan300.pixels(box.center)
            #expect(image[Int(left.x.rounded()), Int(left.y)] < 100)
            #expect(image[Int(centre.x), Int(centre.y)] == 255)
        }
    }

    @Test func theQRCodeOnEveryPageDecodesToItsIdentity() {
        for page in template.pages {
            let image = renderer.image(page: page, serial: 123_456, resolution: Resolution(dpi: 150))
            let codes = QRDecoder.decode(image)
            let expected = PageIdentity(form: "RSK-K4", version: 1, page: page.number, serial: 123_456)
            #expect(codes.map(\.text) == [expected.payload])
            #expect(codes.first.flatMap { PageIdentity(payload: $0.text) } == expected)
        }
    }

    @Test func printablesAreOnePDFAndAGreyPNGPerPage() throws {
        let dir = Fixtures.temporaryDirectory()
        let written = try renderer.writePrintables(to: dir, serials: 7..<9, dpi: 100)
        #expect(written.count == 1 + 2 * 4)
        #expect(written[0].hasSuffix("RSK-K4-v1-0000000007-0000000008.pdf"))
        let pdf = try String(decoding: Data(contentsOf: URL(fileURLWithPath: written[0])), as: UTF8.self)
        #expect(pdf.hasPrefix("%PDF-"))
        #expect(pdf.components(separatedBy: "/Type /Page\n").count - 1 + pdf.components(separatedBy: "/Type /Page ").count - 1 >= 8)
        let png = try ImageFile.readPages(written[5])
        #expect(png.count == 1 && png[0].width == 827 && png[0].dpi == 100)
        #expect(written[5].hasSuffix("RSK-K4-v1-0000000008-p1.png"))
    }
}

@Suite struct QRCodeTests {
    @Test func encodedSymbolsDecodeBackWhenDrawnLarge() throws {
        let symbol = try #require(QRSymbol(encoding: "PINDAI1|X|1|1|0000000001"))
        let scale = 6
        let side = (symbol.size + 8) * scale
        var image = GreyImage(width: side, height: side, dpi: 300)
        for y in 0..<symbol.size {
            for x in 0..<symbol.size where symbol[x, y] {
                for dy in 0..<scale {
                    for dx in 0..<scale { image[(x + 4) * scale + dx, (y + 4) * scale + dy] = 0 }
                }
            }
        }
        #expect(QRDecoder.decode(image).map(\.text) == ["PINDAI1|X|1|1|0000000001"])
        #expect(QRDecoder.decode(image.rotated180()).map(\.text) == ["PINDAI1|X|1|1|0000000001"])
    }

    @Test func aBlankImageHasNoCode() {
        #expect(QRDecoder.decode(GreyImage(width: 300, height: 300, dpi: 300)).isEmpty)
    }
}
