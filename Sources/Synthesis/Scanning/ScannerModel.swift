import Foundation
import Geometry
import Imaging
import Raster

/// Turns a clean page into something that looks scanned: skew, scale and shift, a little
/// perspective, optical blur, uneven paper, sensor noise and speckles, and now and then a sheet
/// fed upside down.
struct ScannerModel {
    /// What was done to one page (recorded in the truth file).
    struct Distortion {
        var rotationDegrees = 0.0
        var scale = 1.0
        var shift = Point(x: 0, y: 0)
        var upsideDown = false
        var feedWobble = 0.0
        /// Set on the back of a sheet in a duplex scan.
        var back: PageTruth.BackTruth?
    }

    /// Probability that a sheet is fed upside down.
    var upsideDownRate = 0.04
    /// White scanner bed around the sheet, mm: a skewed sheet stays whole in the image.
    var bedMargin = 4.0

    func scan(_ page: GreyImage, using rng: inout SeededGenerator) -> (GreyImage, Distortion) {
        let resolution = Resolution(dpi: page.dpi)
        var d = Distortion()
        d.rotationDegrees = rng.gaussian(sd: 1.2).clamped(-3, 3)
        d.scale = rng.uniform(0.98...1.02)
        d.shift = Point(x: rng.gaussian(sd: 1.2).clamped(-3, 3), y: rng.gaussian(sd: 1.2).clamped(-3, 3))
        d.upsideDown = rng.chance(upsideDownRate)

        let margin = Int(resolution.pixels(bedMargin).rounded())
        let bed = page.padded(by: margin)
        let w = Double(bed.width)
        let h = Double(bed.height)
        let c = Point(x: w / 2, y: h / 2)
        let theta = d.rotationDegrees * .pi / 180
        let corners = [Point(x: 0, y: 0), Point(x: w, y: 0), Point(x: w, y: h), Point(x: 0, y: h)]
        let moved = corners.map { p -> Point in
            let dx = p.x - c.x
            let dy = p.y - c.y
            let jitter = resolution.pixels(0.4)
            return Point(
                x: c.x + d.scale * (cos(theta) * dx - sin(theta) * dy) + resolution.pixels(d.shift.x) + rng.gaussian(sd: jitter).clamped(-2 * jitter, 2 * jitter),
                y: c.y + d.scale * (sin(theta) * dx + cos(theta) * dy) + resolution.pixels(d.shift.y) + rng.gaussian(sd: jitter).clamped(-2 * jitter, 2 * jitter))
        }
        var image = bed.projected(from: corners, to: moved)
        // Uneven feed: the sheet moves through the scanner a little faster or slower along its
        // length, a smooth vertical stretch that no single projective map can describe.
        d.feedWobble = rng.uniform(0...0.45)
        let period = resolution.pixels(rng.uniform(120...320))
        let phase = rng.uniform(0...(2 * .pi))
        let amplitude = resolution.pixels(d.feedWobble)
        image = image.rowsDisplaced { y in amplitude * sin(2 * .pi * Double(y) / period + phase) }
        if rng.chance(0.4) { image = image.blurred(radius: max(1, Int((page.dpi / 300).rounded()))) }
        addPaperAndNoise(&image, using: &rng)
        if d.upsideDown { image = image.rotated180() }
        return (image, d)
    }

    /// A blank sheet through the same scanner (a separator or empty page fed by mistake).
    /// A few pencil strokes, as an enumerator's note or sum on the back of a sheet.
    func scribble(on image: inout GreyImage, using rng: inout SeededGenerator) {
        let ppm = image.dpi / 25.4
        let cx = rng.uniform(40...170) * ppm
        let cy = rng.uniform(40...250) * ppm
        let half = 0.35 * ppm
        for stroke in 0..<Int(rng.uniform(3...6)) {
            let length = rng.uniform(15...40) * ppm
            let angle = rng.uniform(-0.6...0.6) + (stroke % 2 == 0 ? 0 : .pi / 2)
            let x0 = cx + rng.uniform(-10...10) * ppm
            let y0 = cy + rng.uniform(-10...10) * ppm
            let steps = Int(length)
            for s in 0..<steps {
                let x = x0 + cos(angle) * Double(s)
                let y = y0 + sin(angle) * Double(s) + sin(Double(s) / (3 * ppm)) * ppm
                for dy in Int(-half)...Int(half) {
                    for dx in Int(-half)...Int(half) {
                        let px = Int(x) + dx
                        let py = Int(y) + dy
                        guard px >= 0, py >= 0, px < image.width, py < image.height else { continue }
                        image[px, py] = min(image[px, py], 90)
                    }
                }
            }
        }
    }

    /// A grey scan as a colour scanner sees it: cream paper, grey pencil and black print.
    static func onCreamPaper(_ image: GreyImage) -> ColourImage {
        var rgb = [UInt8](repeating: 0, count: image.width * image.height * 3)
        for (i, v) in image.pixels.enumerated() {
            let g = Int(v)
            rgb[i * 3] = UInt8(g * 252 / 255)
            rgb[i * 3 + 1] = UInt8(g * 246 / 255)
            rgb[i * 3 + 2] = UInt8(g * 226 / 255)
        }
        return ColourImage(width: image.width, height: image.height, rgb: rgb, dpi: image.dpi)
    }

    func scanBlank(width: Int, height: Int, dpi: Double, using rng: inout SeededGenerator) -> GreyImage {
        var image = GreyImage(width: width, height: height, dpi: dpi)
        addPaperAndNoise(&image, using: &rng)
        return image
    }

    /// Uneven paper brightness, Gaussian sensor noise and dark speckles.
    private func addPaperAndNoise(_ image: inout GreyImage, using rng: inout SeededGenerator) {
        let paper = rng.uniform(232...252)
        let gradient = rng.uniform(0...22)
        let angle = rng.uniform(0...(2 * .pi))
        let sigma = rng.uniform(1.5...5)
        var table = [Double](repeating: 0, count: 1024)
        for i in table.indices { table[i] = rng.gaussian(sd: sigma) }
        let w = image.width
        let h = image.height
        let gx = cos(angle) * gradient / Double(max(w, 1))
        let gy = sin(angle) * gradient / Double(max(h, 1))
        image.pixels.withUnsafeMutableBufferPointer { px in
            var bits: UInt64 = 0
            var left = 0
            for y in 0..<h {
                let rowShade = Double(y) * gy
                for x in 0..<w {
                    if left == 0 {
                        bits = rng.next()
                        left = 6
                    }
                    let noise = table[Int(bits & 1023)]
                    bits >>= 10
                    left -= 1
                    let level = paper - abs(Double(x) * gx + rowShade)
                    let v = Double(px[y * w + x]) * level / 255 + noise
                    px[y * w + x] = UInt8(max(0, min(255, v.rounded())))
                }
            }
        }
        let speckles = Int(rng.uniform(0...150) * image.dpi / 300)
        for _ in 0..<speckles {
            let x = Int.random(in: 0..<w, using: &rng)
            let y = Int.random(in: 0..<h, using: &rng)
            let r = Int.random(in: 0...1, using: &rng)
            let grey = UInt8(rng.uniform(0...110))
            for yy in max(0, y - r)...min(h - 1, y + r) {
                for xx in max(0, x - r)...min(w - 1, x + r) { image[xx, yy] = min(image[xx, yy], grey) }
            }
        }
    }
}
