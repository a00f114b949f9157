import Foundation
import Store
import TestSupport
import Testing
import Vocabulary

/// The behaviour every store backend owes its users, written once against the store's roles
/// and run on each backend (as GRDB runs one test body over each kind of writer). A second
/// backend joins by adding a case to ``Backend``.
@Suite struct StoreConformanceTests {
    /// The backends under test.
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite

        var testDescription: String { rawValue }

        /// A new, empty store.
        func open(_ name: String = #function) throws -> any PindaiStore {
            switch self {
            case .sqlite: try StoreLocation.open(Fixtures.temporaryDirectory("\(rawValue)\(name)") + "/s.sqlite")
            }
        }
    }

    /// The backends of ingest's role: SQLite, and a PostgreSQL server that `scripts/test` starts
    /// (its location in `PINDAI_TEST_POSTGRES`; without one the case fails, it is not skipped).
    enum CaptureBackend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite
        case postgres

        var testDescription: String { rawValue }

        /// A new, empty store: a new file, or a new database on the test server.
        func open(_ name: String = #function) async throws -> any CaptureStore & PageLookup {
            switch self {
            case .sqlite: return try SQLiteStore(path: Fixtures.temporaryDirectory("\(rawValue)\(name)") + "/s.sqlite")
            case .postgres:
                let server = try #require(
                    ProcessInfo.processInfo.environment["PINDAI_TEST_POSTGRES"], "no test server: run the tests with scripts/test, which starts one")
                let database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
                let location = try await PostgresLocation(server).creatingDatabase(database)
                return try await PostgresCaptureStore.open(location.url)
            }
        }
    }

    static let owner = IngestOwner(host: "test", pid: getpid(), token: "run-1")

    /// A read page of document `serial` with one queued digit field `403` and one accepted `101`.
    @Sendable func savePage(_ store: any CaptureStore, file: Int64, index: Int, serial: Int, page: Int = 1) async throws -> PageSaveOutcome {
        let record = PageRecord(fileID: file, pageIndex: index, status: .read, form: "RSK-K4", version: 1, pageNumber: page, serial: serial)
        let readings = [
            ReadingRecord(
                fieldID: "101", kind: "digits", value: "64", confidence: 0.99, status: .accepted, reason: nil,
                boxesJSON: BoxReading.encode([.init(digit: "6", code: nil, ink: 0.2, state: .read, confidence: 0.99)]), clipPNG: [1, 2, 3]),
            ReadingRecord(fieldID: "403", kind: "digits", value: "12", confidence: 0.4, status: .queued, reason: "low confidence", boxesJSON: "[]", clipPNG: []),
        ]
        return try await store.savePage(
            record, readings: readings, exception: ExceptionRecord(batch: "b", path: "a.tif", pageIndex: index, reason: .duplicatePage, detail: ""))
    }

    @Test(arguments: CaptureBackend.allCases)
    func aFileIsClaimedOnceByItsContent(backend: CaptureBackend) async throws {
        let store = try await backend.open()
        let batch = try await store.batchID(named: "b")
        guard case .claimed(let id, resumed: false) = try await store.claimFile(batchID: batch, path: "a.tif", sha256: "aa", size: 10, owner: Self.owner)
        else { Issue.record("the first sight of a content claims it"); return }
        #expect(try await store.claimFile(batchID: batch, path: "b.tif", sha256: "aa", size: 10, owner: Self.owner) == .duplicate(of: try #require(await store.file(sha256: "aa"))))
        try await store.finishFile(id: id, status: .done)
        guard case .alreadyStored = try await store.claimFile(batchID: batch, path: "a.tif", sha256: "aa", size: 10, owner: Self.owner) else {
            Issue.record("the same path again is already stored"); return
        }
        #expect(try await store.fileStatuses() == ["a.tif": .done])
    }

    @Test(arguments: CaptureBackend.allCases)
    func aPageIsStoredOnceAndTheSamePageElsewhereIsADuplicate(backend: CaptureBackend) async throws {
        let store = try await backend.open()
        let batch = try await store.batchID(named: "b")
        guard case .claimed(let first, _) = try await store.claimFile(batchID: batch, path: "a.tif", sha256: "a", size: 1, owner: Self.owner),
            case .claimed(let second, _) = try await store.claimFile(batchID: batch, path: "c.tif", sha256: "c", size: 1, owner: Self.owner)
        else { Issue.record("claims"); return }
        #expect(try await savePage(store, file: first, index: 0, serial: 7) == .saved)
        #expect(try await savePage(store, file: first, index: 0, serial: 7) == .alreadyStored)
        #expect(try await savePage(store, file: second, index: 0, serial: 7) == .duplicatePage(otherPath: "a.tif", otherIndex: 0))
        #expect(try await store.storedPageIndexes(fileID: first) == [0])
        #expect(try await store.readings(form: "RSK-K4", serial: 7).map(\.status) == [.accepted, .queued])
        #expect(try await store.exceptions(batch: nil).map(\.reason) == [.duplicatePage])
        #expect(try await store.clip(form: "RSK-K4", serial: 7, fieldID: "101") == [1, 2, 3])
        #expect(try await store.pageNumbers(form: "RSK-K4", version: 1, serial: 7) == [1])
    }

    @Test(arguments: CaptureBackend.allCases)
    func aFilesExceptionIsRecordedOncePerPathAndReason(backend: CaptureBackend) async throws {
        let store = try await backend.open()
        _ = try await store.batchID(named: "b")
        let e = ExceptionRecord(batch: "b", path: "x.pdf", pageIndex: nil, reason: .encrypted, detail: "needs a password")
        #expect(try await store.saveException(e, fileID: nil))
        #expect(try await !store.saveException(e, fileID: nil))
        #expect(try await store.exceptions(batch: "b").map(\.reason) == [.encrypted])
    }

    /// Three machines (each its own owner) claim the same twenty files at once: every file is
    /// read by exactly one of them, the others see it held or stored.
    @Test(arguments: CaptureBackend.allCases)
    func machinesClaimingTheSameFilesAtOnceReadEachOnce(backend: CaptureBackend) async throws {
        let store = try await backend.open()
        let batch = try await store.batchID(named: "b")
        let owners = (1...3).map { IngestOwner(host: "machine-\($0)", pid: 1, token: "run-\($0)") }
        let claims = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
            for owner in owners {
                for n in 0..<20 {
                    group.addTask {
                        let claim = try await store.claimFile(batchID: batch, path: "f\(n).tif", sha256: "sha-\(n)", size: 1, owner: owner)
                        if case .claimed = claim { return (n, true) }
                        return (n, false)
                    }
                }
            }
            var won: [Int: Int] = [:]
            for try await (n, claimed) in group where claimed { won[n, default: 0] += 1 }
            return won
        }
        #expect(claims.count == 20 && claims.values.allSatisfy { $0 == 1 }, "\(claims)")
    }

    /// Two machines store page 1 of the same document (two scans of one sheet) at the same
    /// moment: one read page and one duplicate-page exception, never two read pages.
    @Test(arguments: CaptureBackend.allCases)
    func theSamePageStoredFromTwoFilesAtOnceIsReadOnce(backend: CaptureBackend) async throws {
        let store = try await backend.open()
        let batch = try await store.batchID(named: "b")
        var files: [Int64] = []
        for n in 0..<6 {
            guard case .claimed(let id, _) = try await store.claimFile(batchID: batch, path: "s\(n).tif", sha256: "s\(n)", size: 1, owner: Self.owner)
            else { Issue.record("claim \(n)"); return }
            files.append(id)
        }
        let outcomes = try await withThrowingTaskGroup(of: PageSaveOutcome.self) { group in
            for file in files { group.addTask { try await savePage(store, file: file, index: 0, serial: 9) } }
            var all: [PageSaveOutcome] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes.filter { $0 == .saved }.count == 1, "\(outcomes)")
        #expect(try await store.pageNumbers(form: "RSK-K4", version: 1, serial: 9) == [1])
        #expect(try await store.exceptions(batch: nil).map(\.reason) == Array(repeating: .duplicatePage, count: 5))
    }

    /// Open → claimed → released → claimed → first entry → second entry by another verifier
    /// that disagrees → referred → a supervisor's correction → done; then undo.
    @Test(arguments: Backend.allCases)
    func anItemLivesAsTheStateMachineSays(backend: Backend) async throws {
        let store = try backend.open()
        #expect(try await store.openItem(form: "RSK-K4", version: 1, serial: 7, kind: .field, rule: "403", fields: ["403"], reason: "low", confidence: 0.4))
        #expect(try await !store.openItem(form: "RSK-K4", version: 1, serial: 7, kind: .field, rule: "403", fields: ["403"], reason: "low", confidence: 0.4))
        let item = try #require(try await store.claimNext(verifier: "ana"))
        #expect(item.status == .claimed && item.claimedBy == "ana")
        #expect(try await store.claimNext(verifier: "bob") == nil, "never one item to two verifiers")
        try await store.release(itemID: item.id, verifier: "ana")
        #expect(try await store.item(id: item.id)?.status == .open)
        let again = try #require(try await store.claimNext(verifier: "ana"))
        try await store.decide(item: again, values: ["403": "12"], action: .firstEntry, verifier: "ana", seconds: 1, keystrokes: 3, firstEntry: "12")
        #expect(try await store.item(id: item.id)?.status == .secondEntry)
        #expect(try await store.claimNext(verifier: "ana") == nil, "the first verifier never keys the second entry")
        let second = try #require(try await store.claimNext(verifier: "bob"))
        #expect(second.status == .secondEntry && second.firstEntry == "12")
        try await store.decide(item: second, values: ["403": "13"], action: .disagree, verifier: "bob", seconds: 1, keystrokes: 3)
        #expect(try await store.queueDepth().referred == 1)
        let referred = try #require(try await store.claimNext(verifier: "sri", queue: .referred))
        #expect(referred.status == .claimedReferred)
        try await store.decide(item: referred, values: ["403": "12"], action: .correct, verifier: "sri", seconds: 2, keystrokes: 2)
        #expect(try await store.item(id: item.id)?.status == .done)
        #expect(try await store.readings(form: "RSK-K4", serial: 7).isEmpty, "no reading row to verify in this bare store")
        #expect(try await store.decisions(form: "RSK-K4", serial: 7).map(\.action) == [.firstEntry, .disagree, .correct])
        try await store.undo(itemID: item.id, verifier: "sri")
        #expect(try await store.item(id: item.id)?.status == ReviewItemStatus.after(.undo))
        #expect(try await store.decisions(form: "RSK-K4", serial: 7).last?.action == .undo)
    }

    @Test(arguments: Backend.allCases)
    func anExpiredClaimReturnsToTheQueue(backend: Backend) async throws {
        let store = try backend.open()
        try await store.openItem(form: "RSK-K4", version: 1, serial: 8, kind: .field, rule: "101", fields: ["101"], reason: "low", confidence: 0.3)
        _ = try #require(try await store.claimNext(verifier: "crashed", field: nil, batch: nil, claimSeconds: -1, queue: .doubts, excluding: []))
        let taken = try #require(try await store.claimNext(verifier: "bob"))
        #expect(taken.claimedBy == "bob")
    }

    @Test(arguments: Backend.allCases)
    func recordItemsResolveWhenTheirRuleHoldsAndReopenWhenItFailsAgain(backend: Backend) async throws {
        let store = try backend.open()
        try await store.openItem(form: "RSK-K4", version: 1, serial: 9, kind: .record, rule: "r1", fields: ["401"], reason: "broken", confidence: 0)
        try await store.closeResolvedRecordItems(form: "RSK-K4", version: 1, serial: 9, stillFailing: [])
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 9).isEmpty)
        #expect(try await store.openItem(form: "RSK-K4", version: 1, serial: 9, kind: .record, rule: "r1", fields: ["401"], reason: "broken", confidence: 0))
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 9).map(\.status) == [.open])
    }

    @Test(arguments: Backend.allCases)
    func aDocumentIsPromotedExactlyOnce(backend: Backend) async throws {
        let store = try backend.open()
        #expect(try await store.documentState(form: "RSK-K4", version: 1, serial: 5).status == .open)
        #expect(try await store.markPromoted(form: "RSK-K4", version: 1, serial: 5))
        #expect(try await !store.markPromoted(form: "RSK-K4", version: 1, serial: 5))
        #expect(try await store.documentState(form: "RSK-K4", version: 1, serial: 5).status == .promoted)
    }

    @Test(arguments: Backend.allCases)
    func aLostPageRejectsItsDocumentWhenTheSupervisorSaysSo(backend: Backend) async throws {
        let store = try backend.open()
        #expect(try await store.documentState(form: "RSK-K4", version: 1, serial: 6).status == .open)
        try await store.openItem(
            form: "RSK-K4", version: 1, serial: 6, kind: .record, rule: missingPagesRule, fields: [], reason: "page 2 missing", confidence: 0)
        try await store.declarePageLost(form: "RSK-K4", version: 1, serial: 6, page: 2, missing: [2], supervisor: "sri", reason: "torn", reject: true)
        let state = try await store.documentState(form: "RSK-K4", version: 1, serial: 6)
        #expect(state.status == .rejected && state.lostPages == [2])
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 6).isEmpty)
        #expect(try await store.decisions(form: "RSK-K4", serial: 6).map(\.action) == [.documentRejected])
    }
}

/// What the capture cases read back besides ingest's role (the review queue's clip, the
/// documents' page numbers, the files' statuses), on each capture backend.
protocol PageLookup: Sendable {
    func clip(form: String, serial: Int, fieldID: String) async throws -> [UInt8]
    func pageNumbers(form: String, version: Int, serial: Int) async throws -> Set<Int>
    func fileStatuses() async throws -> [String: FileStatus]
}

extension SQLiteStore: PageLookup {}
extension PostgresCaptureStore: PageLookup {}
