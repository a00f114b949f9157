import ArgumentParser
import Foundation
import FormTemplate
import HandwrittenDigits
import Synthesis

/// `pindai synth`: filled, scanned-looking questionnaires with known truth.
struct SynthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate filled questionnaires that look scanned, each with a ground-truth JSON file.",
        discussion: """
            Digits are written with real handwriting: by default the held-out part of the bundled \
            MNIST digits (never used to train the recogniser). Same seed, same bytes.

            Examples:
              pindai synth --template form-templates/rsk-k4.yaml --count 50 --seed 7 --out out/batch7
              pindai synth --template form-templates/rsk-k4.yaml --count 5 --seed 1 --out out/png --format png
              pindai synth --template form-templates/rsk-k4.yaml --count 2 --seed 1 --out out/clean --clean
            """
    )

    @Option(help: "The form template (YAML).")
    var template: String

    @Option(help: "Number of documents.")
    var count: Int

    @Option(help: "Random seed (documents depend only on the seed and their serial).")
    var seed: UInt64

    @Option(help: "Output folder (created if missing).")
    var out: String

    @Option(help: "Handwritten digits: PREFIX-images.idx3-ubyte and PREFIX-labels.idx1-ubyte (default: the bundled held-out digits).")
    var digits: String?

    @Option(help: "tiff-g4 (one multi-page 1-bit TIFF per document), tiff-grey (multi-page grey TIFF), png or jpeg (one file per page).")
    var format: String = SynthesisRun.Format.tiffG4.rawValue

    @Option(help: "Serial number of the first document.")
    var serialStart: Int = 1

    @Option(help: "Resolution in dots per inch.")
    var dpi: Double = 300

    @Option(help: "Parallel workers (default: number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Write the filled pages without the scanner simulation (no skew, noise, upside-down or blank pages).")
    var clean = false

    @Option(help: "Share of families with more than five members, written as two sets (two documents with consecutive serials).")
    var largeFamilies: Double = 0.06

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard SynthesisRun.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(SynthesisRun.Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (100...600).contains(dpi) else { throw ValidationError("--dpi must be between 100 and 600") }
        guard (0...1).contains(largeFamilies) else { throw ValidationError("--large-families is a share between 0 and 1") }
        guard serialStart >= 0, serialStart + count < 10_000_000_000 else { throw ValidationError("serials must fit in 10 digits") }
    }

    func run() async throws {
        let form = try loadTemplate(template)
        let digitSet: DigitSet
        let subset: DigitSet.Subset
        do {
            if let digits {
                digitSet = try DigitSet(prefix: digits)
                subset = .all
            } else {
                digitSet = try DigitSet.bundled(root: RepositoryRoot.locate())
                subset = .heldOut
            }
        } catch {
            throw CLIError("\(error.description)\n(point --digits at an IDX pair: PREFIX-images.idx3-ubyte and PREFIX-labels.idx1-ubyte)")
        }
        var run = SynthesisRun(
            template: form, digits: digitSet, subset: subset, count: count, seed: seed, serialStart: serialStart,
            outputDirectory: out, format: SynthesisRun.Format(rawValue: format)!, clean: clean, dpi: dpi, workers: workers)
        run.largeFamilyShare = largeFamilies
        let started = Date()
        let results = try await run.run { result in
            print("wrote \(result.files.joined(separator: ", ")) (\(result.pageImages) page images)")
        }
        let pages = results.reduce(0) { $0 + $1.pageImages }
        let seconds = Date().timeIntervalSince(started)
        let twoSet = run.familyPlan().values.filter { $0.set == 2 }.count
        print(
            "synthesised \(results.count) document(s), \(pages) page images into \(out) in \(String(format: "%.1f", seconds)) s"
                + (twoSet > 0 ? "; \(twoSet) famil\(twoSet == 1 ? "y" : "ies") of more than five members fill two sets" : ""))
    }
}
