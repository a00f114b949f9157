import Canvas
import Foundation
import Geometry
import Raster
import Synthesis
import Testing

@Suite struct PenStrokeTests {
    /// A ring as a fine pen leaves it in a 28-pixel digit image (CVL's are like this): the stroke
    /// is half a pixel wide, so no pixel shows more than half coverage.
    static func thinRing() -> GreyImage {
        var pixels = [UInt8](repeating: 0, count: 28 * 28)
        for y in 0..<28 {
            for x in 0..<28 {
                let r = ((Double(x) - 13.5) * (Double(x) - 13.5) + (Double(y) - 13.5) * (Double(y) - 13.5)).squareRoot()
                pixels[y * 28 + x] = UInt8((min(0.5, max(0, 0.75 - abs(r - 8))) * 255).rounded())
            }
        }
        return GreyImage(width: 28, height: 28, pixels: pixels, dpi: 0)
    }

    /// The darkest pixel near each point of the ring, every 5° around it, once drawn 5.2 mm
    /// tall at 300 dpi with a pencil of grey `pencil`.
    static func darkestAroundTheRing(_ mask: GreyImage, pencil: UInt8) -> [UInt8] {
        let canvas = Canvas(width: 7, height: 7, resolution: .scan300)
        let map = AffineMap.placing(
            width: mask.width, height: mask.height, center: Point(x: 3.5, y: 3.5), height: 5.2, rotation: 0, shear: 0)
        canvas.paint(mask: mask, transform: map, grey: pencil)
        let page = canvas.greyImage()
        let ppm = 300 / 25.4
        let centre = 3.5 * ppm
        let radius = 8.0 / 28 * 5.2 * ppm
        return stride(from: 0.0, to: 360, by: 5).map { degrees in
            let a = degrees * .pi / 180
            var darkest: UInt8 = 255
            for dr in stride(from: -3.0, through: 3, by: 0.5) {
                let x = Int((centre + (radius + dr) * cos(a)).rounded())
                let y = Int((centre + (radius + dr) * sin(a)).rounded())
                darkest = min(darkest, page[x, y])
            }
            return darkest
        }
    }

    @Test func aStrokeFinerThanASamplePixelIsDrawnWholeAtThePencilsDarkness() {
        let darkest = Self.darkestAroundTheRing(Self.thinRing().penStroke(), pencil: 60)
        #expect(darkest.count == 72)
        // Whole: darker than any 1-bit scanner's threshold all round; as dark as the pencil
        // almost everywhere (where the ring runs between two sample pixels it is a little lighter).
        #expect(darkest.allSatisfy { $0 <= 110 }, "darkest grey around the ring: \(darkest)")
        #expect(darkest.sorted()[darkest.count / 2] <= 75)
    }

    @Test func paintingASamplesCoverageAsInkWouldLeaveAFaintLine() {
        // What synth did before: the sample's grey as the ink's opacity. The line stays lighter
        // than a 1-bit scanner's threshold, so a 1-bit scan loses it.
        let darkest = Self.darkestAroundTheRing(Self.thinRing(), pencil: 60)
        #expect(darkest.allSatisfy { $0 > 150 })
    }

    @Test func thePenOutlineIsTakenOnAFinerGridThanTheSample() {
        let stroke = Self.thinRing().penStroke()
        #expect(stroke.width == 112 && stroke.height == 112)
        #expect(Set(stroke.pixels).contains(255) && Set(stroke.pixels).contains(0))
    }
}
