import Geometry

/// Ink pixels of a band of a page, counted per column or per row (``ScanPage/inkProfile(of:along:)``).
package struct InkProfile: Sendable {
    /// Which way the band is counted.
    package enum Axis: Sendable {
        /// One count per pixel column, over the band's rows.
        case columns
        /// One count per pixel row, over the band's columns.
        case rows
    }

    /// The counting direction.
    package let axis: Axis
    /// The first column (or row) counted.
    package let start: Int
    /// The rows (or columns) each count covers.
    package let across: Range<Int>
    /// Ink pixels per column (or row), from `start` on.
    package let counts: [Int]
    /// The page's width (or height), where strips are clipped as ``ScanPage`` clips them.
    package let pageLength: Int

    /// The ink fraction of a strip across the band, as ``ScanPage/inkFraction(in:)`` gives it for
    /// the same rectangle (its extent across the band must be the band's own, and it must lie
    /// within the band along it): the strip is rounded and clipped to the page the same way, and
    /// 0 when nothing of it is on the page.
    package func fraction(in strip: Rect) -> Double {
        let (lo, hi) = axis == .columns ? (strip.minX, strip.maxX) : (strip.minY, strip.maxY)
        let a = max(0, Int(lo.rounded()))
        let b = min(pageLength, Int(hi.rounded()))
        guard b > a, !across.isEmpty else { return 0 }
        var ink = 0
        for i in max(a, start)..<max(max(a, start), min(b, start + counts.count)) { ink += counts[i - start] }
        return Double(ink) / Double((b - a) * across.count)
    }
}
