import ArgumentParser
import DigitRecognition
import Evaluation
import Foundation
import Vocabulary

/// `pindai calibrate`: fit the digit-confidence map on a synthetic batch with known truth.
struct CalibrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the map from Tesseract's raw digit confidence to the probability of being right.",
        discussion: """
            Fit on digits of validation writers only (synth --digits validation), never on a batch \
            `eval` will judge, so the reported accuracy and reliability stay honest: the command \
            refuses a batch written with any other part unless --any-hand is given.

            Example:
              pindai synth --template form-templates/rsk-k4.yaml --count 60 --seed 11 --digits validation --out out/cal
              pindai ingest out/cal --store out/cal.sqlite
              pindai calibrate --truth out/cal --store out/cal.sqlite
            """
    )

    @Option(help: "Folder with synth's *.truth.json files.")
    var truth: String

    @Option(help: "Where to write the map (default: beside the model, models/digits.calibration.json).")
    var out: String?

    @Flag(help: "Accept a batch whose digits are not all from validation parts.")
    var anyHand = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() async throws {
        let store = try await storeOptions.open()
        let report = try await Evaluator(templates: try templateOptions.load(), store: store).evaluate(truthDirectory: truth)
        let foreign = report.byHand.keys.filter { !$0.hasSuffix("@validation") }.sorted()
        if !anyHand, !foreign.isEmpty {
            throw CLIError(
                "\(truth) holds digits from \(foreign.joined(separator: ", ")), not only validation parts: a map fitted there "
                    + "would be judged on its own digits.\nMake the batch with `synth --digits validation`, or pass --any-hand.")
        }
        // The map is for digits whose field keeps its own rules; the others are capped at
        // their own observed rate below, so they must not drag the map down.
        let samples = report.digitSamples.filter { !$0.fieldRuleBroken }.map { (raw: $0.raw, right: $0.right) }
        guard samples.count >= 200 else { throw CLIError("only \(samples.count) digits in \(truth); calibrate on at least 200") }
        let name = (truth as NSString).lastPathComponent
        let hands = report.byHand.keys.sorted().joined(separator: ", ")
        var calibration = DigitCalibration.fit(samples, fittedOn: "synthetic batch \(name), \(report.documents) documents (\(hands))")
        let broken = report.digitSamples.filter(\.fieldRuleBroken)
        if broken.count >= 20 {
            let p = (Double(broken.filter(\.right).count) + 0.5) / (Double(broken.count) + 1)
            calibration.fieldRuleBroken = p.roundedForStorage
        }
        let path = try out ?? ((modelOptions.locate()?.directory ?? RepositoryRoot.locate() + "/models") + "/digits.calibration.json")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(calibration).write(to: URL(fileURLWithPath: path))
        print("fitted on \(samples.count) digits (\(String(format: "%.2f", report.digitAccuracy * 100)) % right); \(calibration.knots.count) knots written to \(path)")
        if let p = calibration.fieldRuleBroken {
            print("digits of fields that break their own rules: \(broken.count), \(String(format: "%.2f", p * 100)) % right; their confidence is capped there")
        }
        for k in calibration.knots {
            print(String(format: "  raw %.4f → %.4f", k.raw, k.probability))
        }
    }
}
