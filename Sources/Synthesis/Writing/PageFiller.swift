import Canvas
import Foundation
import FormTemplate
import Geometry
import HandwrittenDigits

/// Writes field values onto a rendered page the way an enumerator with a pencil would: real
/// handwritten digits, ticks and crosses, corrections, and the occasional stray mark.
struct PageFiller {
    let digits: DigitSet
    /// Sample indices per digit value, from the document's hand.
    let pool: [[Int]]

    init(hand: DigitHand) {
        self.digits = hand.set
        self.pool = hand.pool
    }

    /// Draws every value of `page`'s fields onto `canvas`; returns how each field was written.
    func fill(
        page: TemplatePage, values: [String: FieldValue], on canvas: Canvas, using rng: inout SeededGenerator
    ) -> [String: FieldWriting] {
        var written: [String: FieldWriting] = [:]
        for field in page.fields {
            let value = values[field.id]
            switch field.kind {
            case .digits(let boxes):
                guard case .digits(let text)? = value, !text.isEmpty else { continue }
                written[field.id] = .digits(writeDigits(text, in: boxes, on: canvas, using: &rng))
            case .checkbox(let box):
                let checked: Bool = if case .checkbox(let b)? = value { b } else { false }
                let style = markStyle(selected: checked, using: &rng)
                if let style { draw(style, in: box, on: canvas, using: &rng) }
                written[field.id] = .marks(style.map { [OptionMark(code: 1, style: $0)] } ?? [])
            case .choice(let group):
                let chosen: [Int] = if case .choice(let c)? = value { c } else { [] }
                var marks: [OptionMark] = []
                for option in group.options {
                    if let style = markStyle(selected: chosen.contains(option.code), using: &rng) {
                        draw(style, in: option.box, on: canvas, using: &rng)
                        marks.append(OptionMark(code: option.code, style: style))
                    }
                }
                written[field.id] = .marks(marks)
            case .text(let area):
                guard case .text(let text)? = value, !text.isEmpty else { continue }
                writeText(text, in: area, on: canvas, using: &rng)
                written[field.id] = .handwriting
            }
        }
        return written
    }

    /// The style for an option: a selecting style when chosen; usually nothing otherwise, now and
    /// then an erasure, a cancellation or a stray mark.
    private func markStyle(selected: Bool, using rng: inout SeededGenerator) -> MarkStyle? {
        if selected {
            return rng.weighted([(.tick, 0.55), (.cross, 0.25), (.scribble, 0.1), (.light, 0.1)])
        }
        return rng.weighted([(nil, 0.955), (.erased, 0.02), (.cancelled, 0.01), (.stray, 0.015)])
    }

    private func jitter(_ p: Point, _ sd: Double, _ rng: inout SeededGenerator) -> Point {
        p.offsetBy(dx: rng.gaussian(sd: sd), dy: rng.gaussian(sd: sd))
    }

    private func draw(_ style: MarkStyle, in box: Rect, on canvas: Canvas, using rng: inout SeededGenerator) {
        let w = box.width
        let h = box.height
        let pencil = UInt8(rng.uniform(30...95))
        func at(_ fx: Double, _ fy: Double) -> Point { Point(x: box.minX + fx * w, y: box.minY + fy * h) }
        switch style {
        case .tick, .light, .erased:
            let grey: UInt8 = style == .tick ? pencil : style == .light ? UInt8(rng.uniform(120...160)) : UInt8(rng.uniform(200...225))
            let points = [at(0.18, 0.5), at(0.42, 0.85), at(rng.uniform(0.9...1.15), rng.uniform(-0.15...0.1))].map { jitter($0, 0.12, &rng) }
            canvas.stroke(points, lineWidth: rng.uniform(0.3...0.55), grey: grey)
        case .cross:
            canvas.stroke([jitter(at(0.12, 0.12), 0.15, &rng), jitter(at(0.88, 0.88), 0.15, &rng)], lineWidth: rng.uniform(0.3...0.55), grey: pencil)
            canvas.stroke([jitter(at(0.88, 0.12), 0.15, &rng), jitter(at(0.12, 0.88), 0.15, &rng)], lineWidth: rng.uniform(0.3...0.55), grey: pencil)
        case .scribble:
            var points: [Point] = []
            let rows = Int.random(in: 3...4, using: &rng)
            for i in 0...rows {
                let y = 0.2 + 0.6 * Double(i) / Double(rows)
                points.append(jitter(at(i % 2 == 0 ? 0.18 : 0.82, y), 0.1, &rng))
            }
            canvas.stroke(points, lineWidth: rng.uniform(0.45...0.65), grey: pencil)
        case .cancelled:
            canvas.fill(box.insetBy(rng.uniform(-0.1...0.15)), grey: UInt8(rng.uniform(15...55)))
        case .stray:
            let edge = rng.weighted([(0, 0.25), (1, 0.25), (2, 0.25), (3, 0.25)])
            let p: Point = switch edge {
            case 0: at(rng.uniform(0...1), rng.uniform(-0.35...(-0.05)))
            case 1: at(rng.uniform(1.05...1.35), rng.uniform(0...1))
            case 2: at(rng.uniform(0...1), rng.uniform(1.05...1.35))
            default: at(rng.uniform(-0.35...(-0.05)), rng.uniform(0...1))
            }
            canvas.stroke([p, jitter(p, 0.25, &rng)], lineWidth: rng.uniform(0.25...0.45), grey: pencil)
        }
    }

    private func writeDigits(_ text: String, in boxes: [Rect], on canvas: Canvas, using rng: inout SeededGenerator) -> [DigitWriting] {
        let pencil = rng.uniform(20...110)
        let height = rng.uniform(3.0...4.4)
        let slant = rng.uniform(-0.22...0.22)
        var out: [DigitWriting] = []
        for (box, ch) in zip(boxes, text) {
            guard let d = ch.wholeNumberValue, let sample = pool[d].randomElement(using: &rng) else { continue }
            let writing = DigitWriting(
                digit: d, sample: sample, heightMillimetres: (height + rng.gaussian(sd: 0.15)).clamped(2.6, 4.8),
                rotationDegrees: rng.gaussian(sd: 4).clamped(-10, 10), shear: (slant + rng.gaussian(sd: 0.05)).clamped(-0.3, 0.3),
                grey: Int((pencil + rng.gaussian(sd: 8)).clamped(0, 140)),
                offsetX: rng.gaussian(sd: 0.25).clamped(-0.7, 0.7), offsetY: rng.gaussian(sd: 0.25).clamped(-0.7, 0.7))
            let sampleMask = digits.inkMask(sample)
            // MNIST digits occupy about 20 of their 28 rows.
            let frameHeight = writing.heightMillimetres * Double(sampleMask.height) / 20
            let mask = sampleMask.penStroke()
            let map = AffineMap.placing(
                width: mask.width, height: mask.height,
                center: box.center.offsetBy(dx: writing.offsetX, dy: writing.offsetY), height: frameHeight,
                rotation: writing.rotationDegrees * .pi / 180, shear: -writing.shear)
            canvas.paint(mask: mask, transform: map, grey: UInt8(writing.grey))
            out.append(writing)
        }
        return out
    }

    /// Comic Neue (Debian's fonts-comic-neue, installed by scripts/setup): hand-lettered
    /// capitals, closer to an enumerator's block letters than a book face; without it fontconfig
    /// falls back to DejaVu Sans.
    static let handwritingFont = "Comic Neue"

    private func writeText(_ text: String, in area: Rect, on canvas: Canvas, using rng: inout SeededGenerator) {
        let size = min(area.height * 0.7, rng.uniform(3.2...4.2))
        let grey = UInt8(rng.uniform(30...100))
        let slant = rng.uniform(-0.1...0.3)
        var x = area.minX + rng.uniform(1...4)
        let baseline = area.maxY - (area.height - size * 0.75) / 2
        for ch in text {
            let advance = size * rng.uniform(0.62...0.78)
            guard x + advance < area.maxX - 0.5 else { break }
            if ch != " " {
                canvas.text(
                    String(ch), at: Point(x: x, y: baseline + rng.gaussian(sd: 0.2)), size: size * rng.uniform(0.9...1.1),
                    grey: grey, slant: slant, family: Self.handwritingFont)
            }
            x += advance
        }
    }
}

extension Double {
    func clamped(_ low: Double, _ high: Double) -> Double { Swift.min(Swift.max(self, low), high) }
}
