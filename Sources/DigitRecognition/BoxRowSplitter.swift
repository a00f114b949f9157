import Raster

/// Cuts an image of a row of printed digit boxes (as cropped from a scan, borders included)
/// into the boxes' interiors, so crops made by anyone can be read like the ingest reader does.
public enum BoxRowSplitter {
    /// The interiors of `count` boxes in `image`, left to right.
    ///
    /// Printed borders are found as the darkest columns and rows; when they cannot be found the
    /// row is split evenly and each part inset by the share the 0.6 mm interior inset takes of a
    /// 5 × 6 mm box.
    public static func interiors(of image: GreyImage, count: Int) -> [GreyImage] {
        precondition(count >= 1)
        let columns = darkProfile(image, vertical: true)
        let rows = darkProfile(image, vertical: false)
        let top = firstRun(rows, from: 0, step: 1, within: image.height / 3)
        let bottom = firstRun(rows, from: image.height - 1, step: -1, within: image.height / 3)
        // Border lines are thin, dark almost top to bottom, and evenly spaced; a handwritten
        // stroke can be as dark, so take the outermost lines and the ones nearest even spacing.
        let thin = runs(columns, threshold: 0.75).filter { $0.count <= max(3, image.width / (count * 4)) }
        var cuts: [(Int, Int)] = []
        if let first = thin.first, let last = thin.last, last.lowerBound > first.upperBound {
            let pitch = Double(last.lowerBound - first.lowerBound) / Double(count)
            var lines: [ClosedRange<Int>] = []
            for k in 0...count {
                let expected = Double(first.lowerBound) + pitch * Double(k)
                if let nearest = thin.min(by: { abs(Double($0.lowerBound) - expected) < abs(Double($1.lowerBound) - expected) }),
                    abs(Double(nearest.lowerBound) - expected) < pitch * 0.2
                {
                    lines.append(nearest)
                } else {
                    let x = Int(expected.rounded())
                    lines.append(x...x)
                }
            }
            cuts = (0..<count).map { (lines[$0].upperBound + 1, lines[$0 + 1].lowerBound) }
        }
        let y0 = (top.map { $0 + 1 } ?? Int(Double(image.height) * 0.1))
        let y1 = (bottom ?? Int(Double(image.height) * 0.9))
        if cuts.isEmpty || cuts.contains(where: { $0.1 - $0.0 < 4 }) || y1 - y0 < 4 {
            let w = Double(image.width) / Double(count)
            return (0..<count).map { i in
                let x = Double(i) * w
                return image.cropped(
                    x: Int(x + w * 0.12), y: Int(Double(image.height) * 0.1), width: Int(w * 0.76), height: Int(Double(image.height) * 0.8))
            }
        }
        // Inset a little past each border line, as the reader's 0.6 mm inset does.
        let pad = max(1, Int((image.dpi > 0 ? image.dpi : 300) / 25.4 * 0.3))
        return cuts.map { image.cropped(x: $0.0 + pad, y: y0 + pad, width: $0.1 - $0.0 - 2 * pad, height: y1 - y0 - 2 * pad) }
    }

    /// Share of dark pixels per column (vertical) or per row.
    static func darkProfile(_ image: GreyImage, vertical: Bool) -> [Double] {
        let n = vertical ? image.width : image.height
        let m = vertical ? image.height : image.width
        return (0..<n).map { i in
            var dark = 0
            for j in 0..<m where (vertical ? image[i, j] : image[j, i]) < 128 { dark += 1 }
            return Double(dark) / Double(max(1, m))
        }
    }

    /// Consecutive indices whose share is at least `threshold`.
    static func runs(_ profile: [Double], threshold: Double) -> [ClosedRange<Int>] {
        var out: [ClosedRange<Int>] = []
        var start: Int?
        for (i, v) in profile.enumerated() {
            if v >= threshold {
                if start == nil { start = i }
            } else if let s = start {
                out.append(s...(i - 1))
                start = nil
            }
        }
        if let s = start { out.append(s...(profile.count - 1)) }
        return out
    }

    /// The last index of the first strongly dark run met walking from `from`.
    static func firstRun(_ profile: [Double], from: Int, step: Int, within: Int) -> Int? {
        var i = from
        var inRun = false
        var last: Int?
        for _ in 0..<max(0, within) {
            guard i >= 0, i < profile.count else { break }
            if profile[i] >= 0.5 {
                inRun = true
                last = i
            } else if inRun {
                return last
            }
            i += step
        }
        return last
    }
}
