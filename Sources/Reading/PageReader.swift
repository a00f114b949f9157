import Alignment
import DigitRecognition
import FormTemplate
import Geometry
import Imaging
import MarkReading
import Raster
import Vocabulary

/// Reads every field of a registered page: tick boxes by mark detection, digit boxes with
/// Tesseract, text areas kept as images; decides per field whether a person must look.
///
/// One per worker (it owns the worker's Tesseract engine).
package final class PageReader {
    private let recognizer: DigitRecognizer?
    /// The acceptance thresholds.
    package let policy: AcceptancePolicy
    /// The mark thresholds.
    package let marks: MarkReader
    /// Per-field re-registration on the printed box outlines (`nil` = page-wide fit only).
    package let local: LocalRegistration?
    /// Digit-box interior inset, mm (the training line format's 0.6 mm).
    package static let digitInset = 0.6
    /// Margin kept around a field's clip (its rectangle of the stored page image), mm.
    package static let clipMargin = 1.5
    /// Text areas are judged empty or written 1 mm inside their printed frame.
    package static let textInset = 1.0

    /// Creates a reader; without a recognizer every digit field is queued unread.
    package init(
        recognizer: DigitRecognizer?, policy: AcceptancePolicy = AcceptancePolicy(), marks: MarkReader = MarkReader(),
        local: LocalRegistration? = LocalRegistration()
    ) {
        self.recognizer = recognizer
        self.policy = policy
        self.marks = marks
        self.local = local
    }

    /// Time spent per kind of work, seconds.
    package struct Timings: Sendable {
        /// Tick boxes.
        package var marks = 0.0
        /// Digit boxes (cropping, emptiness, Tesseract).
        package var digits = 0.0
        /// Placing each field's clip and box interiors on the page.
        package var clipPlacement = 0.0
    }

    /// Reads every field of `page`.
    package func read(_ page: ScanPage, templatePage: TemplatePage, registration: PageRegistration) -> (readings: [FieldReading], timings: Timings) {
        var timings = Timings()
        var out: [FieldReading] = []
        let page0 = registration.transform
        for field in templatePage.fields {
            var reading: FieldReading
            let start = ContinuousClock.now
            var t = page0
            if let local, case .digits(let boxes) = field.kind {
                let shift = local.offset(for: boxes, page: page, transform: page0)
                t = page0.translated(dx: shift.x, dy: shift.y)
            }
            switch field.kind {
            case .digits(let boxes):
                reading = readDigits(field, boxes: boxes, page: page, transform: t)
                timings.digits += seconds(since: start)
            case .checkbox, .choice:
                reading = readMarks(field, page: page, transform: page0)
                timings.marks += seconds(since: start)
            case .text(let area):
                // Whether anything is written decides whether a person is asked to key it.
                let ink = page.inkFraction(in: MarkReader.interiorPixels(area.insetBy(Self.textInset), transform: page0)).roundedForStorage
                let box = BoxReading(digit: nil, code: nil, ink: ink, state: ink < ConfidenceThresholds.emptyTextInk ? .empty : .read, confidence: 1)
                reading = FieldReading(fieldID: field.id, kind: "text", value: nil, confidence: 0, status: .image, reason: nil, boxes: [box])
            }
            let clipStart = ContinuousClock.now
            let clipRect = page0.boundingBox(of: field.bounds.insetBy(-Self.clipMargin))
            reading.clipRect = page.cutRectangle(clipRect)
            if case .digits(let boxes) = field.kind, let clip = reading.clipRect {
                for (i, box) in boxes.enumerated() where i < reading.boxes.count {
                    guard let cut = page.cutRectangle(Self.digitInterior(box, transform: t)) else { continue }
                    reading.boxes[i].interior = [cut[0] - clip[0], cut[1] - clip[1], cut[2], cut[3]]
                }
            }
            timings.clipPlacement += seconds(since: clipStart)
            out.append(reading)
        }
        return (out, timings)
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    private func readMarks(_ field: Field, page: ScanPage, transform: ProjectiveTransform) -> FieldReading {
        let align: ((Rect) -> ProjectiveTransform)? = local.map { local in
            { box in
                let shift = local.offset(for: [box], page: page, transform: transform)
                return transform.translated(dx: shift.x, dy: shift.y)
            }
        }
        let measured = marks.measure(field, on: page, transform: transform, align: align)
        let choice = ChoiceReading(field: field, marks: measured)
        var reason = choice.problem
        if reason == nil, choice.value == nil, case .always = field.validation.required {
            reason = "required but no box is marked"
        }
        if reason == nil, let v = choice.value, let problem = field.validation.problem(in: v) { reason = problem }
        let accepted = reason == nil && choice.confidence >= policy.markConfidence
        if reason == nil && !accepted { reason = "low confidence (\(Self.percent(choice.confidence)))" }
        return FieldReading(
            fieldID: field.id, kind: field.kind.name, value: choice.value.map(String.init), confidence: choice.confidence,
            status: accepted ? .accepted : .queued, reason: reason,
            boxes: measured.map { BoxReading(digit: nil, code: $0.code, ink: $0.fill, state: $0.state, confidence: $0.confidence) })
    }

    private func readDigits(_ field: Field, boxes: [Rect], page: ScanPage, transform: ProjectiveTransform) -> FieldReading {
        readDigits(field, interiors: boxes.map { page.grey(Self.digitInterior($0, transform: transform)) })
    }

    /// Reads a digit field from its box interiors, in box order: emptiness by ink, the filled
    /// boxes by Tesseract, then the field's rules. Ingest cuts the interiors from the page;
    /// `pindai reread` cuts them from the stored page image.
    package func readDigits(_ field: Field, interiors: [GreyImage]) -> FieldReading {
        let inks = interiors.map(DigitBoxReader.ink)
        // Runner-up digits are worked out only for a value that breaks its rules, where they may
        // repair it: every digit and confidence is the same without them, and their beam search
        // is about 5 % of ingest's CPU.
        let plain = readDigits(field, interiors: interiors, inks: inks, alternatives: false)
        guard plain.brokeRules, recognizer != nil else { return plain.reading }
        return readDigits(field, interiors: interiors, inks: inks, alternatives: true).reading
    }

    private func readDigits(
        _ field: Field, interiors: [GreyImage], inks: [Double], alternatives: Bool
    ) -> (reading: FieldReading, brokeRules: Bool) {
        let boxCount = interiors.count
        var brokeRules = false
        var readings: [BoxReading] = []
        var reason: String?
        var filledIndex: [Int] = []
        let reads: [DigitRead]
        if let recognizer {
            var reader = DigitBoxReader(recognizer: recognizer, emptyInk: policy.emptyDigitInk)
            reader.settledBelow = policy.digitConfidence
            reader.alternatives = alternatives
            reads = reader.read(interiors, inks: inks)
        } else {
            reads = inks.map { DigitRead(digit: nil, confidence: $0 < policy.emptyDigitInk ? 1 : 0, raw: 0, alternatives: []) }
        }
        for (i, (ink, read)) in zip(inks, reads).enumerated() {
            let empty = ink < policy.emptyDigitInk
            var box = BoxReading(
                digit: read.digit.map(String.init), code: nil, ink: ink.roundedForStorage, state: empty ? .empty : .read,
                confidence: read.confidence.roundedForStorage, raw: empty ? nil : read.raw.roundedForStorage,
                alternatives: read.alternatives.map { .init(digit: String($0.digit), confidence: $0.confidence.roundedForStorage) })
            if !empty {
                filledIndex.append(i)
                if read.digit == nil {
                    box.state = .rejected
                    reason = reason ?? (recognizer == nil ? "no digit recogniser loaded" : "box \(i + 1) is unreadable")
                }
            }
            readings.append(box)
        }
        let filled = filledIndex.count
        var value: String?
        if filled == 0 {
            if case .always = field.validation.required { reason = reason ?? "required but empty" }
        } else if filled < boxCount {
            reason = reason ?? "\(boxCount - filled) of \(boxCount) boxes empty (leading zeros are required)"
            value = readings.compactMap(\.digit).joined()
        } else if reason == nil {
            value = readings.compactMap(\.digit).joined()
            if let problem = field.validation.problem(in: value!) {
                brokeRules = true
                reason = problem
                if let (repaired, box) = DigitRepair.repair(readings, validation: field.validation) {
                    reason = "\(problem); box \(box + 1) read as \(readings[box].digit ?? "?"), its runner-up \(repaired[box].digit ?? "?") keeps the rules"
                    readings = repaired
                    value = readings.compactMap(\.digit).joined()
                }
                // The field's own rules are evidence too: a digit of a value that breaks them is
                // no surer than such digits were found to be when the map was fitted.
                let cap = recognizer?.calibration.fieldRuleBroken
                for i in readings.indices where readings[i].state == .read {
                    readings[i].fieldRuleBroken = true
                    if let cap { readings[i].confidence = min(readings[i].confidence, cap) }
                }
            }
        }
        let confidence = readings.filter { $0.state != .empty }.map(\.confidence).min() ?? readings.map(\.confidence).min() ?? 1
        if reason == nil, confidence < policy.digitConfidence { reason = "low confidence (\(Self.percent(confidence)))" }
        let reading = FieldReading(
            fieldID: field.id, kind: "digits", value: value, confidence: confidence, status: reason == nil ? .accepted : .queued,
            reason: reason, boxes: readings)
        return (reading, brokeRules)
    }

    /// The pixels of a digit box's interior that are read: the box inset by ``digitInset``.
    static func digitInterior(_ box: Rect, transform: ProjectiveTransform) -> Rect {
        MarkReader.interiorPixels(box.insetBy(Self.digitInset), transform: transform)
    }

    static func percent(_ v: Double) -> String { "\(Int((v * 100).rounded())) %" }
}
