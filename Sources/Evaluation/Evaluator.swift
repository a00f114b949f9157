import FormTemplate
import Foundation
import Store
import Synthesis
import Vocabulary

/// Compares what the store read with synth's ground truth (`*.truth.json`).
package struct Evaluator: Sendable {
    /// Templates by form id.
    package var templates: [FormTemplate]
    /// The store to judge.
    package var store: any CaptureStore

    /// Creates an evaluator.
    package init(templates: [FormTemplate], store: any CaptureStore) {
        self.templates = templates
        self.store = store
    }

    /// Evaluates every truth file in `directory`.
    package func evaluate(truthDirectory directory: String) async throws -> EvaluationReport {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".truth.json") }.sorted()
        guard !names.isEmpty else { throw EvaluationError("no *.truth.json files in \(directory)") }
        var report = EvaluationReport()
        let decoder = JSONDecoder()
        for name in names {
            let truth = try decoder.decode(DocumentTruth.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            guard let template = templates.first(where: { $0.id == truth.form && $0.version == truth.version }) else {
                throw EvaluationError("\(name): no template for \(truth.form) v\(truth.version)")
            }
            let readings = try await store.readings(form: truth.form, serial: truth.serial)
            let byField = Dictionary(readings.map { ($0.fieldID, $0) }, uniquingKeysWith: { a, _ in a })
            var document = EvaluationReport()
            document.documents = 1
            let formPages = Set(truth.pages.compactMap(\.page))
            document.pages = formPages.count
            let readPages = Set(template.fields.filter { byField[$0.id] != nil }.map(\.page))
            document.pagesRead = readPages.count
            for field in template.fields where readPages.contains(field.page) {
                guard let reading = byField[field.id] else { continue }
                var one = EvaluationReport()
                compare(field, truth: truth.fields[field.id], reading: reading, into: &one)
                document.add(one)
                if case .digits = field.kind { report.byModel[reading.model ?? "none", default: EvaluationReport()].add(one) }
            }
            report.add(document)
            // One hand writes a document; older truth files do not say whose.
            let hand = truth.fields.values.lazy.compactMap(\.hand).first
            let key = hand?.source ?? EvaluationReport.unrecordedHand
            report.byHand[key, default: EvaluationReport()].add(document)
            report.populations[key] = hand?.population ?? "not recorded"
        }
        report.models = try await store.pagesByModel()
        return report
    }

    private func compare(_ field: Field, truth: FieldTruth?, reading: ReadingRecord, into report: inout EvaluationReport) {
        let boxes = BoxReading.decode(reading.boxesJSON)
        var right: Bool
        switch field.kind {
        case .text:
            return
        case .digits(let printed):
            let truthText = truth?.text ?? ""
            let truthChars = Array(truthText)
            for (i, _) in printed.enumerated() {
                let box = i < boxes.count ? boxes[i] : nil
                if i < truthChars.count {
                    report.digits += 1
                    let ok = box?.digit == String(truthChars[i])
                    if ok { report.digitsRight += 1 }
                    if let writer = truth?.hand?.writer {
                        report.writerDigits[writer, default: 0] += 1
                        if ok { report.writerDigitsRight[writer, default: 0] += 1 }
                    }
                    if let box, box.state != .empty {
                        report.digitSamples.append(
                            .init(raw: box.raw ?? box.confidence, calibrated: box.confidence, right: ok, fieldRuleBroken: box.fieldRuleBroken ?? false))
                    }
                } else {
                    report.emptyBoxes += 1
                    if box?.state == .empty { report.emptyBoxesRight += 1 }
                }
            }
            right = (reading.value ?? "") == truthText
            if printed.count == 16, !truthText.isEmpty {
                report.longNumbers += 1
                if right { report.longNumbersRight += 1 }
            }
        case .checkbox, .choice:
            let marked = Set(truth?.marked ?? [])
            for box in boxes {
                guard let code = box.code else { continue }
                report.checkboxes += 1
                if box.state == .marginal { report.checkboxesMarginal += 1 }
                if (box.state == .marked) == marked.contains(code) && box.state != .marginal { report.checkboxesRight += 1 }
            }
            let truthValue: Int? = if case .checkbox = field.kind { marked.isEmpty ? 0 : 1 } else { truth?.value }
            right = reading.value == truthValue.map(String.init)
        }
        report.fieldsByKind[field.kind.name, default: 0] += 1
        if right { report.exactByKind[field.kind.name, default: 0] += 1 }
        if reading.status == .accepted {
            report.accepted += 1
            if !right {
                report.acceptedWrong += 1
                report.acceptedWrongByField[field.baseID, default: 0] += 1
            }
        } else if reading.status == .queued {
            report.queued += 1
        }
    }
}

/// Evaluation cannot run.
package struct EvaluationError: Error, CustomStringConvertible {
    /// What is wrong.
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
