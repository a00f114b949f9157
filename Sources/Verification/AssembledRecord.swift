import FormTemplate
import Validation

/// A record as the core store keeps it (a family on RSK-K4): the record-level fields of its
/// first set and its members numbered across all its sets.
struct AssembledRecord: Sendable {
    /// The first set's serial: the record's key in the core store.
    var serial: Int
    /// Record-level field id → value.
    var family: [String: String]
    /// Member number → base field id → value.
    var members: [Int: [String: String]]

    /// Assembles the record from the values of each set, by set index (1 for a single set).
    init(template: FormTemplate, sets: [(serial: Int, index: Int, values: [String: String])]) {
        let ordered = sets.sorted { $0.index < $1.index }
        serial = ordered.first?.serial ?? 0
        family = [:]
        members = [:]
        for field in template.fields where field.instance == nil {
            if let v = ordered.first?.values[field.id] { family[field.id] = v }
        }
        for set in ordered {
            for field in template.fields {
                guard let column = field.instance, let v = set.values[field.id] else { continue }
                members[template.memberNumber(set: set.index, column: column), default: [:]][field.baseID] = v
            }
        }
    }
}
