import FormTemplate
import Testing

/// Every kind of template error, with the exact message a template author reads.
@Suite struct TemplateErrorTests {
    /// A small valid template; each test changes one thing.
    static let valid = """
        form: T-1
        version: 1
        pages:
          - page: 1
            content:
              - {id: "a", kind: digits, boxes: 2, at: [20, 40], required: true}
              - {id: "b", kind: checkbox, at: [40, 40]}
              - {id: "c", kind: choice, at: [60, 40], options: [{code: 1}, {code: 2}]}
              - {id: "d", kind: text, at: [20, 60], size: [80, 8]}
        """

    func errors(_ yaml: String) -> String {
        do {
            _ = try TemplateLoader.load(yaml: yaml, source: "t.yaml")
            return "no error"
        } catch {
            return error.description
        }
    }

    func replacing(_ old: String, with new: String) -> String {
        precondition(Self.valid.contains(old))
        return Self.valid.replacingOccurrences(of: old, with: new)
    }

    @Test func theValidTemplateLoads() throws {
        let t = try TemplateLoader.load(yaml: Self.valid, source: "t.yaml")
        #expect(t.fields.map(\.id) == ["a", "b", "c", "d"])
        #expect(t.pages[0].fiducials.count == 4)
    }

    @Test func duplicateIDsNameTheFirstDeclaration() {
        #expect(errors(replacing(#"{id: "b", kind: checkbox"#, with: #"{id: "a", kind: checkbox"#)) == """
            t.yaml:7:14: error: field a: duplicate field id (first declared at line 6) (give every field its own id; repeated blocks need a prefix such as "m{n}.")
            1 error
            """)
    }

    @Test func overlappingBoxesAreReportedWithBothFields() {
        #expect(errors(replacing("at: [40, 40]", with: "at: [24, 41]")) == """
            t.yaml:7:14: error: field b: box at (24, 41) mm overlaps field a (line 6) on page 1 (move one of them)
            1 error
            """)
    }

    @Test func boxesOffThePageAreReported() {
        #expect(errors(replacing("at: [20, 60], size: [80, 8]", with: "at: [150, 60], size: [80, 8]")) == """
            t.yaml:9:14: error: field d: box at (150, 60) mm, 80×8 mm, lies off the 210×297 mm page 1 (move it inside the paper)
            1 error
            """)
    }

    @Test func boxesOverARegistrationMarkAreReported() {
        #expect(errors(replacing("at: [40, 40]", with: "at: [200, 286]")) == """
            t.yaml:7:14: error: field b: box at (200, 286) mm on page 1 is over fiducial 3 (keep 2 mm clear around registration marks and the identity code)
            1 error
            """)
    }

    @Test func boxesOverTheIdentityCodeAreReported() {
        #expect(errors(replacing("at: [40, 40]", with: "at: [20, 15]")).hasPrefix(
            "t.yaml:7:14: error: field b: box at (20, 15) mm on page 1 is over the identity code"))
    }

    @Test func unknownKindsSuggestTheNearestKind() {
        #expect(errors(replacing("kind: checkbox", with: "kind: chekbox")) == """
            t.yaml:7:25: error: field b: unknown field kind 'chekbox' (did you mean 'checkbox'?)
            1 error
            """)
    }

    @Test func unknownKeysSuggestTheNearestKey() {
        #expect(errors(replacing("required: true", with: "requird: true")) == """
            t.yaml:6:57: error: field a: unknown key 'requird' in field a (did you mean 'required'?)
            1 error
            """)
    }

    @Test func missingKeysSayWhatToAdd() {
        #expect(errors(replacing(", boxes: 2", with: "")) == """
            t.yaml:6:9: error: field a: digits need 'boxes:' (how many digit boxes)
            1 error
            """)
    }

    @Test func conditionSyntaxErrorsPointAtTheColumn() {
        let yaml = replacing("required: true}", with: #"required: "$b = 1 and or $c = 2"}"#)
        #expect(errors(yaml) == """
            t.yaml:6:79: error: field a: condition "$b = 1 and or $c = 2": unexpected 'or' (field references start with '$', e.g. $or)
            1 error
            """)
    }

    @Test func conditionsMustReferToExistingFields() {
        #expect(errors(replacing("required: true}", with: #"required: "$bb = 1"}"#)) == """
            t.yaml:6:67: error: field a: condition "$bb = 1" refers to unknown field $bb (did you mean $b?)
            1 error
            """)
    }

    @Test func emptyRangesAreRejected() {
        #expect(errors(replacing("required: true}", with: "range: [9, 1]}")) == """
            t.yaml:6:64: error: field a: range [9, 1] is empty or not whole numbers (write [min, max] with min ≤ max)
            1 error
            """)
    }

    @Test func rangesMustFitTheBoxes() {
        #expect(errors(replacing("required: true}", with: "range: [0, 100]}")) == """
            t.yaml:6:64: error: field a: range 0…100 does not fit in 2 digit box(es) (0…99)
            1 error
            """)
    }

    @Test func codesMustFitTheBoxes() {
        #expect(errors(replacing("required: true}", with: "codes: [1..3, 120]}")) == """
            t.yaml:6:64: error: field a: code 120 does not fit in 2 digit box(es) (widen the field or fix the code list)
            1 error
            """)
    }

    @Test func additiveChoicesNeedPowersOfTwo() {
        let yaml = replacing("options: [{code: 1}, {code: 2}]}", with: "select: any, additive: true, options: [{code: 1}, {code: 3}]}")
        #expect(errors(yaml) == """
            t.yaml:8:85: error: field c: additive code 3 is not a power of two (additive codes are 1, 2, 4, 8… so that every sum is unique (0 may mean 'none'))
            1 error
            """)
    }

    @Test func choiceOptionsMustNotShareCodes() {
        #expect(errors(replacing("[{code: 1}, {code: 2}]", with: "[{code: 1}, {code: 1}]")) == """
            t.yaml:8:56: error: field c: two options share a code (codes: 1, 1)
            1 error
            """)
    }

    @Test func badSelectionRulesListTheAllowedOnes() {
        #expect(errors(replacing("options: [{code: 1}", with: "select: one, options: [{code: 1}")) == """
            t.yaml:8:55: error: field c: select must be one of exactly-one, at-most-one, any — not 'one'
            1 error
            """)
    }

    @Test func yamlSyntaxErrorsGiveTheLine() {
        let message = errors(replacing("  - page: 1", with: "  - page: [1"))
        #expect(message.hasPrefix("t.yaml:5:"))
        #expect(message.contains("error: YAML syntax:"))
    }

    @Test func unknownBlocksSuggestTheDefinedOnes() {
        let yaml = """
            form: T-1
            version: 1
            blocks:
              member: [{id: "x", kind: checkbox, at: [20, 40]}]
            pages:
              - page: 1
                content:
                  - {use: membr, at: [0, 0]}
            """
        #expect(errors(yaml) == """
            t.yaml:8:15: error: unknown block 'membr' (did you mean 'member'?)
            1 error
            """)
    }

    @Test func repeatedBlocksNeedAPrefix() {
        let yaml = """
            form: T-1
            version: 1
            blocks:
              member: [{id: "x", kind: checkbox, at: [20, 40]}]
            pages:
              - page: 1
                content:
                  - {use: member, at: [0, 0], repeat: {count: 2, step: [0, 10]}}
            """
        #expect(errors(yaml) == """
            t.yaml:4:17: error: field x: duplicate field id (first declared at line 4) (give every field its own id; repeated blocks need a prefix such as "m{n}.")
            t.yaml:8:15: error: a repeated block needs 'prefix:' containing {n}, e.g. prefix: "m{n}." (otherwise every repeat declares the same field ids)
            2 errors
            """)
    }

    @Test func everyProblemIsReportedAtOnceInFileOrder() {
        var yaml = replacing("kind: checkbox", with: "kind: box")
        yaml = yaml.replacingOccurrences(of: "boxes: 2", with: "boxes: 40")
        let message = errors(yaml)
        #expect(message.hasSuffix("2 errors"))
        #expect(message.components(separatedBy: "\n")[0].hasPrefix("t.yaml:6:"))
        #expect(message.components(separatedBy: "\n")[1].hasPrefix("t.yaml:7:"))
    }

    @Test func missingFilesSayHowToFixThem() {
        do {
            _ = try TemplateLoader.load(contentsOf: "/nonexistent/form.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == """
                /nonexistent/form.yaml: error: cannot read the template file (check that the path exists and is a readable UTF-8 text file)
                1 error
                """)
        }
    }

    @Test func recordSectionsNameOnlyFieldsTheTemplateHas() {
        let yaml = Self.valid + """

            record:
              name: keluarga
              link: ["a", "z"]
              rules:
                - {id: r1, check: "members(filled($a)) = 1"}
            """
        #expect(errors(yaml) == """
            t.yaml:12:15: error: record.link names field z, which the template does not have (did you mean a?)
            t.yaml:14:23: error: condition "members(filled($a)) = 1": members() reads member fields, and a is not one (name a field of the repeated block by its base id)
            2 errors
            """)
    }

    @Test func recordFunctionsBelongToRecordRules() {
        #expect(errors(replacing(#"required: true}"#, with: #"required: "members(filled($a)) > 0"}"#)).contains("members("))
    }
}

import Foundation
