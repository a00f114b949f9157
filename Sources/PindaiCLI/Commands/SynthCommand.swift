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
            Digits are written with real handwriting, one writer per document: by default the \
            test part of every known source (MNIST, European CVL writers, US mail, NIST form), \
            none of which the recogniser trained on. Each truth file names the source, population \
            and writer of its digits, and `pindai eval` reports every figure per population. \
            Same seed, same bytes.

            --digits takes `test`, `validation` (the part calibration is fitted on), or a list of \
            NAME[@PART][:WEIGHT] (names: mnist, cvl, usps, optdigits; parts: train, validation, \
            test) and PREFIX[:WEIGHT] items, PREFIX naming an IDX pair from elsewhere \
            (PREFIX-images.idx3-ubyte, PREFIX-labels.idx1-ubyte, optional PREFIX-writers.txt).

            Examples:
              pindai synth --template form-templates/rsk-k4.yaml --count 50 --seed 7 --out out/batch7
              pindai synth --template form-templates/rsk-k4.yaml --count 5 --seed 1 --out out/png --format png
              pindai synth --template form-templates/rsk-k4.yaml --count 5 --seed 1 --out out/pdf --format pdf-colour --dpi 200 --duplex
              pindai synth --template form-templates/rsk-k4.yaml --count 2 --seed 1 --out out/clean --clean
              pindai synth --template form-templates/rsk-k4.yaml --count 24 --seed 5 --out out/eu --digits cvl@test:0.5,mnist@test:0.5
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

    @Option(help: "Whose handwriting: test, validation, or NAME[@PART][:WEIGHT],… and PREFIX[:WEIGHT] items (see above).")
    var digits: String = "test"

    @Option(
        help:
            "tiff-g4 (one multi-page 1-bit TIFF per document), tiff-grey, tiff-colour (LZW), pdf-g4 (a scanner's 1-bit PDF), pdf-colour (JPEG pages), png or jpeg (one file per page).")
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

    @Flag(help: "Scan in duplex: a back image follows every sheet (blank, or written on; see --inked-backs).")
    var duplex = false

    @Option(help: "With --duplex, the share of backs an enumerator wrote on.")
    var inkedBacks: Double = 0.1

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        guard SynthesisRun.Format(rawValue: format) != nil else {
            throw ValidationError("--format must be one of \(SynthesisRun.Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (100...600).contains(dpi) else { throw ValidationError("--dpi must be between 100 and 600") }
        guard (0...1).contains(largeFamilies) else { throw ValidationError("--large-families is a share between 0 and 1") }
        guard (0...1).contains(inkedBacks) else { throw ValidationError("--inked-backs is a share between 0 and 1") }
        guard serialStart >= 0, serialStart + count < 10_000_000_000 else { throw ValidationError("serials must fit in 10 digits") }
    }

    func run() async throws {
        let form = try loadTemplate(template)
        let mix: DigitMix
        do {
            mix = try DigitMix.parse(digits, root: RepositoryRoot.locate())
        } catch {
            throw CLIError(
                "--digits \(digits): \(error.description)\n(the CVL, USPS and optdigits sources are read from "
                    + "../shared/data/handwritten-digits-more beside the repository, or from $PINDAI_DIGITS_MORE; "
                    + "--digits mnist@test needs only the bundled digits)")
        }
        var run = SynthesisRun(
            template: form, digits: mix, count: count, seed: seed, serialStart: serialStart,
            outputDirectory: out, format: SynthesisRun.Format(rawValue: format)!, clean: clean, dpi: dpi, workers: workers)
        run.largeFamilyShare = largeFamilies
        if duplex { run.duplex = SynthesisRun.Duplex(inkedShare: inkedBacks) }
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
