import Imaging
import Raster

/// Presents handwritten digits to Tesseract exactly as the digit model was trained
/// (training/digits/README.md, "Line format"): each box interior normalised against its paper,
/// scaled to 48 px high, laid side by side with white margins, and its paper made flat white.
package enum DigitLine {
    /// Height every crop is scaled to, px.
    package static let height = 48
    /// The digit model's input height, px (`[1,36,0,1 …]`): Tesseract scales every line to it.
    package static let networkHeight = 36
    /// White margin around the line and between crops, px.
    package static let gap = 12
    /// Every pixel at least this light is paper and becomes white once the line is composed.
    /// Tesseract sets its black and white levels from the line's middle row only, so on a noisy
    /// paper texture the network's inputs fall far below −1; an integer model clips them and
    /// reads another image than the one it was trained on. Flat paper keeps them in range.
    package static let white: UInt8 = 230

    /// The composed line and, for each crop, the x-range it occupies (to map symbols back to boxes).
    package static func compose(_ crops: [GreyImage]) -> (line: GreyImage, spans: [ClosedRange<Double>]) {
        let scaled = crops.map { normalised($0) }.map { crop -> GreyImage in
            guard crop.height > 0, crop.height != height else { return crop }
            let factor = Double(height) / Double(crop.height)
            var s = crop.scaled(by: factor)
            if s.height != height { s = s.resizedHeight(height) }
            return s
        }
        let width = scaled.reduce(gap) { $0 + $1.width + gap }
        var line = GreyImage(width: width, height: height + 2 * gap, dpi: 300)
        var spans: [ClosedRange<Double>] = []
        var x = gap
        for crop in scaled {
            for y in 0..<crop.height {
                for cx in 0..<crop.width { line[x + cx, gap + y] = crop[cx, y] }
            }
            spans.append(Double(x)...Double(x + crop.width))
            x += crop.width + gap
        }
        for i in line.pixels.indices where line.pixels[i] >= white { line.pixels[i] = 255 }
        return (line, spans)
    }

    /// A composed line already at the network's height, scaled as Tesseract would scale it
    /// (so the network sees the same pixels), and the factor its x-coordinates were scaled by.
    /// Tesseract's own per-call work (thresholding, layout, copying the line in and out of
    /// PNG) then runs on a quarter of the pixels.
    package static func atNetworkHeight(_ line: GreyImage) -> (line: GreyImage, factor: Double) {
        let factor = Double(networkHeight) / Double(line.height)
        guard factor < 1 else { return (line, 1) }
        return (line.scaledAsTesseractDoes(by: factor), factor)
    }

    /// The crop with its paper brought to white: `v × 255 / bg`, where bg is the crop's 90th
    /// percentile grey (at least 64), so light pencil on grey paper keeps its contrast.
    package static func normalised(_ crop: GreyImage) -> GreyImage {
        guard !crop.pixels.isEmpty else { return crop }
        var histogram = [Int](repeating: 0, count: 256)
        for p in crop.pixels { histogram[Int(p)] += 1 }
        let target = Int((Double(crop.pixels.count) * 0.9).rounded(.up))
        var seen = 0
        var bg = 255
        for v in 0..<256 {
            seen += histogram[v]
            if seen >= target {
                bg = v
                break
            }
        }
        bg = max(bg, 64)
        var out = crop
        for i in out.pixels.indices {
            out.pixels[i] = UInt8(min(255, (Double(crop.pixels[i]) * 255 / Double(bg)).rounded()))
        }
        return out
    }
}

extension GreyImage {
    /// Nearest-row resize to an exact height (fixes off-by-one heights after scaling).
    func resizedHeight(_ h: Int) -> GreyImage {
        var out = GreyImage(width: width, height: h, dpi: dpi)
        for y in 0..<h {
            let sy = min(height - 1, y * height / h)
            for x in 0..<width { out[x, y] = self[x, sy] }
        }
        return out
    }
}
