import Alignment
import FormRendering
import Geometry
import Identification
import Imaging
import Raster
import TestSupport
import Testing

@Suite struct RegistrationTests {
    let template = Fixtures.rskK4

    @Test(arguments: [(0.0, 0.0, 0.0), (2.5, 1.5, -2.0), (-3.0, -2.5, 1.0)])
    func boxesAreFoundWhereTheSkewedScanPutThemWithin02mm(degrees: Double, dx: Double, dy: Double) throws {
        let r = Resolution(dpi: 200)
        // A scanner bed 4 mm larger than the sheet, as real scanners have.
        let clean = FormRenderer(template: template).image(page: template.page(2)!, serial: 9, resolution: r).padded(by: Int(r.pixels(4)))
        let w = Double(clean.width)
        let h = Double(clean.height)
        let corners = [Point(x: 0, y: 0), Point(x: w, y: 0), Point(x: w, y: h), Point(x: 0, y: h)]
        let a = degrees * Double.pi / 180
        let moved = corners.map { p in
            Point(
                x: w / 2 + cos(a) * (p.x - w / 2) - sin(a) * (p.y - h / 2) + r.pixels(dx),
                y: h / 2 + sin(a) * (p.x - w / 2) + cos(a) * (p.y - h / 2) + r.pixels(dy))
        }
        let scan = ScanPage(clean.projected(from: corners, to: moved))
        guard case .identified(let page) = PageIdentifier(templates: [template]).identify(scan) else {
            Issue.record("page not identified")
            return
        }
        let registration = try PageRegistrar().register(page.page, as: page.templatePage, codeCorners: page.codeCorners)
        #expect(registration.marksUsed == 4)
        let truth = try #require(ProjectiveTransform(from: corners, to: moved))
        for id in ["m1.403", "m5.411", "m3.409"] {
            let box = try #require(template.field(id)).boxes.last!
            let expected = truth.apply(r.pixels(box.center.offsetBy(dx: 4, dy: 4)))
            let found = registration.transform.apply(box.center)
            #expect(found.distance(to: expected) / r.pixelsPerMillimetre < 0.2, "\(id) off by \(found.distance(to: expected)) px")
        }
    }
}

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct LocalRegistrationTests {
    let template = Fixtures.rskK4

    /// The page drawn 5 px right and 3 px down of where the page-wide map says.
    func shiftedPage() -> (ScanPage, ProjectiveTransform) {
        let r = Resolution.scan300
        let clean = FormRenderer(template: template).image(page: template.page(2)!, serial: 1, resolution: r)
        var shifted = GreyImage(width: clean.width, height: clean.height, dpi: 300)
        for y in 3..<clean.height {
            for x in 5..<clean.width { shifted[x, y] = clean[x - 5, y - 3] }
        }
        let map = ProjectiveTransform(
            affineFrom: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 0, y: 1)],
            to: [Point(x: 0, y: 0), Point(x: r.pixelsPerMillimetre, y: 0), Point(x: 0, y: r.pixelsPerMillimetre)])!
        return (ScanPage(shifted), map)
    }

    @Test func aDigitRowIsPulledOntoItsPrintedBorders() throws {
        let (page, map) = shiftedPage()
        let nik = try #require(template.field("m2.403"))
        let offset = LocalRegistration().offset(for: nik.boxes, page: page, transform: map)
        #expect(abs(offset.x - 5) <= 1 && abs(offset.y - 3) <= 1, "offset \(offset)")
    }

    @Test func aSingleTickBoxIsNotPulledOntoItsLabel() throws {
        let (page, map) = shiftedPage()
        let sex = try #require(template.field("m1.405"))
        for box in sex.boxes {
            let offset = LocalRegistration().offset(for: [box], page: page, transform: map)
            #expect(abs(offset.x - 5) <= 1 && abs(offset.y - 3) <= 1, "offset \(offset)")
        }
    }

    @Test func anAlignedFieldStaysPut() throws {
        let r = Resolution.scan300
        let clean = ScanPage(FormRenderer(template: template).image(page: template.page(1)!, serial: 1, resolution: r))
        let map = ProjectiveTransform(
            affineFrom: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 0, y: 1)],
            to: [Point(x: 0, y: 0), Point(x: r.pixelsPerMillimetre, y: 0), Point(x: 0, y: r.pixelsPerMillimetre)])!
        let offset = LocalRegistration().offset(for: try #require(template.field("114")).boxes, page: clean, transform: map)
        #expect(abs(offset.x) <= 1 && abs(offset.y) <= 1)
    }
}
