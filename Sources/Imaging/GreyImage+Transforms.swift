import CLeptonica
import Geometry
import Raster

extension GreyImage {
    /// The image re-projected so that `source` points land on `destination` points (four each,
    /// pixels); uncovered area becomes white paper. Used by the scanner model, never by the reader
    /// (the reader maps template rectangles instead of warping pages).
    public func projected(from source: [Point], to destination: [Point]) -> GreyImage {
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
    public func blurred(radius: Int) -> GreyImage {
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
    public func scaled(by factor: Double) -> GreyImage {
        let pix = Pix(self)
        let out: UnsafeMutablePointer<PIX>? =
            factor < 1 ? pixScaleAreaMap(pix.pointer, Float(factor), Float(factor)) : pixScale(pix.pointer, Float(factor), Float(factor))
        guard let out, let image = Pix(out).greyImage() else { return self }
        var result = image
        result.dpi = dpi * factor
        return result
    }
}

extension GreyImage {
    /// The image with `pixels` of white added on every side (a scanner bed larger than the sheet).
    public func padded(by pixels: Int) -> GreyImage {
        guard pixels > 0 else { return self }
        let pix = Pix(self)
        guard let out = pixAddBorder(pix.pointer, Int32(pixels), 255), var image = Pix(out).greyImage() else { return self }
        image.dpi = dpi
        return image
    }
}
