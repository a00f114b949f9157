import Clips
import DigitRecognition
import Foundation
import Learning
import Reading
import Store
import TestSupport
import Testing
import Vocabulary

/// Learning from verifiers: what is gathered, how it is split, when a model is refused, and that
/// re-reading never touches a person's decision.
@Suite(.serialized) struct LearningTests {
    static func verifyAll(_ dir: String) async throws {
        let run = try await Fixtures.runPindai([
            "verify", "--as", "sim", "--store", dir + "/s.sqlite", "--simulate-truth", Fixtures.repositoryRoot + "/scans",
            "--template", Fixtures.rskK4Path,
        ])
        #expect(run.status == 0, "\(run.output)")
    }

    @Test func onlyDigitsPeopleVouchedForAreGathered() async throws {
        let (dir, store, _) = try await sampleStore()
        #expect(try await store.labelledDigitFields(includeAccepted: false).isEmpty, "nothing is verified yet")
        try await Self.verifyAll(dir)
        let verified = try await store.labelledDigitFields(includeAccepted: false)
        #expect(!verified.isEmpty)
        #expect(verified.allSatisfy { $0.status == .verified })
        var queuedOrAccepted = 0
        for key in try await store.documentKeys(batch: nil) {
            for r in try await store.readings(form: key.form, serial: key.serial) where r.kind == "digits" && r.status == .verified && r.value?.isEmpty == false {
                queuedOrAccepted += 1
            }
        }
        #expect(verified.count == queuedOrAccepted)
        // Accepted digits come only from promoted records, and only when asked for.
        let promoted = Set(try await store.documents(batch: nil).map(\.serial))
        let withAccepted = try await store.labelledDigitFields(includeAccepted: true)
        #expect(withAccepted.count > verified.count)
        #expect(withAccepted.filter { $0.status == .accepted }.allSatisfy { promoted.contains($0.serial) })
        // Each gathered field cuts into a line of its filled boxes, one crop per digit.
        let cutter = ClipCutter { try await store.pageImage(id: $0) }
        let (lines, skipped) = try await LabelledLine.lines(from: verified, cutter: cutter)
        #expect(lines.count + skipped.values.reduce(0, +) == verified.count)
        #expect(skipped[.noInteriors] == nil, "ingest records where every box was cut")
        #expect(skipped[.badClip] == nil, "every field is cut from its stored page image")
        #expect(lines.allSatisfy { $0.crops.count == $0.text.count })

        // Two stores may both hold a document 1: learning from both keeps them apart.
        let twice = verified.map { var f = $0; f.origin = "kutai.sqlite"; return f } + verified.map { var f = $0; f.origin = "paser.sqlite"; return f }
        let documents = Set(try await LabelledLine.lines(from: twice, cutter: cutter).lines.map(\.document))
        #expect(documents.count == 2 * Set(lines.map(\.document)).count)
    }

    @Test func theHeldOutPartIsWholeDocumentsAndTheSameOnEveryRun() {
        let lines = (1...40).flatMap { doc in
            (0..<3).map { f in LabelledLine(document: "RSK-K4/\(doc)", fieldID: "\(100 + f)", crops: [], text: "1", status: .verified) }
        }
        let split = DocumentSplit()
        let (training, heldOut) = split.split(lines)
        let heldDocuments = Set(heldOut.map(\.document))
        #expect(heldDocuments.count == 10)
        #expect(Set(training.map(\.document)).isDisjoint(with: heldDocuments))
        #expect(training.count + heldOut.count == lines.count)
        #expect(split.split(lines.reversed()).heldOut.map(\.document).sorted() == heldOut.map(\.document).sorted())
        #expect(split.heldOut(["RSK-K4/1"]).isEmpty, "one document is kept for training")
    }

    @Test func trainingLinesNeverHoldAWholeIdentityNumber() {
        let nik = LabelledLine(document: "RSK-K4/1", fieldID: "403", crops: Array(repeating: .init(width: 4, height: 4, dpi: 300), count: 16), text: "6472031208850001", status: .verified)
        let pieces = nik.pieces(maxDigits: 8)
        #expect(pieces.map(\.text) == ["64720312", "08850001"])
        #expect(pieces.allSatisfy { $0.crops.count == $0.text.count })

        // Two NIKs of one document make two 16-box lines, each half of one and half of the other;
        // a lone NIK stays in halves; a short field stays whole.
        func field(_ document: Int, _ id: String, _ text: String) -> LabelledLine {
            LabelledLine(document: "RSK-K4/\(document)", fieldID: id, crops: Array(repeating: .init(width: 4, height: 4, dpi: 300), count: text.count), text: text, status: .verified)
        }
        let fields = [
            field(1, "403", "6472031208850001"), field(1, "403@2", "6472034507900002"), field(1, "405", "2"), field(2, "403", "6402011111110003"),
        ]
        let lines = LabelledLine.trainingLines(fields, maxDigits: 8)
        #expect(lines.map(\.text).sorted() == ["11110003", "2", "64020111", "6472031207900002", "6472034508850001"])
        #expect(lines.allSatisfy { $0.crops.count == $0.text.count })
        #expect(Set(lines.map(\.text)).isDisjoint(with: fields.filter { $0.text.count > 8 }.map(\.text)), "no line is anyone's number")
        #expect(lines.filter { $0.text.count == 16 }.allSatisfy { $0.document == "RSK-K4/1" }, "one hand a line")
    }

    @Test func aModelWorseOnEitherMeasureIsRefused() async throws {
        let base = HeldOutScore(digits: 1000, digitsRight: 0.95, errorAfterRouting10: 0.01)
        #expect(HeldOutScore(digits: 1000, digitsRight: 0.96, errorAfterRouting10: 0.009).worse(than: base) == nil)
        #expect(HeldOutScore(digits: 1000, digitsRight: 0.94, errorAfterRouting10: 0.005).worse(than: base)?.contains("fewer held-out digits right") == true)
        #expect(HeldOutScore(digits: 1000, digitsRight: 0.97, errorAfterRouting10: 0.02).worse(than: base)?.contains("more errors after routing") == true)

        // `model use` honours the card's verdict.
        let dir = Fixtures.temporaryDirectory()
        let model = dir + "/worse"
        try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.repositoryRoot + "/models/digits.traineddata", toPath: model + "/digits.traineddata")
        let worse = HeldOutScore(digits: 1000, digitsRight: 0.94, errorAfterRouting10: 0.02)
        try ModelCard(
            created: Date(), model: "digits@x", base: "digits@y", baseDirectory: "models", stores: ["s.sqlite"], documents: .init(training: 3, heldOut: 1), fields: [:],
            digits: .init(training: 100, heldOut: 20), skipped: [:], baseLines: 0, trainingLines: 10, iterations: 100, learningRate: 0.0001, seconds: .init(total: 1, training: 1),
            before: base, after: worse, refused: worse.worse(than: base)
        ).write(to: model)
        let run = try await Fixtures.runPindai(["model", "use", model, "--store", dir + "/s.sqlite"])
        #expect(run.status != 0)
        #expect(run.output.contains("not made the default") && run.output.contains("fewer held-out digits right"), "\(run.output)")
        #expect(try await SQLiteStore(path: dir + "/s.sqlite").defaultModel() == nil)
    }

    @Test func learnWritesAModelWithItsCardFromAVerifiedBatch() async throws {
        let (dir, store, _) = try await sampleStore()
        try await Self.verifyAll(dir)
        let out = dir + "/learned"
        // Seconds of training on the five sample documents: the loop, not the accuracy.
        let run = try await Fixtures.runPindai([
            "learn", "--store", dir + "/s.sqlite", "--out", out, "--base-lines", "0", "--iterations", "100", "--minutes", "5",
        ])
        #expect(run.status == 0 || run.status == 3, "\(run.output)")
        let card = try #require(ModelCard.load(directory: out))
        #expect(card.documents.heldOut == 1 && card.documents.training == 4)
        #expect(card.iterations >= 100)
        #expect(card.before.digits == card.after.digits && card.before.digits == card.digits.heldOut)
        #expect(FileManager.default.fileExists(atPath: out + "/digits.traineddata"))
        #expect(FileManager.default.fileExists(atPath: out + "/digits.calibration.json"))
        #expect(!FileManager.default.fileExists(atPath: out + "/.learn-work"), "the digit images go once the model is written")
        let markdown = try String(contentsOfFile: out + "/digits.card.md", encoding: .utf8)
        #expect(markdown.contains("held-out verified digits"))
        let chosen = try await store.defaultModel()
        #expect((chosen != nil) == (run.status == 0), "made the default only when it is not worse")
    }

    @Test func aRereadTouchesOnlyQueuedFieldsAndKeepsVerifiedValues() async throws {
        let (_, store, _) = try await sampleStore()
        let queued = try await store.queuedDigitFields(batch: "sample")
        #expect(queued.count >= 2)
        // A person takes a doubtful digit field and types a value the model would never read.
        let claimed = try #require(try await store.claimNext(verifier: "ana", field: queued[0].reading.fieldID, batch: nil, queue: .doubts))
        let first = try #require(queued.first { $0.serial == claimed.serial && $0.reading.fieldID == claimed.rule })
        let decided = String(repeating: "0", count: first.reading.value?.count ?? 2)
        try await store.decide(item: claimed, values: [claimed.rule: decided], action: .correct, verifier: "ana", seconds: 1, keystrokes: 3)

        let recognizer = try DigitRecognizer(directory: Fixtures.repositoryRoot + "/models", model: "digits")
        let rereader = Rereader(templates: [Fixtures.rskK4], store: store, reader: PageReader(recognizer: recognizer), model: "digits@test")
        let summary = try await rereader.run(batch: "sample")
        #expect(summary.queued == queued.count - 1, "the verified field is no longer queued")
        #expect(summary.unreadable == 0)
        // The same model on the same pixels reads the same values.
        #expect(summary.changes.filter(\.valueChanged).isEmpty)
        let after = try await store.readings(form: first.form, serial: claimed.serial).first { $0.fieldID == claimed.rule }
        #expect(after?.status == .verified)
        #expect(after?.value == decided)
    }
}
