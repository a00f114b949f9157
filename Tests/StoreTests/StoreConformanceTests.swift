import FormTemplate
import Foundation
import Store
import TestSupport
import Testing
import Vocabulary

/// The behaviour every store backend owes its users, written once against the store's roles
/// and run on each backend (as GRDB runs one test body over each kind of writer). A second
/// backend joins by adding a case to ``Backend``.
@Suite struct StoreConformanceTests {
    /// The backends under test: SQLite, and a PostgreSQL server that `scripts/test` starts (its
    /// location in `PINDAI_TEST_POSTGRES`; without one the case fails, it is not skipped).
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case sqlite
        case postgres

        var testDescription: String { rawValue }

        /// A new, empty store: a new file, or a new database on the test server.
        func open(_ name: String = #function) async throws -> any PindaiStore {
            switch self {
            case .sqlite: return try await StoreLocation.open(Fixtures.temporaryDirectory("\(rawValue)\(name)") + "/s.sqlite")
            case .postgres: return try await StoreLocation.open(try await Self.newDatabase())
            }
        }

        /// A new database on the test server, as a location.
        static func newDatabase() async throws -> String {
            let server = try #require(
                ProcessInfo.processInfo.environment["PINDAI_TEST_POSTGRES"], "no test server: run the tests with scripts/test, which starts one")
            let database = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            return try await PostgresLocation(server).creatingDatabase(database).url
        }
    }

    static let owner = IngestOwner(host: "test", pid: getpid(), token: "run-1")

    /// A read page of document `serial` with one queued digit field `403` (a rectangle of the
    /// page's image) and one accepted `101` (a clip of its own, as older stores kept them).
    @Sendable func savePage(_ store: any CaptureStore, file: Int64, index: Int, serial: Int, page: Int = 1, model: String? = nil) async throws -> PageSaveOutcome {
        var record = PageRecord(fileID: file, pageIndex: index, status: .read, form: "RSK-K4", version: 1, pageNumber: page, serial: serial)
        record.model = model
        record.image = [9, 8, 7, UInt8(serial)]
        let readings = [
            ReadingRecord(
                fieldID: "101", kind: "digits", value: "64", confidence: 0.99, status: .accepted, reason: nil,
                boxesJSON: BoxReading.encode([.init(digit: "6", code: nil, ink: 0.2, state: .read, confidence: 0.99)]), clip: .png([1, 2, 3])),
            ReadingRecord(
                fieldID: "403", kind: "digits", value: "12", confidence: 0.4, status: .queued, reason: "low confidence", boxesJSON: "[]",
                clip: .region([10, 20, 300, 40])),
        ]
        return try await store.savePage(
            record, readings: readings, exception: ExceptionRecord(batch: "b", path: "a.tif", pageIndex: index, reason: .duplicatePage, detail: ""))
    }

    @Test(arguments: Backend.allCases)
    func aFileIsClaimedOnceByItsContent(backend: Backend) async throws {
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

    @Test(arguments: Backend.allCases)
    func aPageIsStoredOnceAndTheSamePageElsewhereIsADuplicate(backend: Backend) async throws {
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
        let duplicate = try #require(try await store.exceptions(batch: nil).first)
        #expect(duplicate.reason == .duplicatePage)
        let duplicatePage = try #require(duplicate.pageID, "an exception page names its page row")
        #expect(try await store.pageImage(id: duplicatePage) == [9, 8, 7, 7], "an exception page keeps its image for whoever decides about it")
        #expect(try await store.fieldImage(form: "RSK-K4", serial: 7, fieldID: "101")?.clip == .png([1, 2, 3]))
        let nik = try #require(try await store.fieldImage(form: "RSK-K4", serial: 7, fieldID: "403"))
        #expect(nik.clip == .region([10, 20, 300, 40]))
        #expect(try await store.pageImage(id: nik.pageID) == [9, 8, 7, 7], "the page's image, stored once with it")
        #expect(try await store.fieldImage(form: "RSK-K4", serial: 7, fieldID: "999") == nil)
        #expect(try await store.storageBytes().images == 4 + 4 + 3)
        #expect(try await store.pageNumbers(form: "RSK-K4", version: 1, serial: 7) == [1])
    }

    @Test(arguments: Backend.allCases)
    func aFilesExceptionIsRecordedOncePerPathAndReason(backend: Backend) async throws {
        let store = try await backend.open()
        _ = try await store.batchID(named: "b")
        let e = ExceptionRecord(batch: "b", path: "x.pdf", pageIndex: nil, reason: .encrypted, detail: "needs a password")
        #expect(try await store.saveException(e, fileID: nil))
        #expect(try await !store.saveException(e, fileID: nil))
        #expect(try await store.exceptions(batch: "b").map(\.reason) == [.encrypted])
        #expect(try await store.exceptions(batch: "b").first?.pageID == nil, "a whole file's exception has no page")
    }

    /// Three machines (each its own owner) claim the same twenty files at once: every file is
    /// read by exactly one of them, the others see it held or stored.
    @Test(arguments: Backend.allCases)
    func aRereadReplacesOnlyQueuedFieldsNobodyHolds(backend: Backend) async throws {
        let store = try await backend.open()
        #expect(try await store.defaultModel() == nil)
        try await store.setDefaultModel("/models/kaltim-1")
        #expect(try await store.defaultModel() == "/models/kaltim-1")
        try await store.setDefaultModel(nil)
        #expect(try await store.defaultModel() == nil)

        let batch = try await store.batchID(named: "b")
        guard case .claimed(let file, _) = try await store.claimFile(batchID: batch, path: "a.tif", sha256: "aa", size: 1, owner: Self.owner)
        else { Issue.record("claim"); return }
        for serial in [1, 2] { _ = try await savePage(store, file: file, index: serial - 1, serial: serial, model: "digits@base") }
        for serial in [1, 2] {
            try await store.openItem(form: "RSK-K4", version: 1, serial: serial, kind: .field, rule: "403", fields: ["403"], reason: "low confidence", confidence: 0.4)
        }
        // Nothing is verified and no record promoted: nothing to learn from yet.
        #expect(try await store.labelledDigitFields(includeAccepted: true).isEmpty)
        let queued = try await store.queuedDigitFields(batch: "b")
        #expect(queued.map(\.serial).sorted() == [1, 2] && queued.allSatisfy { $0.reading.fieldID == "403" })
        for field in queued {
            // Each field is found on its own page's image.
            #expect(field.image?.clip == .region([10, 20, 300, 40]))
            #expect(try await store.pageImage(id: field.pageID) == [9, 8, 7, UInt8(field.serial)])
        }

        // A verifier holds document 2's item: its field is left alone.
        let held = try #require(try await store.claimNext(verifier: "ana", field: "403", batch: nil, queue: .doubts))
        let better = ReadingRecord(fieldID: "403", kind: "digits", value: "12", confidence: 0.99, status: .accepted, reason: nil, boxesJSON: "[]")
        for field in queued {
            let applied = try await store.applyReread(field, reading: better, model: "digits@new")
            #expect(applied == (field.serial != held.serial))
        }
        let free = queued.first { $0.serial != held.serial }!
        #expect(try await store.readings(form: "RSK-K4", serial: free.serial).first { $0.fieldID == "403" }?.status == .accepted)
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: free.serial).isEmpty, "the needless item is resolved")
        #expect(try await store.readings(form: "RSK-K4", serial: held.serial).first { $0.fieldID == "403" }?.status == .queued)
        #expect(try await store.applyReread(free, reading: better, model: "digits@new") == false, "no longer queued")

        // Every reading names its model: the re-read field its own, the others their page's.
        let models = Dictionary(uniqueKeysWithValues: try await store.readings(form: "RSK-K4", serial: free.serial).map { ($0.fieldID, $0.model) })
        #expect(models == ["101": "digits@base", "403": "digits@new"])
        #expect(try await store.readings(form: "RSK-K4", serial: held.serial).allSatisfy { $0.model == "digits@base" })
        // The dashboard's last hour by model: 2 pages, 3 of their 4 digit fields without a person.
        let status = try await store.status(now: Date())
        #expect(status.models == [.init(name: "digits@base", pages: 2, digitFields: 4, autoAccepted: 3)])
    }

    @Test(arguments: Backend.allCases)
    func machinesClaimingTheSameFilesAtOnceReadEachOnce(backend: Backend) async throws {
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
    @Test(arguments: Backend.allCases)
    func theSamePageStoredFromTwoFilesAtOnceIsReadOnce(backend: Backend) async throws {
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
        let store = try await backend.open()
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
        let store = try await backend.open()
        try await store.openItem(form: "RSK-K4", version: 1, serial: 8, kind: .field, rule: "101", fields: ["101"], reason: "low", confidence: 0.3)
        _ = try #require(try await store.claimNext(verifier: "crashed", field: nil, batch: nil, claimSeconds: -1, queue: .doubts, excluding: []))
        let taken = try #require(try await store.claimNext(verifier: "bob"))
        #expect(taken.claimedBy == "bob")
    }

    @Test(arguments: Backend.allCases)
    func recordItemsResolveWhenTheirRuleHoldsAndReopenWhenItFailsAgain(backend: Backend) async throws {
        let store = try await backend.open()
        try await store.openItem(form: "RSK-K4", version: 1, serial: 9, kind: .record, rule: "r1", fields: ["401"], reason: "broken", confidence: 0)
        try await store.closeResolvedRecordItems(form: "RSK-K4", version: 1, serial: 9, stillFailing: [])
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 9).isEmpty)
        #expect(try await store.openItem(form: "RSK-K4", version: 1, serial: 9, kind: .record, rule: "r1", fields: ["401"], reason: "broken", confidence: 0))
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 9).map(\.status) == [.open])
    }

    @Test(arguments: Backend.allCases)
    func aDocumentIsPromotedExactlyOnce(backend: Backend) async throws {
        let store = try await backend.open()
        #expect(try await store.documentState(form: "RSK-K4", version: 1, serial: 5).status == .open)
        #expect(try await store.markPromoted(form: "RSK-K4", version: 1, serial: 5))
        #expect(try await !store.markPromoted(form: "RSK-K4", version: 1, serial: 5))
        #expect(try await store.documentState(form: "RSK-K4", version: 1, serial: 5).status == .promoted)
    }

    @Test(arguments: Backend.allCases)
    func aLostPageRejectsItsDocumentWhenTheSupervisorSaysSo(backend: Backend) async throws {
        let store = try await backend.open()
        #expect(try await store.documentState(form: "RSK-K4", version: 1, serial: 6).status == .open)
        try await store.openItem(
            form: "RSK-K4", version: 1, serial: 6, kind: .record, rule: missingPagesRule, fields: [], reason: "page 2 missing", confidence: 0)
        try await store.declarePageLost(form: "RSK-K4", version: 1, serial: 6, page: 2, missing: [2], supervisor: "sri", reason: "torn", reject: true)
        let state = try await store.documentState(form: "RSK-K4", version: 1, serial: 6)
        #expect(state.status == .rejected && state.lostPages == [2])
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 6).isEmpty)
        #expect(try await store.decisions(form: "RSK-K4", serial: 6).map(\.action) == [.documentRejected])
    }

    /// A verifier whose claim expired while they looked (and whose item another verifier then
    /// took) is refused when they decide at last: the item is decided once, by the holder.
    @Test(arguments: Backend.allCases)
    func aLateDecisionOnAnExpiredClaimIsRefused(backend: Backend) async throws {
        let store = try await backend.open()
        try await store.openItem(form: "RSK-K4", version: 1, serial: 3, kind: .field, rule: "403", fields: ["403"], reason: "low", confidence: 0.3)
        let stale = try #require(try await store.claimNext(verifier: "slow", field: nil, batch: nil, claimSeconds: -1, queue: .doubts, excluding: []))
        let taken = try #require(try await store.claimNext(verifier: "bob"))
        await #expect(throws: StoreError.self) {
            try await store.decide(item: stale, values: ["403": "99"], action: .correct, verifier: "slow", seconds: 400, keystrokes: 2)
        }
        try await store.decide(item: taken, values: ["403": "12"], action: .correct, verifier: "bob", seconds: 3, keystrokes: 2)
        #expect(try await store.decisions(form: "RSK-K4", serial: 3).map(\.verifier) == ["bob"])
        #expect(try await store.item(id: taken.id)?.status == .done)
    }

    /// Two sessions under one verifier name (a second terminal, a restarted session): the item
    /// taken again after the first claim expired is decided by the session holding it now, and
    /// the first session's late decision is refused though the name matches.
    @Test(arguments: Backend.allCases)
    func aDecisionCountsOnlyUnderTheClaimItWasMadeUnder(backend: Backend) async throws {
        let store = try await backend.open()
        try await store.openItem(form: "RSK-K4", version: 1, serial: 4, kind: .field, rule: "403", fields: ["403"], reason: "low", confidence: 0.3)
        let first = try #require(try await store.claimNext(verifier: "ana", field: nil, batch: nil, claimSeconds: -1, queue: .doubts, excluding: []))
        let second = try #require(try await store.claimNext(verifier: "ana"))
        #expect(first.id == second.id && first.claimToken != second.claimToken)
        #expect(try await !store.renewClaim(itemID: first.id, token: try #require(first.claimToken)))
        let refused = await #expect(throws: StoreError.self) {
            try await store.decide(item: first, values: ["403": "99"], action: .correct, verifier: "ana", seconds: 400, keystrokes: 2)
        }
        #expect(refused?.lostClaim == first.id)
        try await store.decide(item: second, values: ["403": "12"], action: .correct, verifier: "ana", seconds: 3, keystrokes: 2)
        #expect(try await store.decisions(form: "RSK-K4", serial: 4).map(\.after) == ["12"])
    }

    /// A verifier still at work renews the claim: the item outlives its first lease and no one
    /// else is given it; once renewals stop, it goes back to the queue.
    @Test(arguments: Backend.allCases)
    func aRenewedClaimIsKeptAndAnAbandonedOneReturns(backend: Backend) async throws {
        let store = try await backend.open()
        try await store.openItem(form: "RSK-K4", version: 1, serial: 5, kind: .field, rule: "403", fields: ["403"], reason: "low", confidence: 0.3)
        let held = try #require(try await store.claimNext(verifier: "ana", field: nil, batch: nil, claimSeconds: -1, queue: .doubts, excluding: []))
        #expect(try await store.renewClaim(itemID: held.id, token: try #require(held.claimToken)))
        #expect(try await store.claimNext(verifier: "bob") == nil, "a renewed claim is not handed out")
        #expect(try await store.renewClaim(itemID: held.id, token: try #require(held.claimToken), claimSeconds: -1))
        let taken = try await store.claimNext(verifier: "bob")
        #expect(taken?.id == held.id, "an expired claim is claimable again")
    }

    /// Eight verifiers work one queue of forty items at once, each claiming and deciding until
    /// nothing is left: every item is decided exactly once and audited once.
    @Test(arguments: Backend.allCases)
    func eightVerifiersAtOnceDecideEveryItemOnce(backend: Backend) async throws {
        let store = try await backend.open()
        for serial in 1...40 {
            try await store.openItem(
                form: "RSK-K4", version: 1, serial: serial, kind: .field, rule: "403", fields: ["403"], reason: "low", confidence: Double(serial) / 100)
        }
        let decided = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for n in 1...8 {
                group.addTask {
                    var mine: [Int64] = []
                    while let item = try await store.claimNext(verifier: "v\(n)") {
                        try await store.decide(item: item, values: ["403": "12"], action: .correct, verifier: "v\(n)", seconds: 1, keystrokes: 2)
                        mine.append(item.id)
                    }
                    return mine
                }
            }
            var all: [Int64] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(decided.count == 40 && Set(decided).count == 40, "\(decided.count) decisions on \(Set(decided).count) items")
        var audited = 0
        for serial in 1...40 { audited += try await store.decisions(form: "RSK-K4", serial: serial).count }
        #expect(audited == 40)
        #expect(try await store.queueDepth().open == 0)
        #expect(try await store.status().verifierTotals.values.reduce(0, +) == 40)
    }

    @Test(arguments: Backend.allCases)
    func theAreaListIsReplacedWholeAndLookedUpByCodeAndPrefix(backend: Backend) async throws {
        let store = try await backend.open()
        #expect(try await store.loadReference([("64", "KALIMANTAN TIMUR"), ("6401", "PASER")]) == 2)
        #expect(try await store.loadReference([("6402", "KUTAI BARAT"), ("640201", "BONGAN"), ("640202", "JEMPANG"), ("640201", "BONGAN")]) == 3)
        #expect(try await store.referenceNames(codes: ["6401", "6402", "7"]) == ["6402": "KUTAI BARAT"])
        #expect(try await store.referenceNames(under: "6402", length: 6) == ["BONGAN", "JEMPANG"])
    }

    /// A family is promoted once whichever backend holds the core store; its values come back
    /// as text in the layout's columns, leading zeros kept.
    @Test(arguments: Backend.allCases)
    func aFamilyReachesTheCoreStoreOnceWithItsMembers(backend: Backend) async throws {
        let store = try await backend.open()
        let core = try store.coreRecords()
        let template = Fixtures.pkKeluarga
        let (family, member) = CoreLayout.layout(template)
        let digits = try #require(family.first { if case .digits = $0.kind { true } else { false } })
        let memberField = try #require(member.first)
        let values = [digits.id: "0042"]
        #expect(try await core.promote(template: template, serial: 12, family: values, members: [1: [memberField.baseID: "1"]], warnings: []))
        #expect(try await !core.promote(template: template, serial: 12, family: values, members: [:], warnings: []))
        let records = try await core.records(template: template)
        #expect(records.count == 1)
        #expect(records.first?.family["serial"] == "12")
        #expect(records.first?.family[CoreLayout.column(digits.id)] == "0042")
        #expect(records.first?.members.map { $0["member"] } == ["1"])
    }

    /// What the dashboard counts comes from the store, whichever process did the work.
    @Test(arguments: Backend.allCases)
    func theStatusCountsPagesItemsAndBatches(backend: Backend) async throws {
        let store = try await backend.open()
        let batch = try await store.batchID(named: "b")
        try await store.createBatch(name: "b", expectedDocuments: 2, area: "6401", serials: 7...8)
        guard case .claimed(let file, _) = try await store.claimFile(batchID: batch, path: "a.tif", sha256: "a", size: 1, owner: Self.owner)
        else { Issue.record("claim"); return }
        #expect(try await savePage(store, file: file, index: 0, serial: 7) == .saved)
        try await store.openItem(form: "RSK-K4", version: 1, serial: 7, kind: .field, rule: "403", fields: ["403"], reason: "low", confidence: 0.4)
        let status = try await store.status()
        #expect(status.stages.first { $0.name == "pages read" }?.total == 1)
        #expect(status.stages.first { $0.name == "fields queued" }?.last5 == 1)
        #expect(status.queueOpen == 1)
        #expect(status.batches.map(\.missing) == [[8]])
        #expect(try await store.counts(batch: "b") == (pages: 1, exceptions: 0, accepted: 1, queued: 1, image: 0))
        #expect(try await store.perMinute().pages.last == 1)
        #expect(try await store.documentKeys(batch: "b").map(\.serial) == [7])
    }
}
