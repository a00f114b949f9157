import Foundation
import Monitoring
import Store
import TestSupport
import Testing
import Vocabulary

/// The operators' dashboard.
@Suite struct StatusTests {
    func snapshot(queue: Int = 40, created5: Int = 120, decided5: Int = 60, pagesLast5: Int = 50) -> StatusSnapshot {
        var s = StatusSnapshot(
            at: Date(timeIntervalSince1970: 0),
            stages: [
                .init(name: "files", total: 12, last1: 1, last5: 3, last60: 12),
                .init(name: "pages read", total: 48, last1: 10, last5: pagesLast5, last60: 48),
                .init(name: "exceptions", total: 2, last1: 0, last5: 1, last60: 2),
                .init(name: "fields queued", total: 400, last1: 30, last5: 120, last60: 400),
                .init(name: "items closed", total: 300, last1: 20, last5: 60, last60: 300),
                .init(name: "records promoted", total: 7, last1: 1, last5: 2, last60: 7),
            ],
            queueOpen: queue, queueReferred: 1, oldestSeconds: 1500, created5: created5, decided5: decided5,
            verifiers: [.init(name: "ana", items: 180, keysPerItem: 1.31, disagreement: 0.05), .init(name: "bob", items: 120, keysPerItem: 1.52, disagreement: nil)],
            exceptions: [.blankPage: 1, .unregistrable: 1],
            batches: [.init(name: "kec-010", expected: 15, area: "6472010", scanned: 12, promoted: 7, missing: [3, 4, 5, 9], unexpected: [99])])
        s.models = [
            .init(name: "digits@0affcb0c77b8", pages: 20, digitFields: 1_540, autoAccepted: 1_302),
            .init(name: "digits@5e1f0a9c2b77", pages: 28, digitFields: 2_156, autoAccepted: 1_897),
        ]
        return s
    }

    @Test func theDashboardTextIsExactlyThis() {
        #expect(StatusReport.lines(snapshot()).joined(separator: "\n") == """
            pindai status

            stage                 total    1 min    5 min   60 min  per min (5)
            files                    12        1        3       12          0.6
            pages read               48       10       50       48         10.0
            exceptions                2        0        1        2          0.2
            fields queued           400       30      120      400         24.0
            items closed            300       20       60      300         12.0
            records promoted          7        1        2        7          0.4

            queue: 40 waiting, oldest 25 min, 1 referred; last 5 min: 120 in, 60 out
            verifiers (last hour):
              ana          180 items/h, 1.31 keys per item, double-entry disagreement 5.0 %
              bob          120 items/h, 1.52 keys per item
            exceptions: 1 blank-page, 1 unregistrable
            digit models (pages read in the last hour · their digit fields accepted without a person):
              digits@0affcb0c77b8    20 pages · 84.5 % of 1540 digit fields
              digits@5e1f0a9c2b77    28 pages · 88.0 % of 2156 digit fields
            batches:
              kec-010      12 of 15 documents scanned, 7 promoted, area 6472010, missing serials 3-5, 9, unexpected serials 99
            alerts: 
              ! the verification queue grows faster than it drains (120 items in, 60 out in 5 min): add verifiers
              ! 1 item(s) wait for a supervisor (pindai verify --referred)
            """)
    }

    @Test func starvingStagesRaiseAlerts() {
        let idleVerifiers = StatusReport.alerts(snapshot(queue: 0, created5: 0, decided5: 30))
        #expect(idleVerifiers.contains("verifiers are waiting for work: recognition or scanning is the bottleneck"))
        let stalled = StatusReport.alerts(snapshot(pagesLast5: 0))
        #expect(stalled.contains("no pages read for 5 minutes while batches are incomplete: check the scanners and ingest"))
        #expect(!StatusReport.alerts(snapshot(created5: 60, decided5: 60)).contains { $0.hasPrefix("the verification queue grows") })
    }

    @Test func batchManifestsReconcileExpectedAndScannedSerials() async throws {
        let dir = Fixtures.temporaryDirectory()
        let store = dir + "/s.sqlite"
        let created = try await Fixtures.runPindai(["batch", "create", "sample", "--expect-documents", "6", "--area", "6472", "--serials", "2-7", "--store", store])
        #expect(created.output == "batch sample: expecting 6 document(s) from area 6472, serials 2-7\n")
        let ingest = try await Fixtures.runPindai(["ingest", Fixtures.repositoryRoot + "/scans", "--batch", "sample", "--store", store, "--template", Fixtures.rskK4Path])
        #expect(ingest.status == 0)
        let status = try await Fixtures.runPindai(["status", "--store", store])
        #expect(status.output.contains("  sample       5 of 6 documents scanned, 0 promoted, area 6472, missing serials 6-7, unexpected serials 1\n"))
        #expect(status.output.contains("exceptions: 1 blank-page\n"))
        let bad = try await Fixtures.runPindai(["batch", "create", "x", "--expect-documents", "3", "--serials", "1-5", "--store", store])
        #expect(bad.status == 64 && bad.output.hasPrefix("Error: --serials 1-5 holds 5 serials but --expect-documents says 3"))
    }
}
