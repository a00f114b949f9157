import ArgumentParser
import Clips
import Foundation
import Learning
import Store

/// `pindai learn`: a digit model fine-tuned on what the verifiers vouched for.
struct LearnCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "Fine-tune the digit model on the digits verifiers typed or confirmed, and judge it on held-out documents.",
        discussion: """
            Every digit a verifier typed or confirmed is a labelled sample of the hands the next batch \
            will bring. learn cuts those boxes from the stored field images exactly where the reader cut \
            them (and, unless --verified-only, the digits auto-accepted in records promoted to the core \
            store), holds out a quarter of the documents, fine-tunes the model on the rest mixed with \
            lines of the base recipe (so other hands are not forgotten), re-fits the calibration on the \
            held-out digits and writes a model folder with its card (counts and figures, never a value). \
            A long number is cut in halves, each re-joined with another number's of the same form, so \
            no image holds anyone's NIK; the images are deleted once the model is written.

            The new model becomes the default of every --store only when it is not worse than its base \
            on the held-out digits (digits right, and error left after routing the least sure 10 %); \
            otherwise learn says why and exits with 3. Killed, the same command resumes.

            Example:
              pindai learn --store pindai.sqlite --out models/kaltim-1
            """
    )

    @Option(name: .customLong("store"), help: ArgumentHelp("A store to gather verified digits from (repeatable; default: $PINDAI_STORE, else pindai.sqlite).", valueName: "store"))
    var stores: [String] = []

    @Option(help: ArgumentHelp("The model to start from (default: the first store's default model, else models/).", valueName: "dir"))
    var base: String?

    @Option(help: ArgumentHelp("Folder to write the new model to.", valueName: "dir"))
    var out: String

    @Option(help: "Minutes the whole command may take.")
    var minutes: Double = 20

    @Option(help: "lstmtraining iterations at most.")
    var iterations = 20_000

    @Option(help: "Lines of the base recipe mixed in (0: learn from the verified digits alone).")
    var baseLines = 4_000

    @Option(help: "Learning rate.")
    var learningRate = 0.0001

    @Flag(help: "Learn only from digits a person typed or confirmed, not also from those auto-accepted in records promoted to the core store.")
    var verifiedOnly = false

    @Flag(help: "Do not make the new model the stores' default, even when it is better.")
    var noUse = false

    func validate() throws {
        guard minutes > 0 else { throw ValidationError("--minutes must be positive") }
        guard iterations >= 100 else { throw ValidationError("--iterations must be at least 100 (one checkpoint)") }
        guard baseLines >= 0 else { throw ValidationError("--base-lines must not be negative") }
    }

    func run() async throws {
        var opened: [(options: StoreOptions, store: any PindaiStore)] = []
        for location in stores.isEmpty ? [nil] : stores.map(Optional.some) {
            let options = try StoreOptions.parse(location.map { ["--store", $0] } ?? [])
            opened.append((options, try await options.open()))
        }
        var lines: [LabelledLine] = []
        var skipped: [LabelledLine.Skip: Int] = [:]
        for (options, store) in opened {
            let fields = try await store.labelledDigitFields(includeAccepted: !verifiedOnly).map { field in
                var field = field
                if opened.count > 1 { field.origin = options.display }
                return field
            }
            let cut = try await LabelledLine.lines(from: fields, cutter: ClipCutter { try await store.pageImage(id: $0) })
            lines += cut.lines
            skipped.merge(cut.skipped, uniquingKeysWith: +)
        }
        let chosen = try await opened[0].store.defaultModel()
        let baseDirectory = base ?? chosen ?? RepositoryRoot.locate() + "/models"
        var learner = Learner(
            baseDirectory: baseDirectory, outDirectory: out, baseLineGenerator: RepositoryRoot.locate() + "/training/digits/gen_lines.py")
        learner.minutes = minutes
        learner.iterations = iterations
        learner.baseLines = baseLines
        learner.learningRate = learningRate
        let progress = ProgressLine()
        let card: ModelCard
        do {
            card = try learner.run(lines: lines, skipped: skipped, stores: opened.map(\.options.display)) { event in
                switch event {
                case .step(let text): progress.say(text)
                case .training(let iteration, let cap, let error, let left):
                    let err = error.map { String(format: ", rolling error %.1f %%", $0 * 100) } ?? ""
                    progress.update("training: iteration \(iteration) of at most \(cap)\(err), \(Int(max(0, left) / 60)) min \(Int(max(0, left)) % 60) s left in the budget")
                }
            }
        } catch let error as LearningError {
            progress.finish()
            throw CLIError("learn stopped: \(error.message)\n(run the same command again to resume)")
        }
        progress.finish()
        print(LearnReport.text(card, out: out))
        if let reason = card.refused {
            print("default: unchanged, the new model is worse than its base: \(reason)")
            throw ExitCode(3)
        }
        guard !noUse else {
            print("default: unchanged (--no-use); make it the default with: pindai model use \(out)")
            return
        }
        let directory = URL(fileURLWithPath: out).standardizedFileURL.path
        for (options, store) in opened {
            try await store.setDefaultModel(directory)
            print("default: \(out) now reads new pages in \(options.display)")
        }
    }
}

/// What `pindai learn` prints about the model it wrote.
enum LearnReport {
    static func text(_ card: ModelCard, out: String) -> String {
        let p = HeldOutScore.percent
        let width = max(card.base.count + 5, 20)
        func row(_ name: String, _ s: HeldOutScore) -> String {
            "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + p(s.digitsRight).leftPad(14) + p(s.errorAfterRouting10).leftPad(26)
        }
        return [
            "model: \(out) (\(card.model)), fine-tuned from \(card.base)",
            "learned from: \(card.digits.training) digits of \(card.documents.training) documents (\(card.trainingLines) lines), with \(card.baseLines) base-recipe lines; \(card.iterations) iterations in \(Int(card.seconds.training.rounded())) s",
            "held out: \(card.digits.heldOut) digits of \(card.documents.heldOut) documents",
            "  " + "".padding(toLength: width, withPad: " ", startingAt: 0) + "digits right".leftPad(14) + "error after routing 10 %".leftPad(26),
            row("base " + card.base, card.before),
            row("learned", card.after),
            "card: \(out)/digits.card.md",
        ].joined(separator: "\n")
    }
}

extension String {
    /// Right-aligned in `width` characters.
    func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
