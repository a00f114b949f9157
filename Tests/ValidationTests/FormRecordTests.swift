import FormTemplate
import Store
import Synthesis
import TestSupport
import Testing
import Validation

/// A second form that shares nothing with RSK-K4: its record, members and rules come from its
/// template alone.
@Suite struct FormRecordTests {
    let template = Fixtures.pkKeluarga
    var records: RecordValidator { RecordValidator(template: template)! }

    /// A consistent synthetic family of the form, as field id → value text.
    func family(_ seed: UInt64 = 4) -> [String: String] {
        var rng = SeededGenerator(seed: seed, stream: 1)
        var out: [String: String] = [:]
        for (id, v) in RecordGenerator(template: template).generate(using: &rng) {
            guard let field = template.field(id) else { continue }
            switch v {
            case .digits(let s) where !s.isEmpty: out[id] = s
            case .choice(let codes) where !codes.isEmpty:
                if case .choice(let g) = field.kind, let n = v.numeric(additive: g.additive) { out[id] = String(n) }
            default: break
            }
        }
        return out
    }

    func failing(_ values: [String: String]) -> Set<String> {
        Set(records.validateAlone(serial: 1, values: values).map(\.rule))
    }

    @Test func theTemplateDeclaresItsRecordAndMembers() {
        let record = template.record
        #expect(record.name == "keluarga" && record.members.name == "anggota" && record.members.number == "a01")
        #expect(record.sets == nil && record.link.isEmpty)
        #expect(record.rules.map(\.id) == ["jumlah-anggota", "satu-kepala", "pus-istri"])
        #expect(template.membersPerSet == 6)
        #expect(Set(template.fields.map(\.id)).isDisjoint(with: Fixtures.rskK4.fields.map(\.id)), "the forms share no field id")
    }

    @Test func recordRulesCountMembersOverTheWholeTable() throws {
        var values = family()
        #expect(failing(values).isEmpty)
        let count = try #require(Int(values["k10"] ?? ""))
        values["k10"] = String(format: "%02d", count == 6 ? 5 : count + 1)
        let wrongCount = records.validateAlone(serial: 1, values: values)
        #expect(wrongCount.map(\.rule) == ["jumlah-anggota"])
        #expect(wrongCount.first?.message == "k10 (jumlah anggota) differs from the \(count) members listed in Blok III")
        #expect(wrongCount.first?.fields == ["k10"] + (1...count).map { "ang\($0).a05" })
    }

    @Test func exactlyOneHeadIsARecordRule() throws {
        var values = family()
        let head = try #require((1...6).first { values["ang\($0).a05"] == "1" })
        values["ang\(head).a05"] = "7"
        let broken = records.validateAlone(serial: 1, values: values).filter { $0.rule == "satu-kepala" }
        #expect(broken.first?.message == "exactly one member must be the head of the family (a05 = 1); found 0")
    }

    @Test func aCoupleOfReproductiveAgeNeedsAMarriedWoman() {
        let values = (1...200).lazy.map { family(UInt64($0)) }.first { $0["k11"] == "1" }
        guard var values else {
            Issue.record("no synthetic family with k11 = 1")
            return
        }
        for n in 1...6 where values["ang\(n).a04"] == "2" { values["ang\(n).a06"] = "1" }
        #expect(failing(values).contains("pus-istri"))
    }

    @Test func theCoreStoreTablesAreNamedForTheDeclaredUnits() {
        #expect(CoreLayout.tables(for: template) == ("keluarga_pk_kel_v1", "anggota_pk_kel_v1"))
        #expect(CoreLayout.tables(for: Fixtures.rskK4) == ("family_rsk_k4_v1", "member_rsk_k4_v1"))
        let (record, member) = CoreLayout.layout(template)
        #expect(record.map(\.id).contains("k08") && !record.contains { $0.id.hasPrefix("ang") })
        #expect(member.map(\.baseID) == ["a01", "a02", "a05", "a03", "a04", "a06", "a07", "a08"])
    }
}
