import FormTemplate
import Vocabulary

/// A digit value that breaks its field's own rules (code list, range, NIK/KK structure) has
/// usually one misread digit. Trying the recogniser's runner-up for one box at a time, least
/// sure box first, finds a value that keeps the rules; the field still goes to a person, who
/// then sees the likelier value.
package enum DigitRepair {
    /// The boxes with one digit replaced so that their value keeps `validation`'s rules, and the
    /// index of that box; `nil` when no single runner-up does.
    package static func repair(_ boxes: [BoxReading], validation: FieldValidation, runnersUp: Int = 2) -> (boxes: [BoxReading], box: Int)? {
        let order = boxes.indices.filter { boxes[$0].state == .read }.sorted { (boxes[$0].raw ?? 1) < (boxes[$1].raw ?? 1) }
        for i in order {
            for alternative in (boxes[i].alternatives ?? []).prefix(runnersUp) {
                var candidate = boxes
                candidate[i].digit = alternative.digit
                if validation.problem(in: candidate.compactMap(\.digit).joined()) == nil { return (candidate, i) }
            }
        }
        return nil
    }
}
