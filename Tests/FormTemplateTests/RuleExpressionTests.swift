import FormTemplate
import Testing

@Suite struct RuleExpressionTests {
    func eval(_ text: String, _ values: [String: Int]) throws -> Bool {
        try RuleParser.parse(text).evaluate { values[$0] }
    }

    @Test func comparisonsAndSetsFollowTheQuestionnaireRules() throws {
        let rule = "$405 = 2 and $407 >= 10 and $407 <= 54 and $408 in [2..4]"
        #expect(try eval(rule, ["405": 2, "407": 30, "408": 2]))
        #expect(try !eval(rule, ["405": 1, "407": 30, "408": 2]))
        #expect(try !eval(rule, ["405": 2, "407": 55, "408": 2]))
        #expect(try !eval(rule, ["405": 2, "407": 30, "408": 1]))
    }

    @Test func aBlankFieldComparesFalse() throws {
        #expect(try !eval("$410 = 1", [:]))
        #expect(try !eval("$410 != 1", [:]))
        #expect(try eval("not filled($410)", [:]))
    }

    @Test func orBindsLooserThanAndAndParenthesesGroup() throws {
        #expect(try eval("$a = 1 or $b = 1 and $c = 1", ["a": 1]))
        #expect(try !eval("($a = 1 or $b = 1) and $c = 1", ["a": 1]))
    }

    @Test func fieldToFieldComparisonsWork() throws {
        #expect(try eval("$set.k <= $set.n", ["set.k": 1, "set.n": 2]))
        #expect(try !eval("$set.k <= $set.n", ["set.k": 3, "set.n": 2]))
    }

    @Test func theDescriptionIsParseableTemplateSyntax() throws {
        let e = try RuleParser.parse("$a in [1, 4..8] and not ($b = 2 or filled($c))")
        #expect(e.description == "$a in [1, 4..8] and not ($b = 2 or filled($c))")
        #expect(try RuleParser.parse(e.description) == e)
    }

    @Test(arguments: [
        ("$a = ", "expression ends too early", 5),
        ("$a in [3..1]", "range 3..1 is empty", 10),
        ("$a # 2", "unexpected character '#'", 3),
        ("($a = 1", "expected ')' at the end", 7),
    ])
    func syntaxErrorsSayWhatAndWhere(text: String, message: String, offset: Int) {
        do {
            _ = try RuleParser.parse(text)
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.message == message)
            #expect(error.offset == offset)
        }
    }
}

@Suite struct PageIdentityTests {
    @Test func thePayloadRoundTrips() {
        let id = PageIdentity(form: "RSK-K4", version: 1, page: 3, serial: 17)
        #expect(id.payload == "PINDAI1|RSK-K4|1|3|0000000017")
        #expect(PageIdentity(payload: id.payload) == id)
        #expect(id.printedLine(pageCount: 4) == "RSK-K4 v1   Hal. 3/4   No. 0000000017")
    }

    @Test(arguments: ["", "PINDAI1|RSK-K4|1|3", "PINDAI2|RSK-K4|1|3|0000000017", "PINDAI1|RSK-K4|x|3|0000000017",
        "PINDAI1|RSK-K4|1|0|0000000017", "PINDAI1|RSK-K4|1|3|17", "https://example.org"])
    func foreignOrDamagedPayloadsAreRejected(payload: String) {
        #expect(PageIdentity(payload: payload) == nil)
    }
}

@Suite struct NumberFormatTests {
    @Test(arguments: [
        ("6472014508900001", nil),
        ("6472010508900001", nil),
        ("6472017508900001", "NIK day 75 is not a date (01–31, or 41–71 for women)"),
        ("6472014513900001", "NIK month 13 is not 01–12"),
        ("6472014508900000", "NIK serial 0000 is never issued"),
        ("9972014508900001", "NIK starts with 99, not a province code"),
        ("647201450890001", "a NIK has 16 digits"),
    ] as [(String, String?)])
    func nikStructureFollowsThePlus40Rule(nik: String, problem: String?) {
        #expect(NumberFormat.nik.problem(in: nik) == problem)
    }

    @Test func familyCardDatesHaveNoPlus40() {
        #expect(NumberFormat.kk.problem(in: "6472011508120042") == nil)
        #expect(NumberFormat.kk.problem(in: "6472014508120042") == "KK day 45 is not a date")
    }

    @Test func theTemplateChecksNIKAndKK() {
        #expect(Fixtures.rskK4.field("m4.403")?.validation.format == .nik)
        #expect(Fixtures.rskK4.field("114")?.validation.format == .kk)
    }

    @Test func aFieldsOwnRulesJudgeAWrittenValue() throws {
        let married = try #require(Fixtures.rskK4.field("m1.408")?.validation)
        #expect(married.problem(in: "9") == "9 is not in the code list")
        #expect(married.problem(in: "2") == nil)
        let kk = try #require(Fixtures.rskK4.field("114")?.validation)
        #expect(kk.problem(in: "2704013306220001") != nil, "27 is no province code")
    }
}

import TestSupport
