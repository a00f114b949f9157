import CTesseract
import Foundation
import Raster

/// Reads handwritten digits in boxes with Tesseract (libtesseract), one engine per worker,
/// created once: initialising costs tens of milliseconds and megabytes.
///
/// Not `Sendable`: the engine is a mutable C object; a worker owns its recognizer.
package final class DigitRecognizer {
    private var api: OpaquePointer?
    /// Which model is loaded (`digits` is pindai's own handwriting model).
    package let model: String
    /// Raw confidence → probability right, from `MODEL.calibration.json` beside the model.
    package let calibration: DigitCalibration
    /// Lines this engine and its second opinion have read (Tesseract calls): the per-call cost
    /// is most of a digit's.
    package var lines: Int { ownLines + (secondOpinion?.lines ?? 0) }
    private var ownLines = 0
    /// A model of another shape, `MODEL-second.traineddata` beside the model when there is one,
    /// trained apart from it: where it reads a digit otherwise, the field goes to a person
    /// (``DigitBoxReader``). Some of its errors are the model's own (README, *The handwriting
    /// model*). Loaded with its engine, once.
    package let secondOpinion: DigitRecognizer?
    /// Whether Tesseract is set to work out runner-up digits (`lstm_choice_mode`).
    private var choosing = true

    /// Loads `model` (e.g. `digits` from `models/digits.traineddata`) from `directory`, and its
    /// second opinion `MODEL-second.traineddata` when the directory holds one.
    package convenience init(directory: String, model: String) throws(RecognizerError) {
        let secondName = model + Self.secondOpinionSuffix
        let second =
            FileManager.default.fileExists(atPath: directory + "/" + secondName + ".traineddata")
            ? try DigitRecognizer(directory: directory, model: secondName, secondOpinion: nil) : nil
        try self.init(directory: directory, model: model, secondOpinion: second)
    }

    /// The file-name suffix of a model's second opinion (`digits-second.traineddata`).
    package static let secondOpinionSuffix = "-second"

    private init(directory: String, model: String, secondOpinion: DigitRecognizer?) throws(RecognizerError) {
        guard let api = TessBaseAPICreate() else { throw RecognizerError(message: "cannot create a Tesseract engine") }
        self.model = model
        self.secondOpinion = secondOpinion
        self.calibration = DigitCalibration.load(directory: directory, model: model)
        guard TessBaseAPIInit2(api, directory, model, OEM_LSTM_ONLY) == 0 else {
            TessBaseAPIDelete(api)
            throw RecognizerError(
                message: "cannot load the Tesseract model '\(model)' from \(directory); run scripts/setup, or make train-digits to build it")
        }
        self.api = api
        TessBaseAPISetPageSegMode(api, PSM_RAW_LINE)
        TessBaseAPISetVariable(api, "tessedit_do_invert", "0")
        TessBaseAPISetVariable(api, "lstm_choice_mode", "2")
        TessBaseAPISetVariable(api, "debug_file", "/dev/null")
        if !model.hasPrefix("digits") {
            // A general model: keep it to digits (an empty result then means "reject").
            TessBaseAPISetVariable(api, "tessedit_char_whitelist", "0123456789")
        }
    }

    deinit {
        if let api {
            TessBaseAPIEnd(api)
            TessBaseAPIDelete(api)
        }
    }

    /// Reads one digit per crop (non-empty box interiors, in box order).
    ///
    /// With `alternatives` Tesseract also works out each digit's runner-ups (a second beam
    /// search, about 5 % of ingest's CPU); without, every digit and confidence is the same and
    /// `alternatives` stay empty.
    package func read(_ crops: [GreyImage], alternatives: Bool = true) -> [DigitRead] {
        guard let api, !crops.isEmpty else { return [] }
        ownLines += 1
        if alternatives != choosing {
            TessBaseAPISetVariable(api, "lstm_choice_mode", alternatives ? "2" : "0")
            choosing = alternatives
        }
        let (composed, composedSpans) = DigitLine.compose(crops)
        // pindai's own model takes lines 36 px high: scaled here, as Tesseract would scale them.
        let (line, factor) = model == "digits" ? DigitLine.atNetworkHeight(composed) : (composed, 1)
        let spans = composedSpans.map { ($0.lowerBound * factor)...($0.upperBound * factor) }
        let slack = Double(DigitLine.gap) / 2 * factor
        line.pixels.withUnsafeBufferPointer { buf in
            TessBaseAPISetImage(api, buf.baseAddress, Int32(line.width), Int32(line.height), 1, Int32(line.width))
        }
        TessBaseAPISetSourceResolution(api, Int32((300 * factor).rounded()))
        defer { TessBaseAPIClear(api) }
        guard TessBaseAPIRecognize(api, nil) == 0, let it = TessBaseAPIGetIterator(api) else {
            return crops.map { _ in DigitRead(digit: nil, confidence: 0, raw: 0, alternatives: []) }
        }
        defer { TessResultIteratorDelete(it) }
        var best = [DigitRead?](repeating: nil, count: crops.count)
        repeat {
            guard let textPtr = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL) else { continue }
            let text = String(cString: textPtr)
            TessDeleteText(textPtr)
            let confidence = Double(TessResultIteratorConfidence(it, RIL_SYMBOL)) / 100
            var l: Int32 = 0
            var t: Int32 = 0
            var r: Int32 = 0
            var b: Int32 = 0
            TessPageIteratorBoundingBox(TessResultIteratorGetPageIteratorConst(it), RIL_SYMBOL, &l, &t, &r, &b)
            let centre = Double(l + r) / 2
            guard let index = spans.firstIndex(where: { ($0.lowerBound - slack)...($0.upperBound + slack) ~= centre }) else {
                continue
            }
            var runnersUp: [DigitRead.Alternative] = []
            if alternatives, let choices = TessResultIteratorGetChoiceIterator(it) {
                repeat {
                    if let c = TessChoiceIteratorGetUTF8Text(choices) {
                        let s = String(cString: c)
                        if let ch = s.first, s.count == 1, ch.isASCII, ch.isNumber {
                            runnersUp.append(.init(digit: ch, confidence: Double(TessChoiceIteratorConfidence(choices)) / 100))
                        }
                    }
                } while TessChoiceIteratorNext(choices) != 0
                TessChoiceIteratorDelete(choices)
            }
            let digit = text.count == 1 && text.first!.isASCII && text.first!.isNumber ? text.first : nil
            let read = DigitRead(
                digit: digit, confidence: digit == nil ? 0 : calibration.probability(confidence), raw: digit == nil ? 0 : confidence,
                alternatives: runnersUp.filter { $0.digit != digit })
            if best[index] == nil || best[index]!.confidence < read.confidence { best[index] = read }
        } while TessResultIteratorNext(it, RIL_SYMBOL) != 0
        return best.map { $0 ?? DigitRead(digit: nil, confidence: 0, raw: 0, alternatives: []) }
    }
}

/// One box's reading.
package struct DigitRead: Sendable, Hashable, Codable {
    /// The digit, or `nil` when Tesseract gave nothing usable (a reject, never "blank").
    package var digit: Character?
    /// Calibrated probability that the digit is right, 0–1 (for an empty box: that it is empty).
    package var confidence: Double
    /// Tesseract's own symbol confidence, 0–1.
    package var raw: Double
    /// Other digits Tesseract considered, best first (raw confidences).
    package var alternatives: [Alternative]

    /// Creates a reading.
    package init(digit: Character?, confidence: Double, raw: Double, alternatives: [Alternative]) {
        self.digit = digit
        self.confidence = confidence
        self.raw = raw
        self.alternatives = alternatives
    }

    /// A runner-up digit.
    package struct Alternative: Sendable, Hashable, Codable {
        /// The digit.
        package var digit: Character
        /// Its confidence, 0–1.
        package var confidence: Double

        enum CodingKeys: String, CodingKey { case digit, confidence }

        /// Creates an alternative.
        package init(digit: Character, confidence: Double) {
            self.digit = digit
            self.confidence = confidence
        }

        /// Decodes `{"digit": "7", "confidence": 0.4}`.
        package init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            digit = try c.decode(String.self, forKey: .digit).first ?? "?"
            confidence = try c.decode(Double.self, forKey: .confidence)
        }

        /// Encodes `{"digit": "7", "confidence": 0.4}`.
        package func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(String(digit), forKey: .digit)
            try c.encode(confidence, forKey: .confidence)
        }
    }

    enum CodingKeys: String, CodingKey { case digit, confidence, raw, alternatives }

    /// Decodes a reading (digit as a one-character string or null).
    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        digit = try c.decodeIfPresent(String.self, forKey: .digit)?.first
        confidence = try c.decode(Double.self, forKey: .confidence)
        raw = try c.decodeIfPresent(Double.self, forKey: .raw) ?? confidence
        alternatives = try c.decode([Alternative].self, forKey: .alternatives)
    }

    /// Encodes a reading.
    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(digit.map(String.init), forKey: .digit)
        try c.encode(confidence, forKey: .confidence)
        try c.encode(raw, forKey: .raw)
        try c.encode(alternatives, forKey: .alternatives)
    }
}

/// A Tesseract engine that cannot be created.
package struct RecognizerError: Error, Sendable, CustomStringConvertible {
    /// What went wrong and what to do.
    package var message: String
    /// The message.
    package var description: String { message }
}
