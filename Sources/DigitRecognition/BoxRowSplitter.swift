import Raster

/// Cuts an image of a row of printed digit boxes (as cropped from a scan, borders included)
/// into the boxes' interiors, so crops made by anyone can be read like the ingest reader does.
package enum BoxRowSplitter {
    /// The interiors of `count` boxes in `image`, left to right.
    ///
    /// The crop may come from any program: any resolution, grey or 1-bit, with or without paper
    /// around the box, a little rotated. So the crop is first levelled on its printed lines
    /// (Leptonica's skew finder); the row's top and bottom borders are the rows darkest across;
    /// between them the vertical borders are the columns dark almost all the way down, evenly
    /// spaced. When no borders can be found the crop is taken as cut inside them and split evenly.
    ///
    /// With `frame` (digits) each interior is re-cut around its ink as a box interior frames a
    /// digit; without (tick boxes, where the share of ink is the reading) it is left as found.
    package static func interiors(of image: GreyImage, count: Int, frame: Bool = true) -> [GreyImage] {
        precondition(count >= 1)
        // Pencil and dark print first; a border printed light needs a threshold nearer the paper.
        for threshold in inkThresholds(image) {
            if let found = bordered(image, count: count, threshold: threshold) {
                return frame ? found.map { framedAroundInk($0, threshold: threshold) } : found
            }
        }
        if !frame { return [darkBoxInterior(image, threshold: inkThresholds(image)[0])] }
        // No border: the crop was cut inside it, at a size nobody can know. Split it evenly and
        // frame each digit as a box interior frames it (digit about 3/4 of the interior's height).
        let threshold = inkThresholds(image)[0]
        let w = Double(image.width) / Double(count)
        let trim = count > 1 ? 0.04 : 0
        return (0..<count).map { i in
            let cell = image.cropped(x: Int(Double(i) * w + w * trim), y: 0, width: Int(w * (1 - 2 * trim)), height: image.height)
            return framedAroundInk(cell, threshold: threshold)
        }
    }

    /// No border line found in a tick-box crop: the box is filled in (cancelled) or its border
    /// merged with the mark. The box is then the bounding box of what is dark, taken 15 % inside
    /// (the reader's 0.7 mm of a 4 mm box); a crop with no such box is returned as it is.
    static func darkBoxInterior(_ image: GreyImage, threshold: UInt8) -> GreyImage {
        guard let b = darkBounds(image, threshold: threshold), b.width * b.height * 4 >= image.width * image.height else { return image }
        let dx = Int((Double(b.width) * 0.15).rounded())
        let dy = Int((Double(b.height) * 0.15).rounded())
        return image.cropped(x: b.x + dx, y: b.y + dy, width: b.width - 2 * dx, height: b.height - 2 * dy)
    }

    /// The bounding box of the pixels darker than `threshold`, or `nil` when there are none.
    static func darkBounds(_ image: GreyImage, threshold: UInt8) -> (x: Int, y: Int, width: Int, height: Int)? {
        var minX = image.width, minY = image.height, maxX = -1, maxY = -1
        for y in 0..<image.height {
            for x in 0..<image.width where image[x, y] < threshold {
                minX = min(minX, x)
                maxX = max(maxX, x)
                minY = min(minY, y)
                maxY = max(maxY, y)
            }
        }
        return maxX < 0 ? nil : (minX, minY, maxX - minX + 1, maxY - minY + 1)
    }

    /// Height of a written digit as a share of the box interior it is read in (3.6 of 4.8 mm).
    static let digitShareOfInterior = 0.75

    /// The cell re-cut around its ink so that the digit fills the share of the height a box
    /// interior gives it (interior proportions 3.8 × 4.8 mm), padded with the cell's paper.
    static func framedAroundInk(_ cell: GreyImage, threshold: UInt8) -> GreyImage {
        guard let b = darkBounds(cell, threshold: threshold), b.height > 3 else { return cell }
        let (minX, minY, maxX, maxY) = (b.x, b.y, b.x + b.width - 1, b.y + b.height - 1)
        let height = max(Double(maxY - minY + 1) / digitShareOfInterior, Double(maxX - minX + 1) / 0.9 * 4.8 / 3.8)
        let width = height * 3.8 / 4.8
        let cx = Double(minX + maxX + 1) / 2
        let cy = Double(minY + maxY + 1) / 2
        let paper = cell.pixels.sorted()[cell.pixels.count * 9 / 10]
        var out = GreyImage(width: max(4, Int(width.rounded())), height: max(4, Int(height.rounded())), fill: paper, dpi: cell.dpi)
        let x0 = Int((cx - width / 2).rounded())
        let y0 = Int((cy - height / 2).rounded())
        for y in 0..<out.height {
            let sy = y0 + y
            guard sy >= 0, sy < cell.height else { continue }
            for x in 0..<out.width {
                let sx = x0 + x
                if sx >= 0, sx < cell.width { out[x, y] = cell[sx, sy] }
            }
        }
        return out
    }

    /// The interiors found between printed borders darker than `threshold`, if they are there.
    static func bordered(_ image: GreyImage, count: Int, threshold: UInt8) -> [GreyImage]? {
        let image = image.deskewed(threshold: threshold).image
        let rows = darkProfile(image, vertical: false, threshold: threshold)
        let strongest = rows.max() ?? 0
        // A horizontal border spans the whole row of boxes, so it is the darkest row there is.
        let across = runs(rows, threshold: max(0.3, strongest * 0.6))
        if let top = across.first, let bottom = across.last, bottom.lowerBound - top.upperBound > image.height / 4 {
            let band = image.cropped(x: 0, y: top.upperBound + 1, width: image.width, height: bottom.lowerBound - top.upperBound - 1)
            let columns = darkProfile(band, vertical: true, threshold: threshold)
            if let cuts = verticalCuts(columns, count: count, width: image.width) {
                let pad = max(1, Int((image.dpi > 0 ? image.dpi : 300) / 25.4 * 0.3))
                let y0 = top.upperBound + 1 + pad
                let h = bottom.lowerBound - top.upperBound - 1 - 2 * pad
                if h >= 4, !cuts.contains(where: { $0.1 - $0.0 - 2 * pad < 4 }),
                    closesBox(image, top: top, bottom: bottom, left: cuts[0].0 - 1, right: cuts[cuts.count - 1].1, reach: 1, threshold: threshold)
                {
                    return cuts.map { image.cropped(x: $0.0 + pad, y: y0, width: $0.1 - $0.0 - 2 * pad, height: h) }
                }
            }
        }
        return nil
    }

    /// Whether the outer lines found close a rectangle, as a printed box's do: the top and bottom
    /// lines run dark from the left line to the right one, and the sides from top to bottom
    /// (within `reach` of where they were found). A handwritten 0 in a crop cut inside its box
    /// has a darkest top and bottom and two sides dark most of the way down, like a box, but its
    /// top and bottom are short arcs; a bold one's arcs run almost side to side, but they curve
    /// away from the corners, where a box's lines meet.
    static func closesBox(
        _ image: GreyImage, top: ClosedRange<Int>, bottom: ClosedRange<Int>, left: Int, right: Int, reach: Int, threshold: UInt8
    ) -> Bool {
        guard right > left, bottom.lowerBound > top.upperBound else { return false }
        // Whether a pixel within `dx` columns and `dy` rows of (x, y) is dark.
        func dark(x: Int, y: Int, dx: Int, dy: Int) -> Bool {
            for cy in max(0, y - dy)...min(image.height - 1, y + dy) {
                for cx in max(0, x - dx)...min(image.width - 1, x + dx) where image[cx, cy] < threshold { return true }
            }
            return false
        }
        func darkNear(x: Int, y: Int, alongX: Bool) -> Bool {
            alongX ? dark(x: x, y: y, dx: 0, dy: reach) : dark(x: x, y: y, dx: reach, dy: 0)
        }
        func covered(_ count: Int, _ dark: (Int) -> Bool) -> Bool {
            (0..<count).filter(dark).count * 10 >= count * 9
        }
        let width = right - left + 1
        let height = bottom.upperBound - top.lowerBound + 1
        let topRow = (top.lowerBound + top.upperBound) / 2
        let bottomRow = (bottom.lowerBound + bottom.upperBound) / 2
        // The outer corners: where the sides' outer edges (found on the middle row) meet the
        // outer edges of the top and bottom lines.
        let middle = (topRow + bottomRow) / 2
        func outerEdge(from x: Int, step: Int) -> Int {
            var x = x
            while x + step >= 0, x + step < image.width, image[x + step, middle] < threshold { x += step }
            return x
        }
        let cornerReach = reach + Int((0.07 * Double(middle - top.lowerBound)).rounded(.up))
        func darkCorner(x: Int, y: Int) -> Bool { dark(x: x, y: y, dx: cornerReach, dy: cornerReach) }
        let (outerLeft, outerRight) = (outerEdge(from: left, step: -1), outerEdge(from: right, step: 1))
        guard darkCorner(x: outerLeft, y: top.lowerBound), darkCorner(x: outerRight, y: top.lowerBound),
            darkCorner(x: outerLeft, y: bottom.upperBound), darkCorner(x: outerRight, y: bottom.upperBound)
        else { return false }
        return covered(width) { darkNear(x: left + $0, y: topRow, alongX: true) }
            && covered(width) { darkNear(x: left + $0, y: bottomRow, alongX: true) }
            && covered(height) { darkNear(x: left, y: top.lowerBound + $0, alongX: false) }
            && covered(height) { darkNear(x: right, y: top.lowerBound + $0, alongX: false) }
    }

    /// Between which columns each box's interior lies, from the share of dark pixels per column
    /// of the band between the horizontal borders; `nil` when the borders are not there.
    static func verticalCuts(_ columns: [Double], count: Int, width: Int) -> [(Int, Int)]? {
        // Border lines are thin, dark almost top to bottom, and evenly spaced; a handwritten
        // stroke can be as dark, so take the outermost lines and the ones nearest even spacing.
        let thin = runs(columns, threshold: 0.75).filter { $0.count <= max(3, width / (count * 4)) }
        guard let first = thin.first, let last = thin.last, last.lowerBound > first.upperBound else { return nil }
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
        return (0..<count).map { (lines[$0].upperBound + 1, lines[$0 + 1].lowerBound) }
    }

    /// Greys that separate ink from paper in this crop, tried in turn: halfway between its paper
    /// (90th percentile) and its darkest ink (1st percentile), then a fifth of the way.
    static func inkThresholds(_ image: GreyImage) -> [UInt8] {
        guard !image.pixels.isEmpty else { return [128] }
        let sorted = image.pixels.sorted()
        let paper = Int(sorted[min(sorted.count - 1, sorted.count * 9 / 10)])
        let ink = Int(sorted[sorted.count / 100])
        guard paper - ink >= 40 else { return [128] }
        return [UInt8((paper + ink) / 2), UInt8(paper - max(12, (paper - ink) / 5))]
    }

    /// Share of pixels darker than `threshold` per column (vertical) or per row.
    static func darkProfile(_ image: GreyImage, vertical: Bool, threshold: UInt8 = 128) -> [Double] {
        let n = vertical ? image.width : image.height
        let m = vertical ? image.height : image.width
        return (0..<n).map { i in
            var dark = 0
            for j in 0..<m where (vertical ? image[i, j] : image[j, i]) < threshold { dark += 1 }
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
}
