import Evaluation
import Foundation
import FormTemplate
import GRDB
import HandwrittenDigits
import Ingest
import Store
import Synthesis
import TestSupport
import Testing

/// The accuracy benchmark and the export, on a small synthetic batch read with the real model.
@Suite(.serialized) struct EvaluationTests {
    /// Two documents synthesised and ingested once for the whole suite; a failure here fails
    /// each test that needs the batch (with the error), never the whole test run.
    static let batchTask = Task<(dir: String, store: String), any Error> {
        let dir = Fixtures.temporaryDirectory("evalbatch")
        // Two hands: document 1 in MNIST's test part, document 2 in its validation part.
        for (serial, part) in [(1, DigitSource.Part.test), (2, .validation)] {
            let hand = try DigitMix(source: DigitSource.named("mnist", root: Fixtures.repositoryRoot), part: part)
            let run = SynthesisRun(
                template: Fixtures.rskK4, digits: hand, count: 1, seed: 31, serialStart: serial, outputDirectory: dir + "/scans", dpi: 300,
                workers: 2)
            _ = try await run.run()
        }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        _ = try await Ingestor(
            templates: [Fixtures.rskK4], store: store, batch: "e", workers: 2, model: (Fixtures.repositoryRoot + "/models", "digits")
        ).run([dir + "/scans"])
        return (dir, dir + "/s.sqlite")
    }

    static var batch: (dir: String, store: String) {
        get async throws { try await batchTask.value }
    }

    @Test func evalComparesTheStoreWithTheTruth() async throws {
        let batch = try await Self.batch
        let store = try SQLiteStore(path: batch.store)
        let report = try await Evaluator(templates: [Fixtures.rskK4], store: store).evaluate(truthDirectory: batch.dir + "/scans")
        #expect(report.documents == 2)
        #expect(report.pagesRead == report.pages)
        #expect(report.digits > 300 && report.checkboxes > 300)
        #expect(report.checkboxAccuracy > 0.99)
        #expect(report.digitAccuracy > 0.93)
        #expect(report.acceptedErrorRate < 0.02)
        #expect(!report.reliability.isEmpty)
        let model = try #require(report.models.keys.first, "every read page names the model that read it")
        #expect(report.models.count == 1 && model.hasPrefix("digits@") && model.count == "digits@".count + 12)
        #expect(report.models[model] == report.pagesRead)
    }

    @Test func everyFigureIsBrokenDownByTheHandThatWroteTheDigits() async throws {
        let batch = try await Self.batch
        let store = try SQLiteStore(path: batch.store)
        let report = try await Evaluator(templates: [Fixtures.rskK4], store: store).evaluate(truthDirectory: batch.dir + "/scans")
        #expect(report.byHand.keys.sorted() == ["mnist@test", "mnist@validation"])
        #expect(report.byHand.values.map(\.documents) == [1, 1])
        #expect(report.byHand.values.map(\.digits).reduce(0, +) == report.digits)
        #expect(report.byHand.values.map(\.digitSamples.count).reduce(0, +) == report.digitSamples.count)
        #expect(report.populations["mnist@test"] == "MNIST")
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("by writer population"))
        #expect(text.contains("  mnist@validation (MNIST, 1 documents, \(report.byHand["mnist@validation"]!.digits) digits): "))
    }

    @Test func eachPopulationSaysHowFarApartItsWritersRead() {
        var hand = EvaluationReport()
        (hand.documents, hand.digits, hand.digitsRight) = (3, 40, 38)
        hand.writerDigits = ["0080": 10, "0216": 20, "0024": 10]
        hand.writerDigitsRight = ["0080": 8, "0216": 20, "0024": 10]
        var report = EvaluationReport()
        report.byHand["cvl@test"] = hand
        report.populations["cvl@test"] = "European (CVL)"
        #expect(
            report.handLines[2]
                == "    per writer (3 writers): digits right from 80.00 % (writer 0080) to 100.00 % (writer 0216), 93.33 % the writers' mean")
        hand.writerDigits = ["0080": 10]
        report.byHand["cvl@test"] = hand
        #expect(!report.handLines.contains { $0.contains("per writer") }, "one writer has no spread")
    }

    @Test func fromFiveWritersOnAPopulationSaysWhereItsNextWritersMayRead() throws {
        var hand = EvaluationReport()
        hand.writerDigits = ["a": 100, "b": 100, "c": 100, "d": 100, "e": 100, "f": 100]
        hand.writerDigitsRight = ["a": 86, "b": 99, "c": 97, "d": 98, "e": 96, "f": 100]
        (hand.documents, hand.digits, hand.digitsRight) = (6, 600, 576)
        let interval = try #require(hand.writerInterval)
        #expect(interval.lower < hand.digitAccuracy && hand.digitAccuracy < interval.upper)
        #expect(interval.lower >= 0.86 && interval.upper <= 1.0)
        #expect(interval.lower < 0.95, "one weak writer in six pulls the lower end well below the pooled 96 %")
        #expect(hand.writerSpread?.hasSuffix("; new writers of this population: \(EvaluationReport.percent(interval.lower)) to \(EvaluationReport.percent(interval.upper)) (95 % interval over the writers)") == true)
        var report = EvaluationReport()
        report.byHand["cvl@test"] = hand
        #expect(report.summary["by_hand.cvl@test.digit_accuracy_new_writers_low"] == interval.lower)
        #expect(report.summary["digit_accuracy_new_writers_low"] == nil, "writers of different populations are not resampled together")
        // Writers who all read alike leave nothing to resample.
        hand.writerDigitsRight = ["a": 97, "b": 97, "c": 97, "d": 97, "e": 97, "f": 97]
        #expect(hand.writerInterval?.lower == 0.97 && hand.writerInterval?.upper == 0.97)
        hand.writerDigits = ["a": 100, "b": 100, "c": 100, "d": 100]
        #expect(hand.writerInterval == nil, "four writers are too few to resample")
    }

    @Test func digitFiguresAreSplitByTheModelThatReadEachField() async throws {
        let batch = try await Self.batch
        // The same batch as if document 2 had been read by a learned model, and one of document
        // 1's fields re-read by it.
        let copy = batch.dir + "/two-models.sqlite"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: batch.store, toPath: copy)
        try await DatabaseQueue(path: copy).write { db in
            try db.execute(sql: "UPDATE page SET model = 'digits@learned00001' WHERE serial = 2")
            try db.execute(
                sql: "UPDATE reading SET model = 'digits@learned00001' WHERE id = (SELECT min(id) FROM reading WHERE serial = 1 AND kind = 'digits')")
        }
        let report = try await Evaluator(templates: [Fixtures.rskK4], store: try SQLiteStore(path: copy)).evaluate(truthDirectory: batch.dir + "/scans")
        #expect(report.byModel.count == 2)
        let learned = try #require(report.byModel["digits@learned00001"])
        let base = try #require(report.byModel.first { $0.key != "digits@learned00001" }?.value)
        #expect(base.digits + learned.digits == report.digits)
        #expect(base.accepted + base.queued + learned.accepted + learned.queued == report.fieldsByKind["digits"])
        #expect(learned.digits > 0 && base.digits > 0)
        let text = report.lines.joined(separator: "\n")
        #expect(text.contains("by digit model, digit fields only"))
        #expect(text.contains("  digits@learned00001 (\(learned.accepted + learned.queued) fields, \(learned.digits) digits): "))
        #expect(report.summary["by_model.digits@learned00001.digit_accuracy"] == learned.digitAccuracy)
    }

    @Test func evalJSONHasTheDocumentedKeys() async throws {
        let batch = try await Self.batch
        let (status, output) = try await Fixtures.runPindai(["eval", "--truth", batch.dir + "/scans", "--store", batch.store, "--json"])
        #expect(status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Double]
        for key in [
            "checkbox_accuracy", "digit_accuracy", "field_exact_rate", "queued_share", "accepted_error_rate",
            "by_hand.mnist@test.digit_accuracy", "by_hand.mnist@validation.digit_error_after_rejecting_10pct",
        ] {
            let value = try #require(object?[key], "missing \(key)")
            #expect((0...1).contains(value))
        }
    }

    @Test func exportWritesOneRowPerDocument() async throws {
        let batch = try await Self.batch
        let csv = try await Fixtures.runPindai(["export", "--store", batch.store, "--format", "csv"])
        #expect(csv.status == 0)
        let lines = csv.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("form,version,serial,pages_missing,fields_queued,101,101.confidence,101.status,"))
        #expect(lines[1].hasPrefix("RSK-K4,1,1,"))
        let jsonl = try await Fixtures.runPindai(["export", "--store", batch.store, "--format", "jsonl"])
        let rows = jsonl.output.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(rows.count == 2 && rows.allSatisfy { ($0?["fields"] as? [String: Any])?.count ?? 0 > 300 })
    }

    @Test func exceptionsListSaysThereAreNone() async throws {
        let batch = try await Self.batch
        let (status, output) = try await Fixtures.runPindai(["exceptions", "--store", batch.store])
        #expect(status == 0)
        #expect(output == "no exceptions\n" || output.contains("blank-page"))
    }
}
