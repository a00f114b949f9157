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
