import FormTemplate
import Synthesis
import TestSupport
import Testing
import Validation

/// Each rule of the Regsosek form, shown to fail when broken and to pass on a consistent family.
@Suite struct DocumentValidatorTests {
    let template = Fixtures.rskK4
    var validator: DocumentValidator { DocumentValidator(template: template) }

    /// A consistent synthetic household, as field id → value text: set `k` of `n`.
    func household(_ seed: UInt64 = 5, set k: Int = 1, of n: Int = 1) -> [String: String] {
        var rng = SeededGenerator(seed: seed, stream: 1)
        let values = RecordGenerator(template: template).generate(using: &rng, set: k, of: n)
        var out: [String: String] = [:]
        for (id, v) in values {
            guard let field = template.field(id) else { continue }
            switch v {
            case .digits(let s) where !s.isEmpty: out[id] = s
            case .choice(let codes) where !codes.isEmpty:
                if case .choice(let g) = field.kind, let n = v.numeric(additive: g.additive) { out[id] = String(n) }
            case .checkbox(let b): out[id] = b ? "1" : "0"
            default: break
            }
        }
        return out
    }

    func rules(_ values: [String: String]) -> Set<String> {
        Set(validator.validate(values).map(\.rule))
    }

    /// A household with at least `members` members present, and the id of its first woman.
    func family(minimumMembers: Int) -> [String: String] {
        (1...200).lazy.map { household(UInt64($0)) }.first { Int($0["112"] ?? "0")! >= minimumMembers && $0["m2.404"] == "1" }!
    }

    @Test func consistentSyntheticFamiliesBreakNoHardRule() {
        for seed in 1...40 {
            let hard = validator.validate(household(UInt64(seed))).filter { $0.severity == .hard }
            #expect(hard.isEmpty, "seed \(seed): \(hard)")
        }
    }

    @Test func memberCountMustMatchMembersPresent() {
        var v = family(minimumMembers: 2)
        v["112"] = "09"
        #expect(rules(v).contains("member-count"))
    }

    @Test func exactlyOneHeadOfFamily() {
        var v = family(minimumMembers: 2)
        v["m2.409"] = "1"
        #expect(rules(v).contains("one-head"))
        v["m1.409"] = "3"
        v["m2.409"] = "3"
        #expect(rules(v).contains("one-head"))
    }

    @Test func twoSpousesAreASoftWarning() {
        var v = family(minimumMembers: 3)
        v["m2.409"] = "2"
        v["m3.409"] = "2"
        let found = validator.validate(v).first { $0.rule == "one-spouse" }
        #expect(found?.severity == .soft)
    }

    @Test func nikSexMustAgreeWithField405() throws {
        var v = family(minimumMembers: 1)
        let nik = try #require(v["m1.403"])
        v["m1.405"] = v["m1.405"] == "1" ? "2" : "1"
        let found = validator.validate(v).first { $0.rule == "m1.nik-sex" }
        #expect(found?.severity == .soft, "NIK \(nik.prefix(6))…")
    }

    @Test func nikBirthMonthMustAgreeWith406() {
        var v = family(minimumMembers: 1)
        v["m1.406m"] = v["m1.406m"] == "01" ? "02" : "01"
        #expect(rules(v).contains("m1.nik-birth"))
    }

    @Test func nikStructureIsHard() {
        var v = family(minimumMembers: 1)
        v["m1.403"] = "6472017508900001"
        let found = validator.validate(v).first { $0.rule == "m1.403:format" }
        #expect(found?.severity == .hard)
        #expect(found?.message == "m1.403 (403 NIK): NIK day 75 is not a date (01–31, or 41–71 for women)")
    }

    @Test func skipRulesWorkBothWays() {
        var v = family(minimumMembers: 1)
        // 410 (pregnant) applies only to women 10–54 who have married.
        v["m1.405"] = "1"
        v["m1.410"] = "1"
        #expect(rules(v).contains("m1.410:blank"))
        var w = family(minimumMembers: 1)
        w["m1.405"] = "2"
        w["m1.407"] = "30"
        w["m1.408"] = "2"
        w["m1.410"] = nil
        #expect(rules(w).contains("m1.410:required"))
    }

    @Test func ageGatesBlankEducationForYoungChildren() {
        var v = family(minimumMembers: 1)
        v["m1.407"] = "03"
        v["m1.412"] = "2"
        #expect(rules(v).contains("m1.412:blank"))
    }

    @Test func codeListsAndRangesAreChecked() {
        var v = family(minimumMembers: 1)
        v["303"] = "0"
        v["302"] = "998"
        let found = rules(v)
        #expect(found.contains("303:codes") && found.contains("302:range"))
    }

    @Test func unusedMemberColumnsMustBeBlank() {
        var v = family(minimumMembers: 1)
        let empty = (1...5).first { v["m\($0).404"] == nil }!
        v["m\(empty).407"] = "40"
        #expect(rules(v).contains("m\(empty).blank-column") || rules(v).contains("m\(empty).407:blank"))
    }

    @Test func identityStripsMustMatchAcrossPages() {
        var v = family(minimumMembers: 1)
        v["p3.110"] = v["p3.110"] == "001" ? "002" : "001"
        #expect(rules(v).contains("identity-p3"))
    }

    @Test func crossBlockRulesFollowTheQuestionnaire() {
        var v = family(minimumMembers: 1)
        v["307a"] = "1"
        v["307b1"] = "1"
        v["501d"] = "2"
        #expect(rules(v).contains("307b1-450W-needs-501d"))
        v["308"] = "02"
        v["502a"] = "2"
        #expect(rules(v).contains("308-lpg-needs-502a"))
    }
}

extension DocumentValidatorTests {
    @Test func everyTemplateRuleFiresWhenBroken() {
        let base = family(minimumMembers: 2)
        let cases: [(String, [String: String?])] = [
            ("identity-p2", ["p2.101": "65"]),
            ("identity-p4", ["p4.105": "009900"]),
            ("set-counter", ["set.k": "3", "set.n": "2"]),
            ("502-appliances-need-power", ["307a": "4", "307b1": nil, "502b": "1"]),
            ("m1.member-number", ["m1.401": "07"]),
        ]
        for (rule, change) in cases {
            var v = base
            for (k, value) in change { v[k] = value }
            #expect(rules(v).contains(rule), "\(rule) did not fire")
        }
        var unused = base
        let empty = (1...5).first { unused["m\($0).404"] == nil }!
        unused["m\(empty).430"] = "01"
        #expect(rules(unused).contains("m\(empty).blank-column-bf") || rules(unused).contains("m\(empty).430:blank"))
    }
}

/// The sets of a family of more than five members, checked together.
@Suite struct RecordValidatorTests {
    let template = Fixtures.rskK4
    let checks = DocumentValidatorTests()
    var linkage: RecordValidator { RecordValidator(template: template)! }

    func twoSets(_ seed: UInt64 = 3) -> [Int: [String: String]] {
        [10: checks.household(seed, set: 1, of: 2), 11: checks.household(seed, set: 2, of: 2)]
    }

    func rules(_ result: (violations: [Int: [Violation]], complete: Bool)) -> Set<String> {
        Set(result.violations.values.flatMap { $0.map(\.rule) })
    }

    @Test func bothSetsOfAConsistentLargeFamilyPassTogetherAndEachAlone() {
        for seed in UInt64(1)...20 {
            let sets = twoSets(seed)
            let result = linkage.validate(sets, final: true)
            #expect(result.complete && result.violations.isEmpty, "seed \(seed): \(result.violations)")
            for (serial, values) in sets {
                let hard = DocumentValidator(template: template).validate(values).filter { $0.severity == .hard }
                #expect(hard.isEmpty, "seed \(seed), set of serial \(serial): \(hard)")
            }
            #expect(linkage.linkKey(sets[10]!) == linkage.linkKey(sets[11]!))
        }
    }

    @Test func theSecondSetNumbersItsMembersOnAndLeavesTheFamilyBlocksBlank() {
        let second = twoSets()[11]!
        #expect(second["m1.401"] == "06")
        #expect(second["set.k"] == "2" && second["set.n"] == "2")
        #expect(second["301a"] == nil && second["502a"] == nil && second["II.ppl_kode"] == nil, "Blok II, III and V are on set 1 only")
        #expect(second["112"] == twoSets()[10]!["112"], "Blok I is written again")
    }

    @Test func aMissingSetIsAnErrorOnlyOnceTheBatchIsRead() {
        let first = [10: twoSets()[10]!]
        let reading = linkage.validate(first, final: false)
        #expect(!reading.complete && reading.violations.isEmpty)
        let done = linkage.validate(first, final: true)
        #expect(!done.complete && rules(done) == ["missing-sets"])
        #expect(done.violations[10]?.first?.message.hasPrefix("set 2 of 2 of this family is not in the store") == true)
    }

    @Test func rulesThatSpanTheSetsFireWhenBroken() {
        var sets = twoSets()
        sets[11]!["m1.401"] = "01"
        #expect(rules(linkage.validate(sets, final: true)).contains("family-member-numbers"))
        sets = twoSets()
        sets[10]!["112"] = "03"
        let count = rules(linkage.validate(sets, final: true))
        #expect(count.contains("family-member-count") && count.contains("family-blok-i"))
        sets = twoSets()
        sets[11]!["m1.409"] = "1"
        sets[11]!["m1.404"] = "1"
        #expect(rules(linkage.validate(sets, final: true)).contains("family-one-head"))
        sets = twoSets()
        sets[11]!["set.k"] = "1"
        #expect(rules(linkage.validate(sets, final: true)).contains("family-duplicate-set"))
        sets = twoSets()
        sets[11]!["set.n"] = "3"
        #expect(rules(linkage.validate(sets, final: true)) == ["family-set-count"])
    }

    @Test func aBlockWhenGovernsItsFields() throws {
        let housing = try #require(template.field("301a"))
        #expect(housing.validation.applies?.description == "$set.k = 1")
        guard case .when(let required) = housing.validation.required else {
            Issue.record("301a must be required only where its block applies")
            return
        }
        #expect(required.description == "$set.k = 1")
        let stripField = try #require(template.field("101"))
        #expect(stripField.validation.applies == nil, "Blok I applies on every set")
    }
}
