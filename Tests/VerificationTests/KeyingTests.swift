import Foundation
import Evaluation
import FormTemplate
import Store
import Synthesis
import TestSupport
import Testing
import Verification
import Vocabulary

/// Names and addresses: typed from their images, stored normalised, promoted with the family,
/// and out of the store only through `export records`.
@Suite(.serialized) struct KeyingTests {
    @Test func typedTextIsStoredInCapitalsWithSingleSpaces() throws {
        let field = try #require(Fixtures.rskK4.field("108"))
        var edit = FieldEdit(field: field, reading: nil)
        for c in "  siti   nur\u{2009}" { _ = edit.apply(c == " " ? .space : .character(c)) }
        _ = edit.apply(.character("h"))
        _ = edit.apply(.backspace)
        #expect(edit.text == "  SITI   NUR", "what the keyer sees is what was typed (in capitals; the thin space was refused)")
        #expect(try edit.value.get() == "SITI NUR")
        let markedIllegible = edit.apply(.illegible)
        #expect(markedIllegible)
        let illegible = try edit.value.get()
        #expect(edit.illegible && illegible == nil)
        _ = edit.apply(.character("a"))
        let retyped = try edit.value.get()
        #expect(!edit.illegible && retyped == "A")
        let markedEmpty = edit.apply(.leftEmpty)
        #expect(markedEmpty)
        let empty = try edit.value.get()
        #expect(empty == nil)
        let refused = edit.apply(.character("\u{1F600}"))
        #expect(!refused, "not a character of a name")
        #expect(FieldEdit.normalised(" ana\tsari \n") == "ANA SARI")
    }

    @Test func onlyWrittenKeyedTextFieldsBecomeKeyingItems() async throws {
        let (_, store, _) = try await sampleStore()
        let truths = try SimulatedVerifier(truthDirectory: Fixtures.repositoryRoot + "/scans").truths
        var expected = 0
        for (_, truth) in truths {
            for (id, f) in truth.fields where f.kind == "text" && !(f.text ?? "").isEmpty && Fixtures.rskK4.field(id)?.keyed == true { expected += 1 }
        }
        var items = 0
        var kinds: Set<String> = []
        let session = VerificationSession(store: store, review: DocumentReview(templates: [Fixtures.rskK4], store: store, core: try CoreStore(path: store.path)), verifier: "k", queue: .keying)
        _ = try await session.loadNext()
        while let item = session.item {
            items += 1
            kinds.insert(Fixtures.rskK4.field(item.rule)?.baseID ?? "?")
            _ = try await session.handle(.skip)
            if items > 500 { break }
        }
        #expect(items == expected, "every written name and address, and no empty member column, no signature or note")
        #expect(kinds.isSubset(of: ["402", "106", "107", "108", "II.ppl_nama", "II.pml_nama"]), "\(kinds)")
    }

    @Test func keyedNamesReachTheCoreStoreAndLeaveOnlyThroughExportRecords() async throws {
        let (dir, store, review) = try await sampleStore()
        let simulator = try SimulatedVerifier(truthDirectory: Fixtures.repositoryRoot + "/scans")
        _ = try await simulator.run(VerificationSession(store: store, review: review, verifier: "sim"))
        let keyed = try await simulator.run(VerificationSession(store: store, review: review, verifier: "sim", queue: .keying))
        #expect(keyed.textKeystrokes <= keyed.textCharacters + keyed.textItems, "a careful keyer types each character once, then Enter")
        let records = try await CoreStore(path: dir + "/s.sqlite").records(template: Fixtures.rskK4)
        #expect(records.count == 5)
        for (family, members) in records {
            let serial = try #require(family["serial"].flatMap { Int($0) })
            let truth = try #require(simulator.truths[serial])
            #expect(family[CoreLayout.column("108")] == FieldEdit.normalised(truth.fields["108"]?.text ?? ""), "head of family of \(serial)")
            let first = try #require(members.first { $0["member"] == "1" })
            #expect(first[CoreLayout.column("402")] == FieldEdit.normalised(truth.fields["m1.402"]?.text ?? ""))
        }
        let readings = try await Fixtures.runPindai(["export", "--format", "csv", "--store", dir + "/s.sqlite"])
        let name = FieldEdit.normalised(try #require(simulator.truths[1]?.fields["108"]?.text))
        #expect(!readings.output.contains(name), "the readings export leaves keyed text in the store")
        let out = dir + "/records.csv"
        let exported = try await Fixtures.runPindai(["export", "records", "--format", "csv", "--store", dir + "/s.sqlite", "--out", out])
        #expect(exported.output.contains("personal data, readable by you only"))
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains(name))
        #expect((try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int) == 0o600)
    }
}

/// The area list: codes read on the page are checked against it, and keyers complete the
/// SLS name from the names it has for the village read on the same page.
@Suite(.serialized) struct AreaReferenceTests {
    /// The reference CSV of the sample's areas, leaving out the village of `drop`.
    func referenceCSV(_ truths: [Int: DocumentTruth], dropping drop: Int) throws -> String {
        var rows: [String: String] = [:]
        for (serial, t) in truths {
            let parts = try ["101", "102", "103", "104", "105"].map { try #require(t.fields[$0]?.text) }
            var code = ""
            for (i, p) in parts.enumerated() {
                code += p
                if serial == drop, i >= 3 { continue }
                rows[code] = i == 4 ? (t.fields["106"]?.text ?? "SLS") : "AREA \(code)"
            }
        }
        return "code,name\n" + rows.sorted { $0.key < $1.key }.map { "\($0.key),\"\($0.value)\"" }.joined(separator: "\n") + "\n"
    }

    @Test func anUnknownAreaCodeIsARecordProblemAndKnownNamesAreCompleted() async throws {
        let (dir, store, review) = try await sampleStore()
        let simulator = try SimulatedVerifier(truthDirectory: Fixtures.repositoryRoot + "/scans")
        let drop = try #require(simulator.truths.keys.max())
        try referenceCSV(simulator.truths, dropping: drop).write(toFile: dir + "/areas.csv", atomically: true, encoding: .utf8)
        let loaded = try await Fixtures.runPindai(["reference", "load", dir + "/areas.csv", "--store", dir + "/s.sqlite"])
        #expect(loaded.status == 0 && loaded.output.hasPrefix("loaded "), "\(loaded.output)")
        _ = try await review.refreshAll(batch: nil)
        for serial in simulator.truths.keys.sorted() {
            let rules = try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: serial).map(\.rule)
            #expect(rules.contains("area-code") == (serial == drop), "document \(serial): \(rules)")
        }
        // Keying 106 on the documents whose village is listed: a few letters and Enter.
        _ = try await simulator.run(VerificationSession(store: store, review: review, verifier: "sim"))
        let keyer = VerificationSession(store: store, review: review, verifier: "sim", fieldFilter: "106", queue: .keying)
        let report = try await simulator.run(keyer)
        #expect(report.textItems == simulator.truths.values.filter { !($0.fields["106"]?.text ?? "").isEmpty }.count)
        #expect(report.textKeystrokes < report.textCharacters, "completion from the list saves keys: \(report.textKeystrokes) keys for \(report.textCharacters) characters")
        for serial in simulator.truths.keys {
            let keyed = try await store.readings(form: "RSK-K4", serial: serial).first { $0.fieldID == "106" }?.value
            #expect(keyed == FieldEdit.normalised(simulator.truths[serial]?.fields["106"]?.text ?? ""), "the completed name is the right one")
        }
    }

    @Test func aBadReferenceFileNamesItsLines() async throws {
        let dir = Fixtures.temporaryDirectory()
        try "code,name\n64,KALIMANTAN TIMUR\n64x,BAD\n6472,\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let (status, output) = try await Fixtures.runPindai(["reference", "load", dir + "/bad.csv", "--store", dir + "/s.sqlite"])
        #expect(status == 1)
        #expect(output.contains("bad.csv:3: expected code,name") && output.contains("bad.csv:4: expected code,name"), "\(output)")
    }
}

extension AreaReferenceTests {
    /// A keyed SLS name unlike the list's name for the code on the same page is a warning on the
    /// record (either may be the one to correct), not a reason to hold the family back.
    @Test func aKeyedAreaNameUnlikeTheListsIsAWarning() async throws {
        let (dir, store, review) = try await sampleStore()
        let simulator = try SimulatedVerifier(truthDirectory: Fixtures.repositoryRoot + "/scans")
        try referenceCSV(simulator.truths, dropping: -1).write(toFile: dir + "/areas.csv", atomically: true, encoding: .utf8)
        #expect(try await Fixtures.runPindai(["reference", "load", dir + "/areas.csv", "--store", dir + "/s.sqlite"]).status == 0)
        _ = try await review.refreshAll(batch: nil)
        // The keyer types another name for 106 of the first document.
        let keyer = VerificationSession(store: store, review: review, verifier: "k", fieldFilter: "106", queue: .keying)
        _ = try await keyer.loadNext()
        let item = try #require(keyer.item)
        for c in "PASAR BARU" { _ = try await keyer.handle(c == " " ? .space : .character(c)) }
        _ = try await keyer.handle(.enter)
        let state = try await store.documentState(form: "RSK-K4", version: 1, serial: item.serial)
        #expect(state.warnings.contains { $0.hasPrefix("106 is keyed differently from the area list's name for code") }, "\(state.warnings)")
        #expect(!state.warnings.joined().contains("PASAR BARU"), "the warning names the code, not the keyed text")
        #expect(try await store.unfinishedItems(form: "RSK-K4", version: 1, serial: item.serial).allSatisfy { $0.rule != "area-name" })
    }
}

/// Names keyed twice, blind, as NIK numbers are: agreement stores the name, disagreement goes
/// to a supervisor.
@Suite(.serialized) struct DoubleKeyingTests {
    func key(_ text: String, _ session: VerificationSession) async throws {
        for c in text { _ = try await session.handle(c == " " ? .space : .character(c)) }
        _ = try await session.handle(.enter)
    }

    @Test(arguments: [true, false])
    func aNameKeyedTwiceIsStoredOnlyWhenBothAgree(agree: Bool) async throws {
        let (_, store, review) = try await sampleStore("double\(agree)")
        let first = VerificationSession(store: store, review: review, verifier: "ana", fieldFilter: "108", doubleEntry: ["108"], queue: .keying)
        _ = try await first.loadNext()
        let item = try #require(first.item)
        try await key("SITI NUR", first)
        #expect(try await store.item(id: item.id)?.status == .secondEntry)
        let second = VerificationSession(store: store, review: review, verifier: "bob", fieldFilter: "108", doubleEntry: ["108"], queue: .keying)
        _ = try await second.loadNext()
        #expect(second.item?.id == item.id && second.blindSecondEntry, "the second keyer gets the same field, blind")
        #expect(second.edits.first?.text == "", "and sees nothing of the first entry")
        try await key(agree ? "siti  nur" : "SITI NURUL", second)
        let status = try await store.item(id: item.id)?.status
        #expect(status == (agree ? .done : .referred))
        let value = try await store.readings(form: "RSK-K4", serial: item.serial).first { $0.fieldID == "108" }?.value
        if agree { #expect(value == "SITI NUR") } else { #expect(value == nil, "a disagreement stores nothing until a supervisor decides") }
    }
}
