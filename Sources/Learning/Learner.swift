import DigitRecognition
import Foundation
import Store
import Vocabulary

/// Fine-tunes the digit model on the digits verifiers vouched for: gathers their boxes from the
/// stores, holds out a share of the documents, trains on the rest mixed with lines of the base
/// recipe (so other hands are not forgotten), re-fits the calibration on the held-out digits and
/// writes a model folder with its card. Resumable: the work folder keeps the training files and
/// lstmtraining's checkpoint until the model is written.
package struct Learner: Sendable {
    /// The model to start from (a folder with `digits.traineddata`).
    package var baseDirectory: String
    /// The folder the new model is written to.
    package var outDirectory: String
    /// Wall-clock budget for the whole command.
    package var minutes: Double = 20
    /// lstmtraining iterations at most (the budget may stop it sooner).
    package var iterations = 20_000
    /// Learning rate (the base recipe's last phase ran at 0.0001).
    package var learningRate = 0.0001
    /// Lines of the base recipe mixed in; 0 learns from the verified digits alone.
    package var baseLines = 4_000
    /// The base recipe's line generator (`training/digits/gen_lines.py`).
    package var baseLineGenerator: String
    /// A number longer than this is cut into pieces of at most this many boxes, re-joined
    /// crosswise with another number's (``LabelledLine/trainingLines(_:maxDigits:)``): no image
    /// holds anyone's whole NIK.
    package var maxDigitsPerLine = 8
    /// Held-out share of documents.
    package var split = DocumentSplit()

    /// Creates a learner.
    package init(baseDirectory: String, outDirectory: String, baseLineGenerator: String) {
        (self.baseDirectory, self.outDirectory, self.baseLineGenerator) = (baseDirectory, outDirectory, baseLineGenerator)
    }

    /// What the learner reports as it goes.
    package enum Event: Sendable {
        /// A step begins or ends.
        case step(String)
        /// lstmtraining's progress: iteration, the most it will run, its rolling character error.
        case training(iteration: Int, of: Int, error: Double?, secondsLeft: Double)
    }

    /// The work folder (inside the output folder, owner-only: it holds digit images until the
    /// model is written).
    package var workDirectory: String { outDirectory + "/.learn-work" }

    /// Learns from `lines` (cut from labelled fields by ``LabelledLine/lines(from:cutter:)``;
    /// `skipped` says how many fields gave none and why) and writes the model and its card to
    /// ``outDirectory``.
    package func run(
        lines: [LabelledLine], skipped: [LabelledLine.Skip: Int], stores: [String], report: @escaping @Sendable (Event) -> Void
    ) throws -> ModelCard {
        let started = Date()
        let deadline = started.addingTimeInterval(minutes * 60)
        let tools = try TrainingTools.locate()
        guard let baseModel = Self.trainable(in: baseDirectory) else {
            throw LearningError("\(baseDirectory): no digits.float.traineddata or digits.traineddata to start from (--base names a model folder)")
        }
        let (training, heldOut) = split.split(lines)
        let trainingDocuments = Set(training.map(\.document)).count
        let heldOutDocuments = Set(heldOut.map(\.document)).count
        report(.step("\(lines.count) labelled fields from \(trainingDocuments + heldOutDocuments) documents: \(training.count) to learn from (\(trainingDocuments) documents), \(heldOut.count) held out (\(heldOutDocuments) documents)"))
        guard training.count >= 10, !heldOut.isEmpty else {
            throw LearningError(
                "too few verified digit fields to learn from (\(lines.count) in \(trainingDocuments + heldOutDocuments) documents; at least 10 fields and 2 documents are needed): verify a batch first (pindai verify)")
        }
        try makeDirectory(outDirectory)
        try makeDirectory(workDirectory)

        // 1. Training lines (long fields in pieces, re-joined across fields), written as Tesseract training files.
        let trainingLines = LabelledLine.trainingLines(training, maxDigits: maxDigitsPerLine)
        let fingerprint = "\(trainingLines.count)-\(DocumentSplit.hash(training.map { "\($0.document)/\($0.fieldID)/\($0.text.count)" }.joined(separator: ",")))"
        try resetIfStale(fingerprint: fingerprint)
        report(.step("writing \(trainingLines.count) training lines"))
        var verifiedFiles: [String] = []
        for (k, start) in stride(from: 0, to: trainingLines.count, by: 200).enumerated() {
            let chunk = trainingLines[start..<min(trainingLines.count, start + 200)].map { (crops: $0.crops, text: $0.text) }
            verifiedFiles.append(try TrainingChunk.write(Array(chunk), base: workDirectory + String(format: "/verified_%03d", k), tools: tools))
        }

        // 2. Lines of the base recipe (its generator and seed: the base model's own first lines).
        var baseFiles: [String] = []
        if baseLines > 0 {
            report(.step("generating \(baseLines) lines of the base recipe (training parts of MNIST, CVL, USPS, optdigits)"))
            guard let python = TrainingTools.find("python3") else {
                throw LearningError("python3 is needed to generate the base recipe's lines; run scripts/setup, or pass --base-lines 0")
            }
            let generator = URL(fileURLWithPath: baseLineGenerator)
            do {
                try tools.run(
                    python, [generator.path, workDirectory + "/base", "--lines", String(baseLines), "--seed", "1", "--chunk", "400", "--jobs", "1"],
                    deadline: deadline, line: nil)
            } catch {
                throw LearningError("\(error.message)\n(the base recipe's lines need python3 with numpy and pillow and the digit sources; pass --base-lines 0 to learn from the verified digits alone)")
            }
            guard Date() < deadline else {
                throw LearningError("generating \(baseLines) base lines took the whole budget of \(minutes) min; give more --minutes or fewer --base-lines")
            }
            let listed = (try? String(contentsOfFile: workDirectory + "/base/all.txt", encoding: .utf8)) ?? ""
            baseFiles = listed.split(separator: "\n").map(String.init)
        }
        // The verified lines are repeated until they are about as many as the base lines.
        let repeats = baseLines > 0 ? max(1, min(5, Int((Double(baseLines) / Double(max(1, trainingLines.count))).rounded()))) : 1
        let list = (0..<repeats).flatMap { _ in verifiedFiles } + baseFiles
        let listPath = workDirectory + "/train.txt"
        try write(list.joined(separator: "\n") + "\n", to: listPath)

        // 3. Fine-tuning, resumed from the checkpoint when one is there.
        let startLSTM = workDirectory + "/base.lstm"
        if !FileManager.default.fileExists(atPath: startLSTM) {
            try tools.run("combine_tessdata", ["-e", baseModel, startLSTM])
        }
        let checkpointPrefix = workDirectory + "/train/digits"
        try makeDirectory(workDirectory + "/train")
        let resumed = FileManager.default.fileExists(atPath: checkpointPrefix + "_checkpoint")
        report(.step(resumed ? "resuming training from its checkpoint" : "training: \(repeats)× the verified lines, mixed with \(baseFiles.isEmpty ? "no" : String(baseLines)) base lines"))
        let trainingStart = Date()
        let reserve = 60.0
        let trainingDeadline = deadline.addingTimeInterval(-reserve)
        guard trainingDeadline > Date() else { throw LearningError("--minutes leaves no time to train; give more minutes") }
        let lastIteration = IterationCounter()
        let cap = iterations
        try tools.run(
            "lstmtraining",
            [
                "--continue_from", startLSTM, "--traineddata", baseModel, "--model_output", checkpointPrefix,
                "--learning_rate", String(learningRate), "--train_listfile", listPath, "--max_iterations", String(iterations),
            ], deadline: trainingDeadline
        ) { text in
            guard let (iteration, error) = Self.progress(text) else { return }
            lastIteration.set(iteration)
            report(.training(iteration: iteration, of: cap, error: error, secondsLeft: trainingDeadline.timeIntervalSinceNow))
        }
        let trainingSeconds = Date().timeIntervalSince(trainingStart)
        guard FileManager.default.fileExists(atPath: checkpointPrefix + "_checkpoint") else {
            throw LearningError("training stopped before its first checkpoint (100 iterations); give more --minutes")
        }

        // 4. The model, its calibration re-fitted on the held-out digits, and the verdict.
        report(.step("writing the model and judging it on \(heldOut.count) held-out fields"))
        // The float model is the next learning's base; the integer one reads (a quarter less CPU
        // a digit, the same readings on lines with flat paper; see `DigitLine.white`).
        let checkpoint = checkpointPrefix + "_checkpoint"
        try tools.run(
            "lstmtraining",
            ["--stop_training", "--continue_from", checkpoint, "--traineddata", baseModel, "--model_output", outDirectory + "/" + Self.floatModel])
        try tools.run(
            "lstmtraining",
            ["--stop_training", "--convert_to_int", "--continue_from", checkpoint, "--traineddata", baseModel, "--model_output", outDirectory + "/digits.traineddata"])
        try? FileManager.default.removeItem(atPath: outDirectory + "/digits.calibration.json")
        // The second opinion is not learnt: the new model keeps the base's, so that base and new
        // model are judged, and then read, with the same one.
        let second = "/digits" + DigitRecognizer.secondOpinionSuffix + ".traineddata"
        try? FileManager.default.removeItem(atPath: outDirectory + second)
        if FileManager.default.fileExists(atPath: baseDirectory + second) {
            try? FileManager.default.copyItem(atPath: baseDirectory + second, toPath: outDirectory + second)
        }
        let baseRecognizer = try recognizer(baseDirectory)
        let before = HeldOutScore.measure(heldOut, recognizer: baseRecognizer).score
        let raw = HeldOutScore.measure(heldOut, recognizer: try recognizer(outDirectory)).samples
        var calibration = DigitCalibration.fit(
            raw.map { (raw: $0.raw, right: $0.right) }, fittedOn: "pindai learn: \(raw.count) held-out verified digits of \(heldOutDocuments) documents")
        calibration.fieldRuleBroken = baseRecognizer.calibration.fieldRuleBroken
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(calibration).write(to: URL(fileURLWithPath: outDirectory + "/digits.calibration.json"))
        } catch {
            throw LearningError("cannot write \(outDirectory)/digits.calibration.json: \(error)")
        }
        let after = HeldOutScore.measure(heldOut, recognizer: try recognizer(outDirectory)).score
        var fieldCounts: [String: Int] = [:]
        for line in training { fieldCounts["\(line.status.rawValue), training", default: 0] += 1 }
        for line in heldOut { fieldCounts["\(line.status.rawValue), held out", default: 0] += 1 }
        let card = ModelCard(
            created: Date(), model: DigitRecognizer.identity(directory: outDirectory, model: "digits"),
            base: DigitRecognizer.identity(directory: baseDirectory, model: "digits"), baseDirectory: baseDirectory, stores: stores,
            documents: .init(training: trainingDocuments, heldOut: heldOutDocuments), fields: fieldCounts,
            digits: .init(training: training.reduce(0) { $0 + $1.text.count }, heldOut: heldOut.reduce(0) { $0 + $1.text.count }),
            skipped: Dictionary(uniqueKeysWithValues: skipped.map { ($0.key.rawValue, $0.value) }), baseLines: baseFiles.isEmpty ? 0 : baseLines,
            trainingLines: trainingLines.count, iterations: lastIteration.value, learningRate: learningRate,
            seconds: .init(total: Date().timeIntervalSince(started), training: trainingSeconds), before: before, after: after, refused: after.worse(than: before))
        do {
            try card.write(to: outDirectory)
        } catch {
            throw LearningError("cannot write the model card in \(outDirectory): \(error)")
        }
        // The digit images go with the work folder; only the model and its card stay.
        try? FileManager.default.removeItem(atPath: workDirectory)
        return card
    }

    /// The float model a model folder keeps for training (an integer model cannot be trained
    /// further), named beside the integer `digits.traineddata` that reads.
    package static let floatModel = "digits.float.traineddata"

    /// The model in `directory` training can start from: its float model, else its only model
    /// (a folder written before models were read as integers).
    static func trainable(in directory: String) -> String? {
        [floatModel, "digits.traineddata"].map { directory + "/" + $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// `(training iteration, rolling character error)` from a line of lstmtraining's output:
    /// `At iteration 300/300/300, Mean rms=1.2%, delta=4.5%, BCER train=6.7%, …`.
    static func progress(_ line: String) -> (Int, Double?)? {
        guard line.hasPrefix("At iteration "), let slash = line.firstIndex(of: "/") else { return nil }
        let rest = line[line.index(after: slash)...]
        guard let iteration = Int(rest.prefix { $0.isNumber }) else { return nil }
        var error: Double?
        if let range = line.range(of: "BCER train=") {
            error = Double(line[range.upperBound...].prefix { $0.isNumber || $0 == "." }).map { $0 / 100 }
        }
        return (iteration, error)
    }

    private func recognizer(_ directory: String) throws(LearningError) -> DigitRecognizer {
        do {
            return try DigitRecognizer(directory: directory, model: "digits")
        } catch {
            throw LearningError("cannot load the model in \(directory): \(error)")
        }
    }

    /// A run over other training lines than the work folder's starts afresh.
    private func resetIfStale(fingerprint: String) throws(LearningError) {
        let path = workDirectory + "/fingerprint"
        let old = try? String(contentsOfFile: path, encoding: .utf8)
        if old != fingerprint {
            try? FileManager.default.removeItem(atPath: workDirectory)
            try makeDirectory(workDirectory)
            try write(fingerprint, to: path)
        }
    }

    private func makeDirectory(_ path: String) throws(LearningError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LearningError("cannot create \(path): \(error)")
        }
    }

    private func write(_ text: String, to path: String) throws(LearningError) {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw LearningError("cannot write \(path); check the folder is writable")
        }
    }
}

/// The last training iteration lstmtraining reported (its output arrives on another thread).
private final class IterationCounter: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private let lock = NSLock()
    private var stored = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    func set(_ v: Int) {
        lock.lock()
        stored = v
        lock.unlock()
    }
}
