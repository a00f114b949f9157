/// A plane-to-plane projective map (homography), used to carry template rectangles into scan
/// coordinates instead of warping the scanned page, and by the scanner model to bend pages.
package struct ProjectiveTransform: Hashable, Sendable {
    /// Row-major 3×3 matrix with `h[8] == 1`.
    package private(set) var coefficients: [Double]

    /// The identity map.
    package static let identity = ProjectiveTransform(unchecked: [1, 0, 0, 0, 1, 0, 0, 0, 1])

    private init(unchecked coefficients: [Double]) {
        self.coefficients = coefficients
    }

    fileprivate init(coefficients: [Double]) {
        self.coefficients = coefficients.map { $0 / coefficients[8] }
    }

    /// The map sending each `source[i]` to `destination[i]`; exactly four point pairs, no three
    /// collinear. Returns `nil` when the points are degenerate.
    package init?(from source: [Point], to destination: [Point]) {
        guard source.count == 4, destination.count == 4 else { return nil }
        // Solve the 8×8 linear system for h0…h7.
        var a = [[Double]](repeating: [Double](repeating: 0, count: 9), count: 8)
        for i in 0..<4 {
            let (x, y) = (source[i].x, source[i].y)
            let (u, v) = (destination[i].x, destination[i].y)
            a[2 * i] = [x, y, 1, 0, 0, 0, -u * x, -u * y, u]
            a[2 * i + 1] = [0, 0, 0, x, y, 1, -v * x, -v * y, v]
        }
        guard let h = Self.solve(&a) else { return nil }
        self.coefficients = h + [1]
    }

    /// Least-squares fit of an affine map (rotation, scale, shear, shift) from three or more
    /// point pairs, expressed as a projective transform. Used when a fiducial is missing.
    package init?(affineFrom source: [Point], to destination: [Point]) {
        guard source.count == destination.count, source.count >= 3 else { return nil }
        // Normal equations for u = a x + b y + c and v = d x + e y + f.
        var m = [[Double]](repeating: [0, 0, 0], count: 3)
        var bu = [0.0, 0.0, 0.0]
        var bv = [0.0, 0.0, 0.0]
        for (s, d) in zip(source, destination) {
            let row = [s.x, s.y, 1]
            for r in 0..<3 {
                for c in 0..<3 { m[r][c] += row[r] * row[c] }
                bu[r] += row[r] * d.x
                bv[r] += row[r] * d.y
            }
        }
        var au = m.enumerated().map { $0.element + [bu[$0.offset]] }
        var av = m.enumerated().map { $0.element + [bv[$0.offset]] }
        guard let u = Self.solve(&au), let v = Self.solve(&av) else { return nil }
        self.coefficients = [u[0], u[1], u[2], v[0], v[1], v[2], 0, 0, 1]
    }

    /// Where `point` lands.
    package func apply(_ point: Point) -> Point {
        let h = coefficients
        let w = h[6] * point.x + h[7] * point.y + h[8]
        return Point(
            x: (h[0] * point.x + h[1] * point.y + h[2]) / w,
            y: (h[3] * point.x + h[4] * point.y + h[5]) / w)
    }

    /// The four mapped corners of `rect` (clockwise from top-left).
    package func apply(_ rect: Rect) -> [Point] { rect.corners.map(apply) }

    /// The axis-aligned bounding box of the mapped rectangle.
    package func boundingBox(of rect: Rect) -> Rect {
        let pts = apply(rect)
        let xs = pts.map(\.x)
        let ys = pts.map(\.y)
        let x0 = xs.min()!
        let y0 = ys.min()!
        return Rect(x: x0, y: y0, width: xs.max()! - x0, height: ys.max()! - y0)
    }

    /// The inverse map, or `nil` when singular.
    package var inverted: ProjectiveTransform? {
        let m = coefficients
        let det =
            m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6])
            + m[2] * (m[3] * m[7] - m[4] * m[6])
        guard abs(det) > 1e-12 else { return nil }
        var inv: [Double] = [
            m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3],
        ]
        let scale = inv[8]
        guard abs(scale) > 1e-12 else { return nil }
        inv = inv.map { $0 / scale }
        return ProjectiveTransform(unchecked: inv)
    }

    /// Gaussian elimination with partial pivoting on an augmented matrix.
    private static func solve(_ a: inout [[Double]]) -> [Double]? {
        let n = a.count
        for col in 0..<n {
            var pivot = col
            for row in col + 1..<n where abs(a[row][col]) > abs(a[pivot][col]) { pivot = row }
            guard abs(a[pivot][col]) > 1e-12 else { return nil }
            a.swapAt(col, pivot)
            for row in 0..<n where row != col {
                let f = a[row][col] / a[col][col]
                if f == 0 { continue }
                for k in col...n { a[row][k] -= f * a[col][k] }
            }
        }
        return (0..<n).map { a[$0][n] / a[$0][$0] }
    }
}

extension ProjectiveTransform {
    /// This map followed by a shift of `dx`, `dy` in the destination plane.
    package func translated(dx: Double, dy: Double) -> ProjectiveTransform {
        let h = coefficients
        // [1 0 dx; 0 1 dy; 0 0 1] · H
        let out = [
            h[0] + dx * h[6], h[1] + dx * h[7], h[2] + dx * h[8],
            h[3] + dy * h[6], h[4] + dy * h[7], h[5] + dy * h[8],
            h[6], h[7], h[8],
        ]
        return ProjectiveTransform(coefficients: out)
    }
}
