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
        abstract: "Synthesise a batch, ingest it, and print pages/s end to end (G4 TIFF, grey PNG, grey JPEG), time per stage and peak memory.",
        discussion: """
            Synthesis is not timed; ingest is, from files on disk to rows in a fresh store.

            With --store postgres://… each format is read into a new database on that
            server; --runs 2 reads it with two ingest runs at once (each with its own
            claims and connection pool, as two machines would), and --verifiers 8 then
            has eight simulated verifiers work the queue at once and prints how long a
            claim of the next item takes.

            Example:
              pindai bench --documents 20
              pindai bench --json
              pindai bench --store postgres://postgres@127.0.0.1:5432/postgres \\
                --runs 2 --verifiers 8
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

    @Option(help: "A PostgreSQL server to bench on (postgres://user@host:port/db; each format gets a new database there). Default: a temporary SQLite file.")
    var store: String?

    @Option(help: "Ingest runs reading the batch at once, sharing its files through their claims.")
    var runs: Int = 1

    @Option(help: "Simulated verifiers claiming and deciding the batch's queued fields at once (0: none).")
    var verifiers: Int = 0

    func validate() throws {
        guard (1...8).contains(runs) else { throw ValidationError("--runs must be between 1 and 8") }
        guard (0...64).contains(verifiers) else { throw ValidationError("--verifiers must be between 0 and 64") }
        if let store, !PostgresLocation.names(store) { throw ValidationError("--store takes a postgres:// location; without it the bench uses a temporary SQLite file") }
    }

    /// A new, empty store for one format's run: a temporary SQLite file, or a new database on
    /// the server named by `--store`.
    func newStore(_ name: String, root: String) async throws -> String {
        guard let store else { return root + "/\(name).sqlite" }
        let database = "pindai_bench_\(getpid())_\(name.replacingOccurrences(of: "-", with: "_"))"
        return try await PostgresLocation(store).creatingDatabase(database).url
    }

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() async throws {
        let templates = try templateOptions.load()
        // The heaviest form (most fields) gives the conservative figure.
        guard let template = templates.max(by: { $0.fields.count < $1.fields.count }) else { throw CLIError("no template") }
        let digits = try DigitMix(source: DigitSource.named("mnist", root: RepositoryRoot.locate()), part: .test)
        let model = try modelOptions.locate()
        let root = NSTemporaryDirectory() + "pindai-bench-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        var results: [String: Any] = [
            "documents": documents, "workers": workers, "model": model?.name ?? "none", "runs": runs, "store": store == nil ? "sqlite" : "postgres",
        ]
        for format in [SynthesisRun.Format.tiffG4, .png, .jpeg] {
            let dir = root + "/" + format.rawValue
            if !json { print("synthesising \(documents) documents as \(format.rawValue)…") }
            _ = try await SynthesisRun(
                template: template, digits: digits, count: documents, seed: seed, outputDirectory: dir, format: format,
                workers: workers
            ).run()
            let location = try await newStore(format.rawValue, root: root)
            let started = Date()
            let summaries = try await withThrowingTaskGroup(of: IngestSummary.self) { group in
                for n in 0..<runs {
                    group.addTask {
                        var ingestor = Ingestor(
                            templates: templates, store: try await StoreLocation.open(location), batch: "bench", workers: max(1, workers / runs),
                            model: model.map { ($0.directory, $0.name) })
                        if runs > 1 { ingestor.owner = IngestOwner(host: "bench-machine-\(n + 1)", pid: getpid(), token: UUID().uuidString) }
                        return try await ingestor.run([dir])
                    }
                }
                var all: [IngestSummary] = []
                for try await summary in group { all.append(summary) }
                return all
            }
            var summary = summaries.reduce(into: IngestSummary()) { total, run in
                total.pagesHandled += run.pagesHandled
                for (k, v) in run.stageSeconds { total.stageSeconds[k, default: 0] += v }
            }
            summary.seconds = Date().timeIntervalSince(started)
            let pages = max(1, summary.pagesHandled)
            var stages: [String: Double] = [:]
            for (k, v) in summary.stageSeconds { stages[k] = (v / Double(pages) * 1000 * 10).rounded() / 10 }
            results[format.rawValue] = [
                "pages": summary.pagesHandled, "seconds": (summary.seconds * 100).rounded() / 100,
                "pages_per_second": (summary.pagesPerSecond * 100).rounded() / 100, "stage_ms_per_page": stages,
            ]
            if verifiers > 0 {
                let latency = try await ClaimBench(store: try await StoreLocation.open(location), verifiers: verifiers).run()
                results[format.rawValue + "_claims"] = ["items": latency.items, "median_ms": latency.medianMS, "p99_ms": latency.p99MS]
                if !json {
                    print(
                        String(
                            format: "  %d verifiers at once: %d items, claim of the next item median %.1f ms, 99th percentile %.1f ms", verifiers, latency.items,
                            latency.medianMS, latency.p99MS))
                }
            }
            let bytes = try await StoreLocation.open(location).storageBytes()
            let kBPerPage = (total: Double(bytes.total) / Double(pages) / 1000, images: Double(bytes.images) / Double(pages) / 1000)
            results[format.rawValue + "_store"] = [
                "kb_per_page": (kBPerPage.total * 10).rounded() / 10, "image_kb_per_page": (kBPerPage.images * 10).rounded() / 10,
            ]
            if let store { try await PostgresLocation(store).droppingDatabase(try PostgresLocation(location).database) }
            if !json {
                print("\(format.rawValue): \(summary.pagesHandled) pages in \(String(format: "%.2f", summary.seconds)) s = \(String(format: "%.2f", summary.pagesPerSecond)) pages/s")
                print("  per page (ms, summed over workers): " + ["decode", "identify", "register", "marks", "digits", "image", "store"].map { "\($0) \(stages[$0] ?? 0)" }.joined(separator: ", "))
                print(String(format: "  store: %.1f kB per page on disk, of which the page image %.1f kB", kBPerPage.total, kBPerPage.images))
            }
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024
        results["peak_memory_mib"] = (peakMiB * 10).rounded() / 10
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(
                "peak memory: \(String(format: "%.1f", peakMiB)) MiB (whole process, synthesis included); model: \(model?.name ?? "none"); workers: \(workers); "
                    + "store: \(store.map { (try? PostgresLocation($0).display) ?? $0 } ?? "SQLite"); ingest runs: \(runs)")
        }
    }
}
