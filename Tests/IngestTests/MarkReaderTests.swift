import FormTemplate
import Geometry
import MarkReading
import TestSupport
import Testing

@Suite struct MarkReaderTests {
    let reader = MarkReader()

    @Test(arguments: [
        (0.0, MarkReader.BoxState.empty), (0.02, .empty), (0.05, .marginal), (0.12, .marked), (0.45, .marked), (0.7, .marked),
        (0.9, .marginal), (0.97, .cancelled),
    ])
    func inkSharesFallIntoTheBands(fill: Double, state: MarkReader.BoxState) {
        #expect(reader.classify(fill).0 == state)
    }

    @Test func confidenceGrowsAwayFromTheThresholds() {
        #expect(reader.classify(0.0).1 > reader.classify(0.03).1)
        #expect(reader.classify(0.3).1 > reader.classify(0.1).1)
        #expect(reader.classify(0.05).1 < 0.5)
    }

    func marks(_ states: [(Int, MarkReader.BoxState)]) -> [MarkReader.BoxMark] {
        states.map { MarkReader.BoxMark(code: $0.0, fill: 0, state: $0.1, confidence: 0.9) }
    }

    @Test func exactlyOneWithTwoMarksGoesToAPerson() throws {
        let field = try #require(Fixtures.rskK4.field("m1.405"))
        let r = ChoiceReading(field: field, marks: marks([(1, .marked), (2, .marked)]))
        #expect(r.value == nil && r.problem == "2 boxes marked where one is allowed")
        let ok = ChoiceReading(field: field, marks: marks([(1, .cancelled), (2, .marked)]))
        #expect(ok.value == 2 && ok.problem == nil, "a box filled to cancel does not count")
    }

    @Test func additiveChoicesSumTheirMarks() throws {
        let field = try #require(Fixtures.rskK4.field("m2.411"))
        #expect(ChoiceReading(field: field, marks: marks([(0, .empty), (1, .marked), (2, .empty), (4, .marked)])).value == 5)
        let both = ChoiceReading(field: field, marks: marks([(0, .marked), (1, .marked), (2, .empty), (4, .empty)]))
        #expect(both.value == nil && both.problem == "'none' (0) is marked together with other codes")
    }

    @Test func aMarginalBoxMakesTheFieldDoubtful() throws {
        let field = try #require(Fixtures.rskK4.field("111"))
        let r = ChoiceReading(field: field, marks: marks([(1, .empty), (2, .marginal), (3, .marked)]))
        #expect(r.problem == "unclear mark in box 2" && r.confidence <= 0.3)
    }
}
