import Imaging
import Raster

extension GreyImage {
    /// How finely a digit sample is resampled before its pen outline is taken: four times its
    /// 28 pixels, finer than the 300-dpi page it is drawn on, so the outline stays smooth.
    package static let penUpsampling = 4.0

    /// The coverage at or above which the pen went: digit images such as MNIST's and CVL's are
    /// pen strokes averaged down to 28 pixels, so a thin stroke survives only as light grey.
    /// Painting that grey as ink drew thin strokes as faint, broken lines no pencil makes. 0.2
    /// is the highest level at which the training parts' strokes stay whole (2 % of CVL digits
    /// fall into more pieces, none elsewhere; 44 % of CVL's at 0.5), and it gives strokes of
    /// 0.56 mm (CVL) to 0.85 mm (optdigits) in a digit 3.7 mm tall: a pencil's width.
    package static let penCoverage = 0.2

    /// A digit sample's ink mask (ink = 255) as a pencil would draw it: resampled finer, then
    /// full ink wherever the pen went (coverage above ``penCoverage``) with a soft edge of about
    /// a pixel, so the pencil's darkness is the writer's grey and not the sample's anti-aliasing.
    package func penStroke() -> GreyImage {
        var fine = scaled(by: Self.penUpsampling)
        let low = (Self.penCoverage - 0.1) * 255
        let high = (Self.penCoverage + 0.1) * 255
        fine.pixels = fine.pixels.map { v in
            let t = (Double(v) - low) / (high - low)
            return UInt8((min(1, max(0, t)) * 255).rounded())
        }
        return fine
    }
}
