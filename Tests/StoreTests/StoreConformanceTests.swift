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

    static let owner = IngestOwner(host: "test", pid: getpid(), token: "run-1")

    /// A read page of document `serial` with one queued digit field `403` and one accepted `101`.
    func savePage(_ store: any PindaiStore, file: Int64, index: Int, serial: Int, page: Int = 1) async throws -> PageSaveOutcome {
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

    @Test(arguments: Backend.allCases)
    func aFileIsClaimedOnceByItsContent(backend: Backend) async throws {
        let store = try backend.open()
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

    @Test(arguments: Backend.allCases)
    func aPageIsStoredOnceAndTheSamePageElsewhereIsADuplicate(backend: Backend) async throws {
        let store = try backend.open()
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

    @Test(arguments: Backend.allCases)
    func aFilesExceptionIsRecordedOncePerPathAndReason(backend: Backend) async throws {
        let store = try backend.open()
        _ = try await store.batchID(named: "b")
        let e = ExceptionRecord(batch: "b", path: "x.pdf", pageIndex: nil, reason: .encrypted, detail: "needs a password")
        #expect(try await store.saveException(e, fileID: nil))
        #expect(try await !store.saveException(e, fileID: nil))
        #expect(try await store.exceptions(batch: "b").map(\.reason) == [.encrypted])
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
