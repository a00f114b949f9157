import Geometry
import Imaging

/// Re-registers one field locally: shifts its boxes until their printed outlines sit on the
/// page's ink. The page-wide fit cannot follow paper that stretched unevenly in the feeder; a
/// field's own borders can. SDAPS does the same for every checkbox.
package struct LocalRegistration: Sendable {
    /// How far a field may move from where the page-wide fit put it, mm.
    package var searchRadius: Double
    /// How much better than "no shift" the best shift must score to be used.
    package var minimumGain: Double

    /// Creates a local registration.
    package init(searchRadius: Double = 0.8, minimumGain: Double = 1.15) {
        self.searchRadius = searchRadius
        self.minimumGain = minimumGain
    }

    /// The pixel offset that best lines `boxes` (template mm) up with the printed borders on
    /// `page`, or zero when no shift clearly improves on the page-wide fit.
    package func offset(for boxes: [Rect], page: ScanPage, transform: ProjectiveTransform) -> Point {
        guard !boxes.isEmpty else { return Point(x: 0, y: 0) }
        let ppm = page.dpi / 25.4
        let radius = Int((searchRadius * ppm).rounded())
        let mapped = boxes.map { transform.boundingBox(of: $0) }
        // Vertical borders (x positions) and horizontal borders (y positions), shared edges once.
        var xs: [Double] = []
        for r in mapped {
            for x in [r.minX, r.maxX] where !xs.contains(where: { abs($0 - x) < 2 }) { xs.append(x) }
        }
        let top = mapped.map(\.minY).reduce(0, +) / Double(mapped.count)
        let bottom = mapped.map(\.maxY).reduce(0, +) / Double(mapped.count)
        let left = mapped.map(\.minX).min()!
        let right = mapped.map(\.maxX).max()!
        let inset = (bottom - top) * 0.2
        // Every strip tried lies in one band each way, counted once per column or row: a
        // strip's ink is then a sum of a few counts, not a cut of the page per strip and shift.
        let reach = Double(radius + 2)
        let columns = page.inkProfile(
            of: Rect(x: left - reach, y: top + inset, width: right - left + 2 * reach, height: bottom - top - 2 * inset), along: .columns)
        // Both outer borders must be on ink (a label or a tick beside one border cannot pull
        // the box onto it); inner borders of a digit row add to the evidence.
        func scoreX(_ dx: Int) -> Double {
            let inks = xs.map { x in
                columns?.fraction(in: Rect(x: x + Double(dx) - 1, y: top + inset, width: 3, height: bottom - top - 2 * inset)) ?? 0
            }
            return min(inks.first!, inks.last!) * 2 + inks.dropFirst().dropLast().reduce(0, +)
        }
        let hInset = min(right - left, (bottom - top)) * 0.2
        let rows = page.inkProfile(
            of: Rect(x: left + hInset, y: top - reach, width: right - left - 2 * hInset, height: bottom - top + 2 * reach), along: .rows)
        func scoreY(_ dy: Int) -> Double {
            let inks = [top, bottom].map { y in
                rows?.fraction(in: Rect(x: left + hInset, y: y + Double(dy) - 1, width: right - left - 2 * hInset, height: 3)) ?? 0
            }
            return min(inks[0], inks[1])
        }
        return Point(x: Double(best(radius, scoreX)), y: Double(best(radius, scoreY)))
    }

    private func best(_ radius: Int, _ score: (Int) -> Double) -> Int {
        let base = score(0)
        var bestShift = 0
        var bestScore = base
        for d in -radius...radius where d != 0 {
            let s = score(d)
            if s > bestScore || (s == bestScore && abs(d) < abs(bestShift)) {
                bestScore = s
                bestShift = d
            }
        }
        return bestScore > base * minimumGain + 0.01 ? bestShift : 0
    }
}
