/// Accuracy of the store against synthetic ground truth: the project's accuracy benchmark.
package struct EvaluationReport: Sendable, Codable {
    /// Documents with a truth file.
    package var documents = 0
    /// Form pages in the truth (blank sheets excluded).
    package var pages = 0
    /// Form pages that were read (registered and stored).
    package var pagesRead = 0
    /// Tick boxes compared.
    package var checkboxes = 0
    /// Tick boxes whose marked / not-marked state was read right (marginal counts as wrong).
    package var checkboxesRight = 0
    /// Tick boxes left marginal (sent to a person).
    package var checkboxesMarginal = 0
    /// Handwritten digits compared.
    package var digits = 0
    /// Handwritten digits read right.
    package var digitsRight = 0
    /// Empty digit boxes compared / read as empty.
    package var emptyBoxes = 0
    /// Empty digit boxes read as empty.
    package var emptyBoxesRight = 0
    /// Fields compared, by kind.
    package var fieldsByKind: [String: Int] = [:]
    /// Fields whose whole value was right, by kind.
    package var exactByKind: [String: Int] = [:]
    /// Handwritten digits compared, by writer id (truth files that name the writer): within one
    /// hand (``byHand``) it says how far that population's writers differ from one another.
    package var writerDigits: [String: Int] = [:]
    /// Handwritten digits read right, by writer id.
    package var writerDigitsRight: [String: Int] = [:]
    /// Fields accepted without a person.
    package var accepted = 0
    /// Accepted fields whose value was wrong.
    package var acceptedWrong = 0
    /// Fields queued for a person.
    package var queued = 0
    /// 16-digit fields (NIK, KK) compared / fully right before verification.
    package var longNumbers = 0
    /// 16-digit fields fully right.
    package var longNumbersRight = 0
    /// Accepted-but-wrong fields by field id (base id), most frequent first in ``lines``.
    package var acceptedWrongByField: [String: Int] = [:]

    /// The same figures for each digit source the documents were written with (`cvl@test`, …),
    /// by the source's `name@part`.
    package var byHand: [String: EvaluationReport] = [:]
    /// The writer population of each source in ``byHand``.
    package var populations: [String: String] = [:]
    /// Read pages in the store by the digit model that read them.
    package var models: [String: Int] = [:]
    /// The digit fields' figures for each digit model that read them (`digits@…`; a field
    /// re-read by `reread` counts under its own model): a store read partly with a learned model
    /// says how each model did on its share.
    package var byModel: [String: EvaluationReport] = [:]
    /// The ``byHand`` key of documents whose truth does not say whose digits they hold.
    package static let unrecordedHand = "unrecorded"

    enum CodingKeys: String, CodingKey {
        case documents, pages, pagesRead, checkboxes, checkboxesRight, checkboxesMarginal, digits, digitsRight, emptyBoxes,
            emptyBoxesRight, fieldsByKind, exactByKind, accepted, acceptedWrong, queued, longNumbers, longNumbersRight,
            acceptedWrongByField, byHand, populations, models, byModel
    }

    /// Adds another report's counts and samples to this one (its ``byHand`` is not merged).
    package mutating func add(_ other: EvaluationReport) {
        let counts: [WritableKeyPath<EvaluationReport, Int>] = [
            \.documents, \.pages, \.pagesRead, \.checkboxes, \.checkboxesRight, \.checkboxesMarginal, \.digits, \.digitsRight,
            \.emptyBoxes, \.emptyBoxesRight, \.accepted, \.acceptedWrong, \.queued, \.longNumbers, \.longNumbersRight,
        ]
        for count in counts { self[keyPath: count] += other[keyPath: count] }
        for tally: WritableKeyPath<EvaluationReport, [String: Int]> in [\.fieldsByKind, \.exactByKind, \.acceptedWrongByField, \.writerDigits, \.writerDigitsRight] {
            self[keyPath: tally].merge(other[keyPath: tally], uniquingKeysWith: +)
        }
        digitSamples += other.digitSamples
    }

    /// Every non-empty digit box: raw and calibrated confidence, and whether it was read right.
    package var digitSamples: [DigitSample] = []

    /// One digit's evidence.
    package struct DigitSample: Sendable, Codable, Hashable {
        /// Tesseract's raw confidence.
        package var raw: Double
        /// The calibrated probability the reader used.
        package var calibrated: Double
        /// Whether the digit was right.
        package var right: Bool
        /// Whether the field's value as first read broke the field's own rules (code list,
        /// range, structure), before its runner-up digits were tried.
        package var fieldRuleBroken: Bool
    }

    /// One row of the reliability table: predicted (calibrated) against observed accuracy.
    package struct ReliabilityBin: Sendable, Codable, Hashable {
        /// Lower bound of calibrated confidence.
        package var lower: Double
        /// Upper bound.
        package var upper: Double
        /// Digits in the bin.
        package var count: Int
        /// Mean calibrated confidence.
        package var predicted: Double
        /// Share read right.
        package var observed: Double
    }

    /// Reliability of the calibrated digit confidence, in bins.
    package var reliability: [ReliabilityBin] {
        let edges = [0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 1.0001]
        return zip(edges, edges.dropFirst()).compactMap { lo, hi in
            let inBin = digitSamples.filter { $0.calibrated >= lo && $0.calibrated < hi }
            guard !inBin.isEmpty else { return nil }
            return ReliabilityBin(
                lower: lo, upper: min(hi, 1), count: inBin.count, predicted: inBin.map(\.calibrated).reduce(0, +) / Double(inBin.count),
                observed: Double(inBin.filter(\.right).count) / Double(inBin.count))
        }
    }

    /// Error rate among digits kept when the least confident `share` of digits goes to people.
    package func errorAfterRejecting(_ share: Double) -> Double {
        let sorted = digitSamples.sorted { $0.calibrated < $1.calibrated }
        let kept = sorted.dropFirst(Int(Double(sorted.count) * share))
        guard !kept.isEmpty else { return 0 }
        return Double(kept.filter { !$0.right }.count) / Double(kept.count)
    }

    /// Creates an empty report.
    package init() {}

    func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }

    /// Share of tick boxes read right.
    package var checkboxAccuracy: Double { ratio(checkboxesRight, checkboxes) }
    /// Share of handwritten digits read right.
    package var digitAccuracy: Double { ratio(digitsRight, digits) }
    /// Share of fields (not text) whose whole value was right.
    package var fieldExactRate: Double { ratio(exactByKind.values.reduce(0, +), fieldsByKind.values.reduce(0, +)) }
    /// Share of fields sent to a person.
    package var queuedShare: Double { ratio(queued, accepted + queued) }
    /// Error rate among fields accepted without a person.
    package var acceptedErrorRate: Double { ratio(acceptedWrong, accepted) }
    /// Share of form pages registered and read.
    package var registeredShare: Double { ratio(pagesRead, pages) }

    /// The JSON object `pindai eval --json` prints (fractions 0–1).
    package var summary: [String: Double] {
        var out: [String: Double] = [
            "checkbox_accuracy": checkboxAccuracy, "digit_accuracy": digitAccuracy, "field_exact_rate": fieldExactRate,
            "queued_share": queuedShare, "accepted_error_rate": acceptedErrorRate, "registered_share": registeredShare,
            "empty_box_accuracy": ratio(emptyBoxesRight, emptyBoxes), "checkbox_marginal_share": ratio(checkboxesMarginal, checkboxes),
            "long_number_exact_rate": ratio(longNumbersRight, longNumbers),
            "digit_error_after_rejecting_5pct": errorAfterRejecting(0.05), "digit_error_after_rejecting_10pct": errorAfterRejecting(0.10),
            "documents": Double(documents), "pages": Double(pages), "pages_read": Double(pagesRead),
            "fields": Double(accepted + queued), "digits": Double(digits), "checkboxes": Double(checkboxes),
        ]
        for (kind, n) in fieldsByKind { out["field_exact_rate_\(kind)"] = ratio(exactByKind[kind] ?? 0, n) }
        for (hand, r) in byHand {
            for key in Self.perHandKeys { out["by_hand.\(hand).\(key)"] = r.summary[key] }
            if let interval = r.writerInterval {
                out["by_hand.\(hand).digit_accuracy_new_writers_low"] = interval.lower
                out["by_hand.\(hand).digit_accuracy_new_writers_high"] = interval.upper
            }
        }
        for (model, r) in byModel where byModel.count > 1 {
            for key in Self.perModelKeys { out["by_model.\(model).\(key)"] = r.summary[key] }
        }
        return out
    }

    /// The figures `summary` repeats for each hand.
    static let perHandKeys = [
        "documents", "digits", "digit_accuracy", "long_number_exact_rate", "digit_error_after_rejecting_10pct", "queued_share",
        "accepted_error_rate", "checkbox_accuracy",
    ]

    /// The figures `summary` repeats for each digit model (digit fields only).
    static let perModelKeys = [
        "fields", "digits", "digit_accuracy", "long_number_exact_rate", "digit_error_after_rejecting_10pct", "queued_share", "accepted_error_rate",
    ]

    /// One line per digit model when more than one read the store's digit fields.
    package var modelLines: [String] {
        guard byModel.count > 1 else { return [] }
        var out = ["by digit model, digit fields only (digits right · 16-digit numbers fully right · digits wrong after routing 10 % · fields queued):"]
        for (model, r) in byModel.sorted(by: { $0.key < $1.key }) {
            out.append(
                "  \(model) (\(r.accepted + r.queued) fields, \(r.digits) digits): \(Self.percent(r.digitAccuracy)) · "
                    + "\(Self.percent(r.ratio(r.longNumbersRight, r.longNumbers))) of \(r.longNumbers) · "
                    + "\(Self.percent(r.errorAfterRejecting(0.10))) · \(Self.percent(r.queuedShare))")
        }
        return out
    }

    /// One line per digit source: the figures that differ between writer populations.
    package var handLines: [String] {
        guard !byHand.isEmpty, !(byHand.count == 1 && byHand[Self.unrecordedHand] != nil) else { return [] }
        var out = ["by writer population (digits right · 16-digit numbers fully right · digits wrong after routing 10 % · fields queued):"]
        for (hand, r) in byHand.sorted(by: { $0.key < $1.key }) {
            out.append(
                "  \(hand) (\(populations[hand] ?? "?"), \(r.documents) documents, \(r.digits) digits): \(Self.percent(r.digitAccuracy)) · "
                    + "\(Self.percent(r.ratio(r.longNumbersRight, r.longNumbers))) of \(r.longNumbers) · "
                    + "\(Self.percent(r.errorAfterRejecting(0.10))) · \(Self.percent(r.queuedShare))")
            if let spread = r.writerSpread { out.append("    " + spread) }
            out.append(
                "    reliability, calibrated → observed: "
                    + r.reliability.map { b in
                        "\(Self.oneDecimal(b.lower * 100))–\(Self.oneDecimal(b.upper * 100)) % (\(b.count)): "
                            + "\(Self.oneDecimal(b.predicted * 100)) → \(Self.oneDecimal(b.observed * 100))"
                    }
                    .joined(separator: "; "))
        }
        return out
    }

    /// `99.5`, `80`: one decimal where it is not zero.
    static func oneDecimal(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }

    /// `12.34 %`.
    package static func percent(_ v: Double) -> String {
        let h = Int((v * 10000).rounded())
        return "\(h / 100).\(h % 100 < 10 ? "0" : "")\(h % 100) %"
    }

    /// Human-readable lines.
    package var lines: [String] {
        func pct(_ v: Double) -> String { Self.percent(v) }
        var out = [
            "documents: \(documents), form pages: \(pages), registered and read: \(pagesRead) (\(pct(registeredShare)))"
                + (models.isEmpty ? "" : "; read with " + models.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value) pages in the store)" }.joined(separator: ", ")),
            "checkboxes: \(pct(checkboxAccuracy)) right of \(checkboxes) (\(pct(ratio(checkboxesMarginal, checkboxes))) marginal, sent to a person)",
            "handwritten digits: \(pct(digitAccuracy)) right of \(digits); empty boxes: \(pct(ratio(emptyBoxesRight, emptyBoxes))) right of \(emptyBoxes)",
            "16-digit numbers fully right: \(pct(ratio(longNumbersRight, longNumbers))) of \(longNumbers)",
        ]
        for kind in fieldsByKind.keys.sorted() {
            out.append("fields exact, \(kind): \(pct(ratio(exactByKind[kind] ?? 0, fieldsByKind[kind]!))) of \(fieldsByKind[kind]!)")
        }
        out.append("fields exact, all: \(pct(fieldExactRate))")
        out.append("queued for verification: \(pct(queuedShare)) of \(accepted + queued) fields")
        out.append("wrong among auto-accepted: \(pct(acceptedErrorRate)) (\(acceptedWrong) of \(accepted))")
        out.append(
            "digits wrong after sending the least confident 5 % / 10 % to people: \(pct(errorAfterRejecting(0.05))) / \(pct(errorAfterRejecting(0.10)))")
        if !reliability.isEmpty {
            out.append("digit confidence reliability (calibrated → observed):")
            for b in reliability {
                out.append("  \(pct(b.lower))–\(pct(b.upper)): \(b.count) digits, predicted \(pct(b.predicted)), observed \(pct(b.observed))")
            }
        }
        out += handLines
        out += modelLines
        let worst = acceptedWrongByField.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(8)
        if !worst.isEmpty {
            out.append("accepted-but-wrong by field: " + worst.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        return out
    }
}
