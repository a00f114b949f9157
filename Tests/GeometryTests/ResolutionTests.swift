import Geometry
import Testing

@Suite struct ResolutionTests {
    @Test(arguments: [(150.0, 5.0, 29.527559), (300.0, 5.0, 59.055118), (600.0, 25.4, 600.0), (300.0, 210.0, 2480.314961)])
    func millimetresBecomePixelsAtAnyResolution(dpi: Double, millimetres: Double, pixels: Double) {
        let r = Resolution(dpi: dpi)
        #expect(abs(r.pixels(millimetres) - pixels) < 1e-5)
        #expect(abs(r.millimetres(r.pixels(millimetres)) - millimetres) < 1e-9)
    }

    @Test func anA4PageAt300DpiIsTheScannersPixelSize() {
        let size = Resolution.scan300.pixelSize(width: 210, height: 297)
        #expect(size.width == 2480)
        #expect(size.height == 3508)
    }

    @Test func rectanglesScaleAboutTheOrigin() {
        let r = Resolution(dpi: 254).pixels(Rect(x: 10, y: 20, width: 5, height: 6))
        #expect(r == Rect(x: 100, y: 200, width: 50, height: 60))
    }

    @Test func insetCropsTheInteriorOfABox() {
        let box = Rect(x: 10, y: 10, width: 5, height: 6).insetBy(0.6)
        #expect(abs(box.minX - 10.6) < 1e-12 && abs(box.width - 3.8) < 1e-12 && abs(box.height - 4.8) < 1e-12)
    }

    @Test func touchingBoxesDoNotOverlapButSharedAreaDoes() {
        let a = Rect(x: 0, y: 0, width: 5, height: 6)
        #expect(!a.overlaps(Rect(x: 5, y: 0, width: 5, height: 6)))
        #expect(a.overlaps(Rect(x: 4.9, y: 5.9, width: 1, height: 1)))
    }
}

@Suite struct ProjectiveTransformTests {
    let square = [Point(x: 0, y: 0), Point(x: 100, y: 0), Point(x: 100, y: 100), Point(x: 0, y: 100)]

    @Test func fourPointPairsMapExactly() throws {
        let target = [Point(x: 10, y: 12), Point(x: 212, y: 8), Point(x: 220, y: 230), Point(x: 4, y: 205)]
        let t = try #require(ProjectiveTransform(from: square, to: target))
        for (s, d) in zip(square, target) {
            #expect(t.apply(s).distance(to: d) < 1e-9)
        }
        let back = try #require(t.inverted)
        let p = Point(x: 37, y: 61)
        #expect(back.apply(t.apply(p)).distance(to: p) < 1e-9)
    }

    @Test func collinearPointsAreRejected() {
        let line = [Point(x: 0, y: 0), Point(x: 1, y: 1), Point(x: 2, y: 2), Point(x: 3, y: 3)]
        #expect(ProjectiveTransform(from: line, to: square) == nil)
    }

    @Test func threePointsGiveTheAffineFitOfARotation() throws {
        let angle = 2.0 * Double.pi / 180
        let rotate = { (p: Point) in
            Point(x: 1.02 * (p.x * cos(angle) - p.y * sin(angle)) + 7, y: 1.02 * (p.x * sin(angle) + p.y * cos(angle)) - 3)
        }
        let three = Array(square.prefix(3))
        let t = try #require(ProjectiveTransform(affineFrom: three, to: three.map(rotate)))
        #expect(t.apply(square[3]).distance(to: rotate(square[3])) < 1e-9)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
