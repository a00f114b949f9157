import ArgumentParser
import FormTemplate
import Foundation
import HandwrittenDigits
import Ingest
import Store
import Synthesis

/// `pindai bench`: end-to-end speed on freshly synthesised batches.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Synthesise a batch, ingest it, and print pages/s end to end (G4 TIFF and grey PNG), time per stage and peak memory.",
        discussion: """
            Synthesis is not timed; ingest is, from files on disk to rows in a fresh store.

            Example:
              pindai bench --documents 20
              pindai bench --json
            """
    )

    @Option(help: "Documents per format (4 pages each).")
    var documents: Int = 20

    @Option(help: "Parallel ingest workers (default: number of cores).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Random seed of the synthetic batches.")
    var seed: UInt64 = 1000

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() async throws {
        let templates = try templateOptions.load()
        guard let template = templates.first else { throw CLIError("no template") }
        let digits = try DigitMix(source: DigitSource.named("mnist", root: RepositoryRoot.locate()), part: .test)
        let model = try modelOptions.locate()
        let root = NSTemporaryDirectory() + "pindai-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        var results: [String: Any] = ["documents": documents, "workers": workers, "model": model?.name ?? "none"]
        for format in [SynthesisRun.Format.tiffG4, .png] {
            let dir = root + "/" + format.rawValue
            if !json { print("synthesising \(documents) documents as \(format.rawValue)…") }
            _ = try await SynthesisRun(
                template: template, digits: digits, count: documents, seed: seed, outputDirectory: dir, format: format,
                workers: workers
            ).run()
            let store = try await StoreLocation.open(root + "/\(format.rawValue).sqlite")
            let ingestor = Ingestor(
                templates: templates, store: store, batch: "bench", workers: workers, model: model.map { ($0.directory, $0.name) })
            let summary = try await ingestor.run([dir])
            let pages = max(1, summary.pagesHandled)
            var stages: [String: Double] = [:]
            for (k, v) in summary.stageSeconds { stages[k] = (v / Double(pages) * 1000 * 10).rounded() / 10 }
            results[format.rawValue] = [
                "pages": summary.pagesHandled, "seconds": (summary.seconds * 100).rounded() / 100,
                "pages_per_second": (summary.pagesPerSecond * 100).rounded() / 100, "stage_ms_per_page": stages,
            ]
            if !json {
                print("\(format.rawValue): \(summary.pagesHandled) pages in \(String(format: "%.2f", summary.seconds)) s = \(String(format: "%.2f", summary.pagesPerSecond)) pages/s")
                print("  per page (ms, summed over workers): " + ["decode", "identify", "register", "marks", "digits", "clips", "store"].map { "\($0) \(stages[$0] ?? 0)" }.joined(separator: ", "))
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024
        results["peak_memory_mib"] = (peakMiB * 10).rounded() / 10
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("peak memory: \(String(format: "%.1f", peakMiB)) MiB (whole process, synthesis included); model: \(model?.name ?? "none"); workers: \(workers)")
        }
    }
}
