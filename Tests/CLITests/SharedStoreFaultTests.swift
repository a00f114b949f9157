import Foundation
import Synchronization
import TestSupport
import Testing

/// The faults a shared store must survive, with real processes on a PostgreSQL server of each
/// test's own: a worker killed in the middle of a file, the server killed and restarted under an
/// ingest run and under a verifier.
@Suite(.serialized) struct SharedStoreFaultTests {
    /// Six 4-page RSK-K4 documents, one file each.
    static func scans(seed: Int) async throws -> String {
        let dir = Fixtures.temporaryDirectory()
        let synth = try await Fixtures.runPindai(["synth", "--template", Fixtures.rskK4Path, "--count", "6", "--seed", "\(seed)", "--out", dir + "/scans"])
        #expect(synth.status == 0, "\(synth.output)")
        return dir
    }

    /// Whether the server was restarted while the command ran (set by the restarting thread:
    /// the command was still running once the server took connections again).
    final class Overlap: Sendable {
        let happened = Mutex(false)
        func restart(_ server: PostgresServer, under pid: pid_t) {
            let done = (try? server.restartImmediately()) != nil
            happened.withLock { $0 = done && Fixtures.isRunning(pid) }
        }
        var value: Bool { happened.withLock { $0 } }
    }

    /// A flag one task raises and a watching thread reads.
    final class Flag: Sendable {
        private let raised = Mutex(false)
        func raise() { raised.withLock { $0 = true } }
        var value: Bool { raised.withLock { $0 } }
    }

    static let readPages = "SELECT count(*) FROM page WHERE status = 'read'"

    @Test func oneOfThreeIngestWorkersKilledMidFileLeavesEveryPageReadOnce() async throws {
        let server = try PostgresServer()
        let database = try server.newDatabase()
        let store = server.location(of: database)
        let dir = try await Self.scans(seed: 21)
        let ingest = ["ingest", dir + "/scans", "--batch", "b", "--store", store, "--workers", "1"]
        // The worker to be killed starts first and has read a page before the others start: on a
        // loaded machine, one started beside them could find every file claimed and exit at once.
        let othersStarted = Flag()
        async let killed = Fixtures.runPindai(ingest, send: .kill, when: { othersStarted.value && server.count(Self.readPages, in: database) >= 6 })
        #expect(await Fixtures.waitUntil { server.count(Self.readPages, in: database) >= 1 }, "the first worker reads a page")
        othersStarted.raise()
        async let first = Fixtures.runPindai(ingest)
        async let second = Fixtures.runPindai(ingest)
        let survivors = try await [first, second]
        let stopped = try await killed
        #expect(stopped.status == 128 + SIGKILL, "the first worker was killed mid-run: \(stopped.output)")
        for run in survivors { #expect(run.status == 0, "\(run.output)") }
        // The killed worker's file is resumed by the next run on the folder (its holder is dead).
        let again = try await Fixtures.runPindai(ingest)
        #expect(again.status == 0, "\(again.output)")
        #expect(server.count(Self.readPages, in: database) == 24, "every page of the six documents read")
        #expect(server.count("SELECT count(*) FROM exception", in: database) == 0, "no page read twice, none lost")
        #expect(server.count("SELECT count(*) FROM file WHERE status <> 'done'", in: database) == 0)
        let last = try await Fixtures.runPindai(ingest)
        #expect(last.output.contains("0 page(s) read, 0 exception(s), 6 file(s) already stored and skipped"), "\(last.output)")
    }

    @Test func aStorePushKilledMidwayIsResumedByTheNextWithEveryPageOnce() async throws {
        let server = try PostgresServer()
        let database = try server.newDatabase()
        let store = server.location(of: database)
        let dir = Fixtures.temporaryDirectory()
        let synth = try await Fixtures.runPindai(["synth", "--template", Fixtures.rskK4Path, "--count", "12", "--seed", "25", "--out", dir + "/scans"])
        #expect(synth.status == 0, "\(synth.output)")
        let office = dir + "/office.sqlite"
        let ingest = try await Fixtures.runPindai(["ingest", dir + "/scans", "--batch", "office", "--store", office])
        #expect(ingest.status == 0, "\(ingest.output)")
        let pages = Self.number(before: "page(s) read", in: ingest.output) ?? -1
        let push = ["store", "push", "--from", office, "--to", store]
        let killed = try await Fixtures.runPindai(push, send: .kill, when: { server.count("SELECT count(*) FROM page", in: database) >= 1 })
        #expect(killed.status == 128 + SIGKILL, "the push was killed midway: \(killed.output)")
        let before = server.count("SELECT count(*) FROM page", in: database)
        #expect(before > 0 && before < pages, "killed with \(before) of \(pages) pages pushed")
        // The killed push's claim is held by a dead process: the next push takes its file over.
        let again = try await Fixtures.runPindai(push)
        #expect(again.status == 0, "\(again.output)")
        #expect(server.count("SELECT count(*) FROM page WHERE status = 'read'", in: database) == pages, "every page pushed once")
        #expect(server.count("SELECT count(*) FROM exception WHERE reason = 'duplicate-page'", in: database) == 0, "none twice")
        #expect(server.count("SELECT count(*) FROM file WHERE status = 'reading'", in: database) == 0, "every file finished")
        let last = try await Fixtures.runPindai(push)
        #expect(last.output.contains("pushed 0 file(s): 0 page(s)"), "\(last.output)")
    }

    /// The number just before `label` in a command's output.
    static func number(before label: String, in text: String) -> Int? {
        guard let range = text.range(of: " " + label) else { return nil }
        return Int(text[..<range.lowerBound].split(separator: " ").last ?? "")
    }

    @Test func ingestAndAVerifierRideOutTheServerRestartedUnderThem() async throws {
        let server = try PostgresServer()
        let database = try server.newDatabase()
        let store = server.location(of: database)
        let dir = try await Self.scans(seed: 23)
        let duringIngest = Overlap()
        let ingest = try await Fixtures.runPindai(
            ["ingest", dir + "/scans", "--batch", "b", "--store", store], when: { server.count(Self.readPages, in: database) >= 4 }
        ) { pid in duringIngest.restart(server, under: pid) }
        #expect(ingest.status == 0, "\(ingest.output)")
        #expect(duringIngest.value, "the server was restarted while ingest ran")
        #expect(ingest.output.contains("24 page(s) read, 0 exception(s)"), "\(ingest.output)")
        #expect(server.count(Self.readPages, in: database) == 24)

        let duringVerify = Overlap()
        let verify = try await Fixtures.runPindai(
            ["verify", "--as", "ana", "--simulate-truth", dir + "/scans", "--store", store],
            when: { server.count("SELECT count(*) FROM decision", in: database) >= 20 }
        ) { pid in duringVerify.restart(server, under: pid) }
        #expect(verify.status == 0, "\(verify.output)")
        #expect(duringVerify.value, "the server was restarted while the verifier worked")
        #expect(server.count("SELECT count(*) FROM reviewItem WHERE claimedBy IS NOT NULL", in: database) == 0, "no item stays claimed")
        #expect(server.count("SELECT count(*) FROM (SELECT itemId FROM decision GROUP BY itemId, fieldId, action HAVING count(*) > 1) AS twice", in: database) == 0,
            "no item decided twice")
        let export = try await Fixtures.runPindai(["export", "records", "--store", store, "--out", dir + "/records.csv"])
        #expect(export.output.hasPrefix("exported 6 record(s)"), "\(export.output)")
    }
}
