import FormTemplate
import Geometry
import Imaging
import QRCode
import Raster

/// Identifies a scanned page by its QR code: which form, version, page and document it is, and
/// which way up it was fed. Pages are never identified by layout matching.
package struct PageIdentifier: Sendable {
    /// The forms this reader knows, by id and version.
    package let templates: [FormTemplate]

    /// Below this share of ink pixels a page without a code is reported as blank.
    package static let blankInkFraction = 0.004

    /// Creates an identifier for `templates`.
    package init(templates: [FormTemplate]) {
        self.templates = templates
    }

    /// What identification concluded.
    package enum Outcome {
        /// A page of a known form, turned upright.
        case identified(IdentifiedPage)
        /// No code and almost no ink: a blank sheet.
        case blank(inkFraction: Double)
        /// A readable pindai code for a form or version with no template here.
        case unknownForm(PageIdentity)
        /// A QR code that is not a pindai page code.
        case foreignCode(String)
        /// No readable code although the page has content.
        case unidentified(inkFraction: Double)
    }

    /// Identifies `page`.
    package func identify(_ page: ScanPage) -> Outcome {
        let codeRect = templates.first?.pages.first?.identityCode ?? Rect(x: 16, y: 9, width: 18, height: 18)
        let resolution = Resolution(dpi: page.dpi)
        let landscape = page.width > page.height
        let turns = landscape ? [1, 3] : [0, 2]
        var foreign: String?
        for t in turns {
            let uprightSize = t % 2 == 0 ? (page.width, page.height) : (page.height, page.width)
            let region = resolution.pixels(codeRect.insetBy(-14))
            let raw = Self.clipped(
                Self.mapToRaw(region, turns: t, uprightWidth: uprightSize.0, uprightHeight: uprightSize.1), width: page.width,
                height: page.height)
            let codes = QRDecoder.decode(page.grey(raw))
            for code in codes {
                guard let identity = PageIdentity(payload: code.text) else {
                    foreign = code.text
                    continue
                }
                guard let template = templates.first(where: { $0.id == identity.form && $0.version == identity.version }),
                    template.page(identity.page) != nil
                else { return .unknownForm(identity) }
                let corners = code.points.map {
                    Self.mapToUpright(
                        $0.offsetBy(dx: raw.minX.rounded(), dy: raw.minY.rounded()), turns: t, rawWidth: page.width,
                        rawHeight: page.height)
                }
                return .identified(
                    Self.measured(
                        IdentifiedPage(identity: identity, template: template, page: page.rotated(quarterTurns: t), quarterTurns: t, codeCorners: corners)))
            }
        }
        let ink = page.inkFraction()
        if ink < Self.blankInkFraction { return .blank(inkFraction: ink) }
        if let foreign { return .foreignCode(foreign) }
        // Last resort: the whole page, in case the code sits far from where the template puts it.
        for code in QRDecoder.decode(page.grey(Rect(x: 0, y: 0, width: Double(page.width), height: Double(page.height)))) {
            if let identity = PageIdentity(payload: code.text) {
                if let template = templates.first(where: { $0.id == identity.form && $0.version == identity.version }),
                    template.page(identity.page) != nil
                {
                    // Orientation from where the code lies: bottom half means upside down.
                    let cy = code.points.map(\.y).reduce(0, +) / Double(max(1, code.points.count))
                    let cx = code.points.map(\.x).reduce(0, +) / Double(max(1, code.points.count))
                    let t: Int
                    if landscape { t = cx > Double(page.width) / 2 ? 3 : 1 } else { t = cy > Double(page.height) / 2 ? 2 : 0 }
                    let corners = code.points.map { Self.mapToUpright($0, turns: t, rawWidth: page.width, rawHeight: page.height) }
                    return .identified(
                        Self.measured(
                            IdentifiedPage(identity: identity, template: template, page: page.rotated(quarterTurns: t), quarterTurns: t, codeCorners: corners)))
                }
                return .unknownForm(identity)
            }
            return .foreignCode(code.text)
        }
        return .unidentified(inkFraction: ink)
    }

    /// How far the resolution a file declares may be from the one the code's printed size shows
    /// before the measured one is used: more than a scanner's own scale error (±2 %), less than
    /// the nearest wrong standard resolution (200 for 240, 300 for 400).
    package static let resolutionTolerance = 0.06

    /// The page with the resolution its QR code shows, when the file's own differs by more than
    /// ``resolutionTolerance`` (a file that lies, or says nothing and was not A4-wide): the code
    /// is printed at a known size, so its side in pixels is the scan's true scale.
    static func measured(_ identified: IdentifiedPage) -> IdentifiedPage {
        let c = identified.codeCorners
        guard c.count == 4 else { return identified }
        let side = (0..<4).map { c[$0].distance(to: c[($0 + 1) % 4]) }.reduce(0, +) / 4
        let measured = side / identified.templatePage.identityCode.width * 25.4
        let declared = identified.page.dpi
        guard measured > 0, abs(measured / declared - 1) > resolutionTolerance else { return identified }
        var out = identified
        out.page = identified.page.withResolution(measured)
        out.declaredDPI = declared
        return out
    }

    /// The rectangle cut to the page, in whole pixels (the crop's origin must be exact, because
    /// code positions are measured from it).
    static func clipped(_ r: Rect, width: Int, height: Int) -> Rect {
        let x0 = max(0, min(Double(width), r.minX.rounded()))
        let y0 = max(0, min(Double(height), r.minY.rounded()))
        let x1 = max(x0, min(Double(width), r.maxX.rounded()))
        let y1 = max(y0, min(Double(height), r.maxY.rounded()))
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Where an upright-page rectangle lies in the raw scan that needs `turns` clockwise quarter
    /// turns to become upright.
    static func mapToRaw(_ rect: Rect, turns: Int, uprightWidth: Int, uprightHeight: Int) -> Rect {
        let w = Double(uprightWidth)
        let h = Double(uprightHeight)
        let pts = rect.corners.map { p -> Point in
            switch turns {
            case 1: Point(x: p.y, y: w - p.x)
            case 2: Point(x: w - p.x, y: h - p.y)
            case 3: Point(x: h - p.y, y: p.x)
            default: p
            }
        }
        let xs = pts.map(\.x)
        let ys = pts.map(\.y)
        return Rect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }

    /// Where a raw-scan point lands after `turns` clockwise quarter turns.
    static func mapToUpright(_ p: Point, turns: Int, rawWidth: Int, rawHeight: Int) -> Point {
        let w = Double(rawWidth)
        let h = Double(rawHeight)
        switch turns {
        case 1: return Point(x: h - p.y, y: p.x)
        case 2: return Point(x: w - p.x, y: h - p.y)
        case 3: return Point(x: p.y, y: w - p.x)
        default: return p
        }
    }
}

/// A page whose form, page number and document are known, turned upright.
package struct IdentifiedPage {
    /// What the QR code says.
    package var identity: PageIdentity
    /// The form's template.
    package var template: FormTemplate
    /// The page, upright.
    package var page: ScanPage
    /// Clockwise quarter turns applied to make it upright (2 = fed upside down).
    package var quarterTurns: Int
    /// The QR code's outline in upright page pixels.
    package var codeCorners: [Point]
    /// The resolution the file declared, when the code's size showed another one (which the
    /// page now carries).
    package var declaredDPI: Double?

    /// The template page it is.
    package var templatePage: TemplatePage { template.page(identity.page)! }

    /// Centre of the QR code in upright page pixels.
    package var codeCenter: Point {
        Point(
            x: codeCorners.map(\.x).reduce(0, +) / Double(max(1, codeCorners.count)),
            y: codeCorners.map(\.y).reduce(0, +) / Double(max(1, codeCorners.count)))
    }
}
