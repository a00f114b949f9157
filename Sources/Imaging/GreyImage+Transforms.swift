import CLeptonica
import Foundation
import Geometry
import Raster

extension GreyImage {
    /// The image re-projected so that `source` points land on `destination` points (four each,
    /// pixels); uncovered area becomes white paper. Used by the scanner model, never by the reader
    /// (the reader maps template rectangles instead of warping pages).
    package func projected(from source: [Point], to destination: [Point]) -> GreyImage {
        precondition(source.count == 4 && destination.count == 4)
        let pix = Pix(self)
        let ptas = ptaCreate(4)
        let ptad = ptaCreate(4)
        defer {
            var s = ptas
            var d = ptad
            ptaDestroy(&s)
            ptaDestroy(&d)
        }
        for p in source { ptaAddPt(ptas, Float(p.x), Float(p.y)) }
        for p in destination { ptaAddPt(ptad, Float(p.x), Float(p.y)) }
        // Leptonica takes the destination points first.
        guard let out = pixProjectivePtaGray(pix.pointer, ptad, ptas, 255), let image = Pix(out).greyImage() else {
            return self
        }
        var result = image
        result.dpi = dpi
        return result
    }

    /// A box blur of half-width `radius` pixels (optical softness of a scanner).
    package func blurred(radius: Int) -> GreyImage {
        guard radius > 0 else { return self }
        let pix = Pix(self)
        guard let out = pixBlockconvGray(pix.pointer, nil, Int32(radius), Int32(radius)), let image = Pix(out).greyImage() else {
            return self
        }
        var result = image
        result.dpi = dpi
        return result
    }

    /// The image resampled by `factor` (area-averaging when shrinking).
    package func scaled(by factor: Double) -> GreyImage {
        resampled(by: factor, with: factor < 1 ? pixScaleAreaMap : pixScale)
    }

    /// The image scaled by Leptonica's general `pixScale` (area mapping and unsharp masking
    /// below 0.7): the very scaling Tesseract applies to a text line before its network, so a
    /// line scaled here first reaches the network with the same pixels.
    package func scaledAsTesseractDoes(by factor: Double) -> GreyImage {
        resampled(by: factor, with: pixScale)
    }

    private func resampled(
        by factor: Double, with scale: (UnsafeMutablePointer<PIX>?, Float, Float) -> UnsafeMutablePointer<PIX>?
    ) -> GreyImage {
        let pix = Pix(self)
        guard let out = scale(pix.pointer, Float(factor), Float(factor)), let image = Pix(out).greyImage() else { return self }
        var result = image
        result.dpi = dpi * factor
        return result
    }
}

extension GreyImage {
    /// The image with `pixels` of white added on every side (a scanner bed larger than the sheet).
    package func padded(by pixels: Int) -> GreyImage {
        guard pixels > 0 else { return self }
        let pix = Pix(self)
        guard let out = pixAddBorder(pix.pointer, Int32(pixels), 255), var image = Pix(out).greyImage() else { return self }
        image.dpi = dpi
        return image
    }
}

extension GreyImage {
    /// The image turned so that its long straight lines (printed box borders) run level, and the
    /// angle found, in degrees (the image itself when the lines are level within 0.3°).
    ///
    /// The angle is the one, in quarter-degree steps up to `maxDegrees`, at which pixels darker
    /// than `threshold` pile up most in one row when projected along it: a border line is then
    /// one row. (Leptonica's text-line skew finder needs many lines and declined on a single
    /// box.) The turn itself is Leptonica's area-mapped rotation, bringing in white paper.
    package func deskewed(threshold: UInt8, maxDegrees: Double = 6) -> (image: GreyImage, degrees: Double) {
        var dark: [(x: Double, y: Double)] = []
        for y in 0..<height {
            for x in 0..<width where self[x, y] < threshold { dark.append((Double(x), Double(y))) }
        }
        guard dark.count >= 20 else { return (self, 0) }
        func peak(_ degrees: Double) -> Int {
            let t = tan(degrees * .pi / 180)
            let offset = Double(width) * abs(t) + 1
            var bins = [Int](repeating: 0, count: height + Int(2 * offset) + 2)
            for p in dark { bins[Int(p.y - p.x * t + offset)] += 1 }
            // A line a pixel or two thick: the best pair of neighbouring rows.
            return zip(bins, bins.dropFirst()).map { $0 + $1 }.max() ?? 0
        }
        var best = (degrees: 0.0, score: peak(0))
        for step in 1...Int(maxDegrees * 4) {
            for degrees in [Double(step) / 4, -Double(step) / 4] {
                let score = peak(degrees)
                if score > best.score { best = (degrees, score) }
            }
        }
        guard abs(best.degrees) >= 0.3 else { return (self, 0) }
        let pix = Pix(self)
        let radians = Float(-best.degrees * .pi / 180)
        guard let out = pixRotate(pix.pointer, radians, Int32(L_ROTATE_AREA_MAP), Int32(L_BRING_IN_WHITE), 0, 0),
            var image = Pix(out).greyImage()
        else { return (self, 0) }
        image.dpi = dpi
        return (image, best.degrees)
    }
}
