import Evaluation
import FormTemplate
import Foundation
import HandwrittenDigits
import Imaging
import Ingest
import Store
import Synthesis
import TestSupport
import Testing
import Verification
import Vocabulary

/// The bundled sample batch read once with the real model, its documents reviewed; each test
/// gets its own copy of that store.
actor SampleStoreMaster {
    static let shared = SampleStoreMaster()
    private var path: String?

    func master() async throws -> String {
        if let path { return path }
        let dir = Fixtures.temporaryDirectory("sample-master")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        _ = try await Ingestor(
            templates: [Fixtures.rskK4], store: store, batch: "sample", workers: 2, model: (Fixtures.repositoryRoot + "/models", "digits")
        ).run([Fixtures.repositoryRoot + "/scans"])
        let review = DocumentReview(templates: [Fixtures.rskK4], store: store, core: try CoreStore(path: dir + "/s.sqlite"))
        _ = try await review.refreshAll(batch: nil)
        try store.checkpoint()
        path = dir + "/s.sqlite"
        return dir + "/s.sqlite"
    }
}

func sampleStore(_ name: String = #function) async throws -> (dir: String, store: SQLiteStore, review: DocumentReview) {
    let master = try await SampleStoreMaster.shared.master()
    let dir = Fixtures.temporaryDirectory(name)
    try FileManager.default.copyItem(atPath: master, toPath: dir + "/s.sqlite")
    let store = try SQLiteStore(path: dir + "/s.sqlite")
    let review = DocumentReview(templates: [Fixtures.rskK4], store: store, core: try CoreStore(path: dir + "/s.sqlite"))
    return (dir, store, review)
}

@Suite(.serialized) struct VerificationTests {
    @Test func aCorrectReadingIsConfirmedWithOneKeyAndAuditedCorrections() async throws {
        let (_, store, review) = try await sampleStore()
        let session = VerificationSession(store: store, review: review, verifier: "ana")
        #expect(try await session.loadNext())
        let first = try #require(session.item)
        _ = try await session.handle(.enter)
        #expect(session.decided == 1 && session.totalKeystrokes == 1)
        #expect(session.item?.id != first.id)
        let trail = try await store.decisions(form: nil, serial: first.serial)
        #expect(trail.last?.action == .accept && trail.last?.verifier == "ana" && trail.last?.keystrokes == 1)
    }

    @Test func typingReplacesTheDoubtfulBoxAndUndoBringsTheItemBack() async throws {
        let (_, store, review) = try await sampleStore()
        let session = VerificationSession(store: store, review: review, verifier: "ana", fieldFilter: "114")
        #expect(try await session.loadNext())
        let item = try #require(session.item)
        let edit = try #require(session.edits.first)
        let cursor = edit.cursor
        let replacement = edit.boxes[cursor] == "7" ? 8 : 7
        _ = try await session.handle(.digit(replacement))
        #expect(session.edits[0].boxes[cursor] == Character(String(replacement)))
        _ = try await session.handle(.enter)
        let corrected = try await store.readings(form: item.form, serial: item.serial).first { $0.fieldID == "114" }
        #expect(corrected?.status == .verified)
        #expect(Array(corrected?.value ?? "")[cursor] == Character(String(replacement)))
        _ = try await session.handle(.undo)
        #expect(session.item?.id == item.id)
        let restored = try await store.readings(form: item.form, serial: item.serial).first { $0.fieldID == "114" }
        #expect(restored?.value == edit.reading?.value && restored?.status == .queued)
    }

    @Test func skipAndReferLeaveTheItemForLaterOrForASupervisor() async throws {
        let (_, store, review) = try await sampleStore()
        let session = VerificationSession(store: store, review: review, verifier: "ana")
        _ = try await session.loadNext()
        let skipped = try #require(session.item)
        _ = try await session.handle(.skip)
        #expect(session.item?.id != skipped.id)
        let referred = try #require(session.item)
        _ = try await session.handle(.refer)
        #expect(try await store.item(id: referred.id)?.status == .referred)
        let boss = VerificationSession(store: store, review: review, verifier: "boss", queue: .referred)
        #expect(try await boss.loadNext())
        #expect(boss.item?.id == referred.id)
        #expect(try await store.item(id: skipped.id)?.status == .open)
    }

    @Test func anExpiredClaimComesBackToAnotherVerifier() async throws {
        let (_, store, _) = try await sampleStore()
        let crashed = try #require(try await store.claimNext(verifier: "crashed", field: nil, batch: nil, claimSeconds: -1, queue: .doubts, excluding: []))
        let next = try await store.claimNext(verifier: "ana")
        #expect(next?.id == crashed.id)
        let live = try #require(try await store.claimNext(verifier: "bob", field: nil, batch: nil, claimSeconds: 300, queue: .doubts, excluding: []))
        let other = try await store.claimNext(verifier: "cid")
        #expect(other?.id != live.id)
    }

    /// The verifier was away past the lease and someone else took the item: the key that
    /// would decide it stores nothing, says why, and brings the next item.
    @Test func aKeyOnAnItemWhoseClaimWasLostBringsTheNextItem() async throws {
        let (_, store, review) = try await sampleStore()
        let session = VerificationSession(store: store, review: review, verifier: "ana")
        #expect(try await session.loadNext())
        let lost = try #require(session.item)
        try await store.release(itemID: lost.id, verifier: "ana")
        let taken = try await store.claimNext(verifier: "bob")
        #expect(taken?.id == lost.id)
        #expect(try await session.handle(.enter))
        #expect(session.message?.contains("went back to the queue; nothing was stored") == true, "\(session.message ?? "")")
        #expect(session.item != nil && session.item?.id != lost.id && session.decided == 0)
        #expect(try await store.decisions(form: lost.form, serial: lost.serial).filter { $0.itemID == lost.id }.isEmpty)
    }

    @Test func blindDoubleEntryAgreesOrGoesToASupervisor() async throws {
        let (_, store, review) = try await sampleStore()
        let first = VerificationSession(store: store, review: review, verifier: "ana", fieldFilter: "114", doubleEntry: ["114"])
        #expect(try await first.loadNext())
        let item = try #require(first.item)
        let machine = first.edits[0].boxes
        _ = try await first.handle(.enter)
        #expect(try await store.item(id: item.id)?.status == .secondEntry)
        let second = VerificationSession(store: store, review: review, verifier: "bob", fieldFilter: "114", doubleEntry: ["114"])
        #expect(try await second.loadNext())
        #expect(second.item?.id == item.id && second.blindSecondEntry)
        #expect(second.edits[0].boxes.allSatisfy { $0 == nil }, "the second verifier does not see the first value")
        for (i, c) in machine.enumerated() {
            _ = try await second.handle(.digit(i == 0 ? ((c?.wholeNumberValue ?? 0) + 1) % 10 : c?.wholeNumberValue ?? 0))
        }
        _ = try await second.handle(.enter)
        #expect(try await store.item(id: item.id)?.status == .referred)
    }

    @Test func aCleanCompleteFamilyIsPromotedExactlyOnce() async throws {
        let (dir, store, review) = try await sampleStore()
        let session = VerificationSession(store: store, review: review, verifier: "sim")
        let simulator = try SimulatedVerifier(truthDirectory: Fixtures.repositoryRoot + "/scans")
        var report = try await simulator.run(session)
        #expect(report.items > 100)
        #expect(Double(report.digitKeystrokes) / Double(report.digitItems) <= 1.5)
        #expect(try await store.documentCounts().promoted == 0, "no family reaches the core store before its names are keyed")
        let keyed = try await simulator.run(VerificationSession(store: store, review: review, verifier: "sim", queue: .keying))
        #expect(keyed.textItems > 10 && keyed.textCharacters > 100)
        report.fieldsSeen.formUnion(keyed.fieldsSeen)
        let counts = try await store.documentCounts()
        #expect(counts.promoted == 5 && counts.open == 0)
        let core = try CoreStore(path: dir + "/s.sqlite")
        let compared = try await simulator.compareRecords(core, template: Fixtures.rskK4, seen: report.fieldsSeen)
        #expect(compared.families == 5)
        #expect(compared.seenRight == compared.seen, "every field the verifier saw matches the truth")
        for key in try await store.documentKeys(batch: nil) {
            #expect(try await review.refresh(form: key.form, version: key.version, serial: key.serial) == .alreadyPromoted)
        }
        #expect(try await core.records(template: Fixtures.rskK4).count == 5)
        #expect(try await core.promote(template: Fixtures.rskK4, serial: 1, family: [:], members: [:], warnings: []) == false)
    }

    @Test func aFamilyWithAnOpenItemOrAMissingPageIsNotPromoted() async throws {
        let dir = Fixtures.temporaryDirectory()
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        // Only the first two pages of document 3.
        let source = Fixtures.repositoryRoot + "/scans/RSK-K4-0000000003.tif"
        _ = try await Ingestor(templates: [Fixtures.rskK4], store: store, batch: "b", workers: 1, model: nil).run([source])
        let review = DocumentReview(templates: [Fixtures.rskK4], store: store, core: try CoreStore(path: dir + "/s.sqlite"))
        let outcome = try await review.refresh(form: "RSK-K4", version: 1, serial: 3)
        guard case .waiting(let open, _) = outcome else {
            Issue.record("must wait for verification, got \(outcome)")
            return
        }
        #expect(open > 0)
        #expect(try await store.documentCounts().promoted == 0)
    }
}

/// Two verifier processes on one queue never get the same item.
@Suite(.serialized) struct ConcurrentVerifierTests {
    @Test func twoVerifierProcessesNeverDecideTheSameItem() async throws {
        let (dir, store, _) = try await sampleStore()
        // Each simulated person pauses on every item, so both are at work on the queue together
        // however long the second process takes to start.
        let common = [
            "--store", dir + "/s.sqlite", "--simulate-truth", Fixtures.repositoryRoot + "/scans", "--simulate-think-ms", "20",
            "--template", Fixtures.rskK4Path,
        ]
        let anaArgs = ["verify", "--as", "ana"] + common
        let bobArgs = ["verify", "--as", "bob"] + common
        async let a = Fixtures.runPindai(anaArgs)
        async let b = Fixtures.runPindai(bobArgs)
        let (ra, rb) = try await (a, b)
        #expect(ra.status == 0 && rb.status == 0, "\(ra.output)\n\(rb.output)")
        var byItem: [Int64: [String]] = [:]
        for key in try await store.documentKeys(batch: nil) {
            for d in try await store.decisions(form: key.form, serial: key.serial) { byItem[d.itemID, default: []].append(d.verifier) }
        }
        #expect(byItem.count > 100)
        #expect(byItem.values.allSatisfy { Set($0).count == 1 }, "an item was decided by two verifiers")
        #expect(Set(byItem.values.map { $0[0] }) == ["ana", "bob"], "both verifiers worked")
        #expect(try await store.queueDepth().open == 0)
    }
}

@Suite struct DuplicateNIKTests {
    @Test func aNIKAlsoStoredInAnotherDocumentIsFound() async throws {
        let (_, store, review) = try await sampleStore()
        let a = try await review.values(form: "RSK-K4", serial: 1)
        let nik = try #require(a["m1.403"])
        #expect(try await review.duplicateNumbers(template: Fixtures.rskK4, serial: 1).isEmpty)
        let other = try await store.otherDocuments(withValue: nik, inFields: ["m1.403", "m2.403"], excludingSerial: 2)
        #expect(other.contains { $0.serial == 1 && $0.fieldID == "m1.403" })
        let none = try await store.otherDocuments(withValue: nik, inFields: ["m1.403"], excludingSerial: 1)
        #expect(none.isEmpty)
    }
}

/// A store, its core store, the review and an ingest with the real model, in `dir`.
enum ReviewRig {
    static func open(_ dir: String) throws -> (SQLiteStore, CoreStore, DocumentReview, Ingestor) {
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let core = try CoreStore(path: dir + "/s.sqlite")
        let review = DocumentReview(templates: [Fixtures.rskK4], store: store, core: core)
        let ingestor = Ingestor(
            templates: [Fixtures.rskK4], store: store, batch: "r", workers: 2, model: (Fixtures.repositoryRoot + "/models", "digits"))
        return (store, core, review, ingestor)
    }

    /// Clean synthetic documents in MNIST test-part handwriting.
    static func synthesise(_ dir: String, count: Int, seed: UInt64, largeFamilies: Double) async throws {
        var run = SynthesisRun(
            template: Fixtures.rskK4, digits: try Fixtures.mnistTestHand(), count: count, seed: seed, outputDirectory: dir, clean: true,
            workers: 2)
        run.largeFamilyShare = largeFamilies
        _ = try await run.run()
    }
}

/// A family of more than five members, scanned as two sets, reaches the core store once, as
/// one family with every member.
@Suite(.serialized) struct LargeFamilyTests {
    @Test func twoSetsWaitForEachOtherAndArePromotedAsOneFamily() async throws {
        let dir = Fixtures.temporaryDirectory()
        try await ReviewRig.synthesise(dir + "/scans", count: 2, seed: 8, largeFamilies: 1)
        let (store, core, review, ingestor) = try ReviewRig.open(dir)

        // Set 1 alone: the family waits for its second set.
        _ = try await ingestor.run([dir + "/scans/RSK-K4-0000000001.tif"])
        _ = try await review.refreshAll(batch: nil)
        let waiting = try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 1).map(\.rule)
        // It waits with missing-sets, or, when the set count itself was read doubtfully, with
        // that field first (the family rules wait for a queued field they involve).
        #expect(waiting.contains("missing-sets") || waiting.contains("set.n"), "\(waiting)")
        #expect(try await core.records(template: Fixtures.rskK4).isEmpty)

        // Set 2 arrives and a verifier works the queue: one family, members 1 to 6 or more.
        _ = try await ingestor.run([dir + "/scans"])
        _ = try await review.refreshAll(batch: nil)
        let session = VerificationSession(store: store, review: review, verifier: "sim")
        let simulator = try SimulatedVerifier(truthDirectory: dir + "/scans")
        var report = try await simulator.run(session)
        report.fieldsSeen.formUnion(try await simulator.run(VerificationSession(store: store, review: review, verifier: "sim", queue: .keying)).fieldsSeen)
        let records = try await core.records(template: Fixtures.rskK4)
        #expect(records.count == 1)
        let members = try #require(records.first?.members).compactMap { $0["member"].flatMap { Int($0) } }
        #expect(members.count > 5 && members == Array(1...members.count), "\(members)")
        #expect(try await store.documentCounts().promoted == 2)
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 1).isEmpty)
        let compared = try await simulator.compareRecords(core, template: Fixtures.rskK4, seen: report.fieldsSeen)
        #expect(compared.families == 1 && compared.seenRight == compared.seen)
    }
}

/// A document scanned with one page left out opens one item, "find the sheet", not a flood of
/// rules over fields nobody can see; once the page arrives it completes normally.
@Suite(.serialized) struct MissingPageTests {
    /// One document scanned without its page 2 (`scans/`), and page 2 alone (`page-2.tif`).
    static func documentWithoutPage2(_ dir: String) async throws {
        try await ReviewRig.synthesise(dir + "/synth", count: 1, seed: 12, largeFamilies: 0)
        let pages = try ImageFile.readPages(dir + "/synth/RSK-K4-0000000001.tif")
        try FileManager.default.createDirectory(atPath: dir + "/scans", withIntermediateDirectories: true)
        try ImageWriter.write([pages[0], pages[2], pages[3]], to: dir + "/scans/without-page-2.tif", as: .tiffG4(threshold: 160))
        try ImageWriter.write([pages[1]], to: dir + "/page-2.tif", as: .tiffG4(threshold: 160))
        try FileManager.default.copyItem(atPath: dir + "/synth/RSK-K4-0000000001.truth.json", toPath: dir + "/scans/RSK-K4-0000000001.truth.json")
    }

    /// Runs `pindai ARGS --store dir/s.sqlite`, expecting success; returns its output.
    @discardableResult
    static func pindai(_ arguments: [String], _ dir: String) async throws -> String {
        let (status, output) = try await Fixtures.runPindai(arguments + ["--store", dir + "/s.sqlite"])
        #expect(status == 0, "pindai \(arguments.joined(separator: " ")): \(output)")
        return output
    }

    @Test func aMissingPageIsOneItemUntilTheSheetArrives() async throws {
        let dir = Fixtures.temporaryDirectory()
        try await Self.documentWithoutPage2(dir)
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let core = try CoreStore(path: dir + "/s.sqlite")
        func pindai(_ arguments: [String]) async throws { try await Self.pindai(arguments, dir) }

        try await pindai(["ingest", dir + "/scans", "--batch", "m"])
        let items = try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 1)
        let records = items.filter { $0.kind == .record }
        #expect(records.map(\.rule) == ["missing-pages"], "\(records.map(\.rule))")
        #expect(records.first?.reason == "page 2 of this document is missing: find the sheet and scan it")
        let page2 = Set(Fixtures.rskK4.fields.filter { $0.page == 2 }.map(\.id))
        #expect(items.allSatisfy { Set($0.fields).isDisjoint(with: page2) }, "nothing asks about page 2's fields")

        // A person cannot key what they cannot see: the simulated verifier refers the missing
        // page and answers only the doubts of the pages that are there.
        try await pindai(["verify", "--as", "sim", "--simulate-truth", dir + "/scans"])
        let left = try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 1)
        #expect(left.map(\.rule) == ["missing-pages"] && left.first?.status == .referred, "\(left.map(\.rule))")
        #expect(try await core.records(template: Fixtures.rskK4).isEmpty)

        // The sheet is found and scanned: the item closes and the document completes.
        try await pindai(["ingest", dir + "/page-2.tif", "--batch", "m"])
        #expect(!(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 1)).contains { $0.rule == "missing-pages" })
        try await pindai(["verify", "--as", "sim", "--simulate-truth", dir + "/scans"])
        #expect(try await core.records(template: Fixtures.rskK4).count == 1)
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 1).isEmpty)
    }

    @Test(arguments: [false, true])
    func aSupervisorDecidesTheFateOfADocumentWhosePageIsLost(reject: Bool) async throws {
        let dir = Fixtures.temporaryDirectory("lost\(reject)")
        try await Self.documentWithoutPage2(dir)
        try await Self.pindai(["ingest", dir + "/scans", "--batch", "m"], dir)
        try await Self.pindai(["verify", "--as", "sim", "--simulate-truth", dir + "/scans"], dir)
        let said = try await Self.pindai(
            ["lost", "1", "--page", "2", "--as", "sup", "--reason", "sheet torn in the field"] + (reject ? ["--reject"] : []), dir)
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let core = try CoreStore(path: dir + "/s.sqlite")
        if reject {
            #expect(said == "document 1: rejected by sup (page 2 lost); it will not reach the core store\n")
            #expect(try await core.records(template: Fixtures.rskK4).isEmpty)
        } else {
            #expect(said == "document 1: page 2 declared lost by sup; promoted to the core store without it\n")
            #expect(try await core.records(template: Fixtures.rskK4).count == 1)
        }
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: 1).isEmpty)
        let audit = try await Self.pindai(["audit", "1"], dir)
        #expect(audit.contains("  sup  \(reject ? "document-rejected" : "page-lost")  page 2: missing → sheet torn in the field  (0.0 s, 0 keys)"), "\(audit)")
        // A page that was read cannot be declared lost.
        let (status, output) = try await Fixtures.runPindai(["lost", "1", "--page", "1", "--as", "sup", "--reason", "x", "--store", dir + "/s.sqlite"])
        #expect(status != 0 && output.contains("page 1 of document 1 was scanned and read; it is not lost"), "\(output)")
    }
}
