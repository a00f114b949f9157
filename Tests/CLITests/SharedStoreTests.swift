import Foundation
import TestSupport
import Testing

/// One PostgreSQL store shared by several processes, as a regency office runs it from the
/// README: two ingest processes on one scan folder, eight verifiers on one queue, the dashboard
/// and the export on the same server.
@Suite(.serialized) struct SharedStoreTests {
    /// The number before `label` in `text` (12 for "page(s) read" in "…: 12 page(s) read").
    static func number(before label: String, in text: String) -> Int? {
        guard let range = text.range(of: " " + label) else { return nil }
        return Int(text[..<range.lowerBound].split(separator: " ").last ?? "")
    }

    @Test func twoIngestProcessesAndEightVerifiersOnOneServerEndWithEveryRecordOnce() async throws {
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

        // Eight verifier processes on one queue; each simulated person pauses on every item, so
        // they all work together however long the later ones take to start.
        let verifiers = try await withThrowingTaskGroup(of: (status: Int32, output: String).self) { group in
            for n in 1...8 {
                group.addTask {
                    try await Fixtures.runPindai(
                        ["verify", "--as", "v\(n)", "--simulate-truth", dir + "/scans", "--simulate-think-ms", "20", "--store", store], in: root)
                }
            }
            var runs: [(status: Int32, output: String)] = []
            for try await run in group { runs.append(run) }
            return runs
        }
        for run in verifiers { #expect(run.status == 0, "\(run.output)") }
        let twice = try await Fixtures.postgresValue(
            "SELECT count(*) FROM (SELECT itemId FROM decision WHERE action <> 'undo' GROUP BY itemId HAVING count(DISTINCT verifier) > 1) d", at: store)
        #expect(twice == "0", "items decided by two verifiers: \(twice)")
        let unaudited = try await Fixtures.postgresValue(
            "SELECT count(*) FROM reviewItem i WHERE status = 'done' AND NOT EXISTS (SELECT 1 FROM decision d WHERE d.itemId = i.id)", at: store)
        #expect(unaudited == "0", "decided items without an audit row: \(unaudited)")
        #expect(try await Fixtures.postgresValue("SELECT count(*) FROM reviewItem WHERE claimedBy IS NOT NULL OR status NOT IN ('done', 'resolved')", at: store) == "0")
        let workers = Int(try await Fixtures.postgresValue("SELECT count(DISTINCT verifier) FROM decision", at: store)) ?? 0
        #expect(workers >= 4, "the queue was shared: \(workers) verifier(s) decided items")
        // A family promoted while another verifier's last decision on it was being committed
        // would carry that field empty or stale: every verified member name and NIK of a
        // one-set family must be in the core store as verified.
        let stale = try await Fixtures.postgresValue(
            """
            SELECT count(*) FROM member_rsk_k4_v1 m JOIN reading r ON r.serial = m.serial AND r.fieldId IN ('m' || m.member || '.402', 'm' || m.member || '.403')
            WHERE r.status = 'verified' AND r.value IS DISTINCT FROM (CASE WHEN r.fieldId LIKE '%.402' THEN m.f_402 ELSE m.f_403 END)
            """, at: store)
        let verified = try await Fixtures.postgresValue("SELECT count(*) FROM reading WHERE status = 'verified' AND (fieldId LIKE '%.402' OR fieldId LIKE '%.403')", at: store)
        #expect(Int(verified) ?? 0 > 10 && stale == "0", "verified member values missing from the core store: \(stale) of \(verified)")

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

    /// A field office reads and partly verifies its scans in its own SQLite file, then pushes it
    /// to the central server twice (a retried push): everything arrives once, what the office
    /// keyed stays keyed, its exceptions come along, and the central queue finishes the records.
    @Test func aFieldOfficeStorePushedTwiceArrivesOnce() async throws {
        let dir = Fixtures.temporaryDirectory()
        let root = Fixtures.repositoryRoot
        let office = dir + "/office.sqlite"
        let store = try await Fixtures.newPostgresDatabase()
        let synth = try await Fixtures.runPindai([
            "synth", "--template", Fixtures.rskK4Path, "--count", "3", "--seed", "5", "--out", dir + "/scans",
        ])
        #expect(synth.status == 0, "\(synth.output)")
        try Data(repeating: 0x5A, count: 3000).write(to: URL(fileURLWithPath: dir + "/scans/broken.tif"))
        let ingest = try await Fixtures.runPindai(["ingest", dir + "/scans", "--batch", "kutai", "--store", office], in: root)
        #expect(ingest.output.contains("12 page(s) read, 1 exception(s)"), "\(ingest.output)")
        let keyed = try await Fixtures.runPindai(["verify", "--as", "office", "--keying", "--simulate-truth", dir + "/scans", "--store", office], in: root)
        #expect(keyed.status == 0, "\(keyed.output)")

        let push = try await Fixtures.runPindai(["store", "push", "--from", office, "--to", store], in: root)
        #expect(push.status == 0, "\(push.output)")
        #expect(push.output.contains("pushed 4 file(s): 12 page(s), 0 of them exception(s); 1 file exception(s)"), "\(push.output)")
        let again = try await Fixtures.runPindai(["store", "push", "--from", office, "--to", store], in: root)
        #expect(again.output.contains("pushed 0 file(s): 0 page(s), 0 of them exception(s); 0 file exception(s)\n4 file(s) already in the target store and skipped"), "\(again.output)")
        #expect(try await Fixtures.postgresValue("SELECT count(*) FROM page", at: store) == "12")
        #expect(try await Fixtures.postgresValue("SELECT count(*) FROM exception WHERE reason = 'undecodable'", at: store) == "1")
        // Every page arrives with its image and every reading with its place on it.
        #expect(try await Fixtures.postgresValue("SELECT count(*) FROM page p JOIN pageImage i ON i.pageId = p.id", at: store) == "12")
        #expect(try await Fixtures.postgresValue("SELECT count(*) FROM reading WHERE clipRect IS NULL", at: store) == "0")
        let officeKeyed = Self.number(before: "item(s),", in: keyed.output) ?? 0
        #expect(officeKeyed > 0, "\(keyed.output)")
        #expect(try await Fixtures.postgresValue("SELECT count(*) FROM reading WHERE status = 'verified'", at: store) == "\(officeKeyed)")
        #expect(try await Fixtures.postgresValue("SELECT count(*) FROM reviewItem WHERE kind = 'keying' AND status <> 'done'", at: store) == "0",
            "what the office keyed is not keyed again")

        let verify = try await Fixtures.runPindai(["verify", "--as", "central", "--simulate-truth", dir + "/scans", "--store", store], in: root)
        #expect(verify.status == 0, "\(verify.output)")
        let export = try await Fixtures.runPindai(["export", "records", "--format", "csv", "--store", store, "--out", dir + "/records.csv"], in: root)
        #expect(export.output.hasPrefix("exported 3 record(s)"), "\(export.output)")
    }
}
