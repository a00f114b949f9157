import FormTemplate
import Reading
import Testing
import Vocabulary

/// A value that breaks its field's own rules is read again from the runner-up digits.
@Suite struct DigitRepairTests {
    func box(_ digit: String, raw: Double, _ runnersUp: [String]) -> BoxReading {
        BoxReading(
            digit: digit, code: nil, ink: 0.15, state: .read, confidence: 0.9, raw: raw,
            alternatives: runnersUp.map { .init(digit: $0, confidence: 0) })
    }

    @Test func theLeastSureBoxTakesTheRunnerUpThatKeepsTheCodeList() throws {
        let codes = FieldValidation(codes: [1, 2, 3, 4])
        let (boxes, index) = try #require(DigitRepair.repair([box("9", raw: 0.93, ["4", "7"])], validation: codes))
        #expect(index == 0 && boxes[0].digit == "4")
        let twoBoxes = FieldValidation(range: 10...31)
        let read = [box("3", raw: 0.99, ["8"]), box("7", raw: 0.95, ["1", "2"])]
        let (fixed, at) = try #require(DigitRepair.repair(read, validation: twoBoxes))
        #expect(at == 1 && fixed.map(\.digit) == ["3", "1"], "the less sure second box changes first")
    }

    @Test func noRepairWhenNoSingleRunnerUpKeepsTheRules() {
        let codes = FieldValidation(codes: [1, 2])
        #expect(DigitRepair.repair([box("9", raw: 0.99, ["7", "8"])], validation: codes) == nil)
        #expect(DigitRepair.repair([box("5", raw: 0.99, ["6"])], validation: FieldValidation(codes: [1]), runnersUp: 0) == nil)
    }
}
