import ArgumentParser
import Evaluation
import Foundation

/// `pindai eval --truth DIR`: the accuracy benchmark.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Compare the store with synth's ground truth: checkbox, digit and field accuracy, queue share, errors among accepted.",
        discussion: """
            Example:
              pindai synth --template form-templates/rsk-k4.yaml --count 50 --seed 7 --out out/b7
              pindai ingest out/b7 --batch b7 --store out/b7.sqlite
              pindai eval --truth out/b7 --store out/b7.sqlite
            """
    )

    @Option(help: "Folder with synth's *.truth.json files.")
    var truth: String

    @Flag(help: "Print one JSON object (fractions 0-1) instead of text.")
    var json = false

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() async throws {
        let store = try await storeOptions.open()
        let report: EvaluationReport
        do {
            report = try await Evaluator(templates: try templateOptions.load(), store: store).evaluate(truthDirectory: truth)
        } catch let error as EvaluationError {
            throw CLIError(error.description)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report.summary), as: UTF8.self))
        } else {
            for line in report.lines { print(line) }
        }
    }
}
