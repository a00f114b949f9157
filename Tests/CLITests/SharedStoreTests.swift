import Foundation
import TestSupport
import Testing

/// One PostgreSQL store shared by several processes, as a regency office runs it from the
/// README: two ingest processes on one scan folder, two verifiers on one queue, the dashboard
/// and the export on the same server.
@Suite(.serialized) struct SharedStoreTests {
    /// The number before `label` in `text` (12 for "page(s) read" in "…: 12 page(s) read").
    static func number(before label: String, in text: String) -> Int? {
        guard let range = text.range(of: " " + label) else { return nil }
        return Int(text[..<range.lowerBound].split(separator: " ").last ?? "")
    }

    @Test func twoIngestProcessesAndTwoVerifiersOnOneServerEndWithEveryRecordOnce() async throws {
        let dir = Fixtures.temporaryDirectory()
        let root = Fixtures.repositoryRoot
        let store = try await Fixtures.newPostgresDatabase()
        let synth = try await Fixtures.runPindai([
            "synth", "--template", Fixtures.rskK4Path, "--count", "6", "--seed", "11", "--out", dir + "/scans",
        ])
        #expect(synth.status == 0, "\(synth.output)")
        async let first = Fixtures.runPindai(["ingest", dir + "/scans", "--batch", "shared", "--store", store, "--workers", "1"], in: root)
        async let second = Fixtures.runPindai(["ingest", dir + "/scans", "--batch", "shared", "--store", store, "--workers", "1"], in: root)
        let ingests = try await [first, second]
        for run in ingests { #expect(run.status == 0, "\(run.output)") }
        let read = ingests.compactMap { Self.number(before: "page(s) read", in: $0.output) }
        #expect(read.count == 2 && read.reduce(0, +) == 24, "each of the 24 pages read by one of the two: \(ingests.map(\.output))")
        let again = try await Fixtures.runPindai(["ingest", dir + "/scans", "--batch", "shared", "--store", store], in: root)
        #expect(again.output.contains("0 page(s) read, 0 exception(s), 6 file(s) already stored and skipped"), "\(again.output)")
        let exceptions = try await Fixtures.runPindai(["exceptions", "--store", store], in: root)
        #expect(!exceptions.output.contains("duplicate"), "\(exceptions.output)")

        async let ana = Fixtures.runPindai(["verify", "--as", "ana", "--simulate-truth", dir + "/scans", "--store", store], in: root)
        async let bob = Fixtures.runPindai(["verify", "--as", "bob", "--simulate-truth", dir + "/scans", "--store", store], in: root)
        let verifiers = try await [ana, bob]
        for run in verifiers { #expect(run.status == 0, "\(run.output)") }

        let status = try await Fixtures.runPindai(["status", "--store", store], in: root)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("pages read"), "\(status.output)")
        #expect(status.output.contains("records promoted"), "\(status.output)")

        let export = try await Fixtures.runPindai(["export", "records", "--format", "csv", "--store", store, "--out", dir + "/records.csv"], in: root)
        #expect(export.output.hasPrefix("exported 6 record(s)"), "every family once: \(export.output)")
        let csv = try String(contentsOfFile: dir + "/records.csv", encoding: .utf8)
        let serials = Set(csv.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").dropFirst(2).first })
        #expect(serials.count == 6)
    }
}
