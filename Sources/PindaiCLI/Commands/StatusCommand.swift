import ArgumentParser
import Foundation
import Monitoring
import Store

/// `pindai status`: the operators' dashboard in a terminal.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show throughput per stage, the verification queue, verifiers, exceptions, batches against their manifests, and alerts.",
        discussion: """
            Figures come from the store, so they include work done by every ingest and verify process.

            Examples:
              pindai status
              pindai status --watch
            """
    )

    @Flag(help: "Redraw every few seconds until interrupted.")
    var watch = false

    @Option(help: "Seconds between redraws with --watch.")
    var interval: Double = 2

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let store = try await storeOptions.open()
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        repeat {
            let snapshot = try await store.status()
            let text = StatusReport.lines(snapshot, clock: formatter.string(from: snapshot.at)).joined(separator: "\n")
            print((watch ? "\u{1B}[H\u{1B}[2J" : "") + text)
            if watch { try await Task.sleep(for: .seconds(interval)) }
        } while watch
    }
}

/// `pindai batch create`: a batch manifest.
struct BatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Manage batch manifests: what a scanning room should deliver.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create (or update) a batch manifest; ingest attaches pages to it with --batch NAME.",
            discussion: """
                Example:
                  pindai batch create kec-010 --expect-documents 50 --area 6472010 --serials 1-50
                """
        )

        @Argument(help: "Batch name.")
        var name: String

        @Option(help: "How many documents the batch should hold.")
        var expectDocuments: Int

        @Option(help: "Area code (e.g. the BPS code of the SLS or kecamatan).")
        var area: String?

        @Option(help: "The printed serials expected, as FIRST-LAST (lets status list missing and unexpected serials).")
        var serials: String?

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            var range: ClosedRange<Int>?
            if let serials {
                let parts = serials.split(separator: "-").compactMap { Int($0) }
                guard parts.count == 2, parts[0] <= parts[1] else { throw ValidationError("--serials must look like 1-50") }
                range = parts[0]...parts[1]
                guard range!.count == expectDocuments else {
                    throw ValidationError("--serials \(serials) holds \(range!.count) serials but --expect-documents says \(expectDocuments)")
                }
            }
            let store = try await storeOptions.open()
            try await store.createBatch(name: name, expectedDocuments: expectDocuments, area: area, serials: range)
            print("batch \(name): expecting \(expectDocuments) document(s)" + (area.map { " from area \($0)" } ?? "") + (serials.map { ", serials \($0)" } ?? ""))
        }
    }
}
