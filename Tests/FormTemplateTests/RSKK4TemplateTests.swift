import FormTemplate
import Geometry
import TestSupport
import Testing

/// The bundled Regsosek template: structure the reader, synthesis and validation rely on.
@Suite struct RSKK4TemplateTests {
    let template = Fixtures.rskK4

    @Test func itHasFourA4PagesWithFiducialsAndIdentityCodes() {
        #expect(template.id == "RSK-K4")
        #expect(template.pages.map(\.number) == [1, 2, 3, 4])
        #expect(template.paper == .a4)
        for page in template.pages {
            #expect(page.fiducials.count == 4)
        }
    }

    @Test func theIdentityStripIsOnEveryPage() {
        for prefix in ["", "p2.", "p3.", "p4."] {
            for id in ["101", "102", "103", "104", "105", "109", "110"] {
                #expect(template.field(prefix + id) != nil, "missing \(prefix + id)")
            }
        }
    }

    @Test func fiveMemberColumnsComeFromOneRepeatedBlock() throws {
        for n in 1...5 {
            let nik = try #require(template.field("m\(n).403"))
            guard case .digits(let boxes) = nik.kind else {
                Issue.record("NIK must be digit boxes")
                return
            }
            #expect(boxes.count == 16)
            #expect(nik.instance == n)
            #expect(nik.page == 2)
        }
        #expect(template.field("114").map { $0.boxes.count } == 16)
    }

    @Test func conditionsInsideAMemberReferToThatMember() throws {
        let f = try #require(template.field("m3.410"))
        let refs = Set(f.validation.applies?.fieldReferences ?? [])
        #expect(refs == ["m3.404", "m3.405", "m3.407", "m3.408"])
        let age = try #require(template.field("m2.413"))
        #expect(age.validation.applies?.description == "$m2.412 in [2, 3]")
    }

    @Test func additiveMultiSelectsSumTheirCodes() throws {
        for (id, codes) in [("m1.411", [0, 1, 2, 4]), ("m1.426", [1, 2, 4, 8, 16, 32]), ("m1.431a", [1, 2, 4, 8]), ("m1.431f", [1, 2, 4, 8, 16])] {
            let f = try #require(template.field(id))
            guard case .choice(let g) = f.kind else {
                Issue.record("\(id) must be a choice")
                continue
            }
            #expect(g.additive && g.selection == .any)
            #expect(g.options.map(\.code) == codes)
        }
    }

    @Test func noBoxOverlapsAnotherOrLeavesThePage() {
        for page in template.pages {
            let boxes = page.fields.flatMap { f in f.boxes.map { (f.id, $0) } }
            for (i, a) in boxes.enumerated() {
                #expect(template.paper.rect.contains(a.1))
                for b in boxes[(i + 1)...] where a.0 != b.0 {
                    #expect(!a.1.overlaps(b.1), "\(a.0) overlaps \(b.0)")
                }
            }
        }
    }
}
