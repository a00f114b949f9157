import ArgumentParser
import Foundation
import Store
import Verification

/// `pindai store push`: a field office's store merged into the central one.
struct StoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Move captured work between stores: a field office's SQLite file into the central store.",
        subcommands: [Push.self]
    )

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge a field office's SQLite store into another store, exactly once; safe to run again.",
            discussion: """
                Each file is claimed in the target by its content (SHA-256), as an ingest machine claims it, and \
                its pages, readings (with what the office verified), field images and exceptions are stored \
                there; a file the target already holds is skipped, and a push broken off midway resumes where it \
                stopped. The target then reviews the pushed batches: doubtful fields join its verification \
                queue, clean and complete families go to its core store. The office file is only read.

                Example:
                  pindai store push --from kutai.sqlite --to postgres://pindai@db:5432/regsosek
                """
        )

        @Option(help: ArgumentHelp("The field office's SQLite store (only read).", valueName: "file"))
        var from: String

        @Option(help: ArgumentHelp("The store to merge into (default: $PINDAI_STORE).", valueName: "store"))
        var to: String?

        @OptionGroup var coreOptions: CoreOptions
        @OptionGroup var templateOptions: TemplateOptions

        func validate() throws {
            guard !PostgresLocation.names(from) else { throw ValidationError("--from names the field office's SQLite file, not a server") }
            guard FileManager.default.fileExists(atPath: from) else { throw ValidationError("--from \(from): no such file") }
            guard to != nil || ProcessInfo.processInfo.environment["PINDAI_STORE"]?.isEmpty == false else {
                throw ValidationError("name the store to merge into with --to (or PINDAI_STORE)")
            }
        }

        func run() async throws {
            let templates = try templateOptions.load()
            let source: SQLiteStore
            do {
                source = try SQLiteStore(path: from)
            } catch {
                throw CLIError("\(from): cannot open the field office's store: \(error)\n(check it is a pindai SQLite store)")
            }
            let targetOptions = try StoreOptions.parse(to.map { ["--store", $0] } ?? [])
            guard targetOptions.location != from else { throw CLIError("--from and --to name the same store") }
            let target = try await targetOptions.open()
            let summary: StorePush.Summary
            do {
                summary = try await StorePush(source: source, target: target).run()
            } catch {
                throw CLIError("push stopped: \(error)\n(everything pushed so far is kept; run the same command again to resume)")
            }
            let review = DocumentReview(templates: templates, store: target, core: try await coreOptions.open(beside: target))
            var promoted = 0
            var waiting = 0
            for batch in summary.batches.sorted() {
                let documents = try await review.refreshAll(batch: batch)
                promoted += documents.promoted
                waiting += documents.waiting
            }
            print("from: \(from)")
            print("to: \(targetOptions.display)")
            for line in summary.lines { print(line) }
            print("documents: \(promoted) promoted to the core store, \(waiting) waiting for verification")
            if !summary.heldElsewhere.isEmpty || !summary.unfinished.isEmpty { throw ExitCode(3) }
        }
    }
}
