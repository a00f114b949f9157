import Foundation
import FormTemplate
import Geometry
import Imaging

/// Registers an upright page against its template: finds the corner fiducials and fits the map
/// that carries template millimetres into scan pixels. The page itself is never warped; the
/// reader maps each box through ``PageRegistration/transform``.
package struct PageRegistrar: Sendable {
    /// Fits worse than this (mm) are not trusted: the page becomes an exception.
    package var maximumResidual: Double
    /// How far from its predicted place a fiducial is searched for, mm.
    package var searchRadius: Double

    /// What a printed corner square looks like in a scan, relative to its printed side: toner
    /// spread and blur make it larger, a light scan smaller, but it stays a solid square.
    enum MarkShape {
        /// Smallest side accepted, as a share of the printed side.
        static let minimumSide = 0.65
        /// Largest side accepted.
        static let maximumSide = 1.45
        /// Blobs smaller than this share of the side are not even considered (dust, speckles).
        static let searchSide = 0.6
        /// Share of the bounding box that must be ink: a square, not a ring or a scribble.
        static let minimumSolidity = 0.7
    }

    /// Page scales outside this range mean a reduced or enlarged copy, not a scan at 100 %.
    static let acceptedScale = 0.9...1.1

    /// Creates a registrar.
    package init(maximumResidual: Double = 1.2, searchRadius: Double = 12) {
        self.maximumResidual = maximumResidual
        self.searchRadius = searchRadius
    }

    /// Registers `page`. The QR code's outline (`codeCorners`, pixels, clockwise from the
    /// symbol's top-left as zbar reports them: top-left, bottom-left, bottom-right, top-right)
    /// gives the first guess of where the marks are; the code's centre also serves as an
    /// independent check of the final fit.
    package func register(_ page: ScanPage, as templatePage: TemplatePage, codeCorners: [Point]) throws(RegistrationFailure)
        -> PageRegistration
    {
        let r = Resolution(dpi: page.dpi)
        let ppm = r.pixelsPerMillimetre
        let codeCenter: Point? = codeCorners.isEmpty ? nil : Point(
            x: codeCorners.map(\.x).reduce(0, +) / Double(codeCorners.count), y: codeCorners.map(\.y).reduce(0, +) / Double(codeCorners.count))
        let code = templatePage.identityCode
        var coarse = ProjectiveTransform(
            affineFrom: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 0, y: 1)],
            to: [Point(x: 0, y: 0), Point(x: ppm, y: 0), Point(x: 0, y: ppm)])!
        if codeCorners.count == 4,
            let fit = ProjectiveTransform(
                affineFrom: [code.corners[0], code.corners[3], code.corners[2], code.corners[1]], to: codeCorners)
        {
            coarse = fit
        } else if let c = codeCenter {
            let expected = r.pixels(code.center)
            coarse = ProjectiveTransform(
                affineFrom: [Point(x: 0, y: 0), Point(x: 1, y: 0), Point(x: 0, y: 1)],
                to: [Point(x: c.x - expected.x, y: c.y - expected.y), Point(x: c.x - expected.x + ppm, y: c.y - expected.y),
                    Point(x: c.x - expected.x, y: c.y - expected.y + ppm)])!
        }
        var found: [(index: Int, template: Point, scan: Point)] = []
        for (i, mark) in templatePage.fiducials.enumerated() {
            let predicted = coarse.apply(mark.center)
            let side = mark.width * ppm
            func squares(_ window: Rect) -> [ScanPage.Blob] {
                page.blobs(in: window, minSide: Int(side * MarkShape.searchSide)).filter {
                    $0.bounds.width <= side * MarkShape.maximumSide && $0.bounds.height <= side * MarkShape.maximumSide
                        && $0.bounds.width >= side * MarkShape.minimumSide && $0.bounds.height >= side * MarkShape.minimumSide
                        && $0.solidity > MarkShape.minimumSolidity
                }
            }
            let radius = searchRadius * ppm
            let window = Rect(x: predicted.x - radius, y: predicted.y - radius, width: 2 * radius, height: 2 * radius)
            guard let near = squares(window).min(by: { $0.center.distance(to: predicted) < $1.center.distance(to: predicted) }) else {
                continue
            }
            // Measure again in a window centred on the mark, so that a mark cut by the search
            // window's edge is not measured from its visible part only.
            let around = Rect(x: near.center.x - 1.5 * side, y: near.center.y - 1.5 * side, width: 3 * side, height: 3 * side)
            let best = squares(around).min(by: { $0.center.distance(to: near.center) < $1.center.distance(to: near.center) }) ?? near
            found.append((i, mark.center, best.center))
        }
        guard found.count >= 3 else {
            throw RegistrationFailure(
                reason: .tooFewMarks, found: found.count, residual: nil,
                detail: "found \(found.count) of 4 corner marks; at least 3 are needed (is the page cut off, folded or covered?)")
        }
        // Affine least squares over all marks measures consistency; a bad mark is dropped.
        var used = found
        var residual = Self.affineResidual(used, ppm: ppm)
        if used.count == 4, residual > maximumResidual {
            let subsets = (0..<4).map { drop in used.enumerated().filter { $0.offset != drop }.map(\.element) }
            if let best = subsets.min(by: {
                Self.residualOfPrediction($0, all: used, ppm: ppm) < Self.residualOfPrediction($1, all: used, ppm: ppm)
            }) {
                used = best
                residual = Self.affineResidual(used, ppm: ppm)
            }
        }
        let transform: ProjectiveTransform?
        if used.count == 4 {
            transform = ProjectiveTransform(from: used.map(\.template), to: used.map(\.scan))
        } else {
            transform = ProjectiveTransform(affineFrom: used.map(\.template), to: used.map(\.scan))
        }
        guard let transform else {
            throw RegistrationFailure(reason: .poorFit, found: found.count, residual: nil, detail: "the corner marks are degenerate")
        }
        // Independent check: where does the fit put the QR code?
        var codeError = 0.0
        if let c = codeCenter {
            codeError = transform.apply(templatePage.identityCode.center).distance(to: c) / ppm
        }
        let worst = max(residual, codeError)
        guard worst <= maximumResidual * 2, residual <= maximumResidual else {
            throw RegistrationFailure(
                reason: .poorFit, found: found.count, residual: worst,
                detail: "the corner marks do not agree (residual \(Self.format(worst)) mm, limit \(Self.format(maximumResidual)) mm); check the page for damage or a wrong template version")
        }
        let scale = transform.apply(Point(x: 100, y: 0)).distance(to: transform.apply(Point(x: 0, y: 0))) / (100 * ppm)
        guard Self.acceptedScale.contains(scale) else {
            throw RegistrationFailure(
                reason: .poorFit, found: found.count, residual: worst,
                detail: "the page is scaled by \(Self.format(scale * 100)) % (expected 90–110 %); rescan at 100 %")
        }
        let missing = Set(0..<templatePage.fiducials.count).subtracting(used.map(\.index)).sorted()
        return PageRegistration(transform: transform, residual: worst, marksUsed: used.count, missingMarks: missing)
    }

    private static func affineResidual(_ pts: [(index: Int, template: Point, scan: Point)], ppm: Double) -> Double {
        guard pts.count > 3, let t = ProjectiveTransform(affineFrom: pts.map(\.template), to: pts.map(\.scan)) else { return 0 }
        let sum = pts.reduce(0.0) { $0 + pow2(t.apply($1.template).distance(to: $1.scan)) }
        return (sum / Double(pts.count)).squareRoot() / ppm
    }

    private static func residualOfPrediction(
        _ subset: [(index: Int, template: Point, scan: Point)], all: [(index: Int, template: Point, scan: Point)], ppm: Double
    ) -> Double {
        guard let t = ProjectiveTransform(affineFrom: subset.map(\.template), to: subset.map(\.scan)) else { return .infinity }
        return all.map { t.apply($0.template).distance(to: $0.scan) }.sorted()[all.count - 2] / ppm
    }

    static func format(_ v: Double) -> String { String(format: "%.1f", v) }
}

private func pow2(_ x: Double) -> Double { x * x }

/// A page mapped onto its template.
package struct PageRegistration: Sendable {
    /// Template millimetres → scan pixels.
    package var transform: ProjectiveTransform
    /// Fit residual in millimetres (RMS over the marks, or the QR cross-check if larger).
    package var residual: Double
    /// Corner marks used in the fit (3 or 4).
    package var marksUsed: Int
    /// Indices of marks not found or dropped as damaged.
    package var missingMarks: [Int]
}

/// Why a page could not be registered.
package struct RegistrationFailure: Error, Sendable, CustomStringConvertible {
    /// The category.
    package enum Reason: String, Sendable {
        /// Fewer than three corner marks were found.
        case tooFewMarks = "too-few-marks"
        /// The marks were found but do not agree.
        case poorFit = "poor-fit"
    }

    /// The category.
    package var reason: Reason
    /// How many marks were found.
    package var found: Int
    /// The residual, when a fit was made.
    package var residual: Double?
    /// What the user reads.
    package var detail: String

    /// The detail.
    package var description: String { detail }
}
