import FormTemplate
import Validation

/// Fills any form from its template alone: every field from its own codes, range and number
/// format; the record's set counter and member numbers from its `record:` section; a number of
/// members that fits the sets; then a repair by small random changes (and by solving
/// `$field = …` rules outright) until no hard rule of the form, nor of its record, fails.
/// Values are valid together, not realistic: a form that needs realism brings a ``FormPlugin``.
struct TemplateRecord {
    let template: FormTemplate
    private let base: RecordGenerator
    private let validator: DocumentValidator
    private let records: RecordValidator?

    /// Repair steps before giving up on a record (it is then written as it is: the truth says
    /// what was written, and validation will flag it).
    static let repairSteps = 2000

    init(template: FormTemplate) {
        self.template = template
        base = RecordGenerator(template: template)
        validator = DocumentValidator(template: template)
        records = RecordValidator(template: template)
    }

    func generate(using rng: inout SeededGenerator, set k: Int, of n: Int) -> [String: FieldValue] {
        let layout = template.record
        let perSet = template.membersPerSet
        let usedBy = Set(layout.members.used?.fieldReferences ?? [])
        var values: [String: FieldValue] = [:]
        var fixed = Set<String>()
        // Record-level fields come first from the record's stream, so every set draws the same.
        for field in template.fields where field.instance == nil { values[field.id] = draw(field, using: &rng) }
        if let counter = layout.sets {
            for (id, v) in [(counter.index, k), (counter.count, n)] {
                if let f = template.field(id) { values[id] = .digits(zeroPadded(v, f.boxes.count)) }
                fixed.insert(id)
            }
        }
        if n > 1 { fixed.formUnion(template.fields.filter { $0.instance == nil }.map(\.id)) }
        // Members: how many the record has, then sets 1…k drawn in turn so that set k's members
        // come from the same stream whichever set is being written.
        let total = perSet == 0 ? 0 : (n > 1 ? Int.random(in: (perSet * (n - 1) + 1)...(perSet * n), using: &rng) : Int.random(in: 1...perSet, using: &rng))
        for j in 1...max(1, k) {
            var drawn: [String: FieldValue] = [:]
            for field in template.fields {
                guard let c = field.instance else { continue }
                let number = (j - 1) * perSet + c
                guard number <= total else {
                    fixed.insert(field.id)
                    continue
                }
                if field.baseID == layout.members.number {
                    drawn[field.id] = .digits(zeroPadded(number, field.boxes.count))
                    fixed.insert(field.id)
                } else if usedBy.contains(field.baseID) {
                    // What makes a column a member is always written in a member's column.
                    drawn[field.id] = base.randomValue(for: field, using: &rng)
                } else {
                    drawn[field.id] = draw(field, using: &rng)
                }
            }
            if j == k { values.merge(drawn) { _, new in new } }
        }
        let members = (1...max(1, perSet)).filter { (k - 1) * perSet + $0 <= total }
        return repair(base.enforceConditions(values), fixed: fixed, members: members, alone: n == 1, using: &rng)
    }

    /// A value for a field that must or may be written: required ones always, optional ones
    /// more often than not.
    private func draw(_ field: Field, using rng: inout SeededGenerator) -> FieldValue? {
        if case .never = field.validation.required, !rng.chance(0.6) { return nil }
        return base.randomValue(for: field, using: &rng)
    }

    private func repair(
        _ start: [String: FieldValue], fixed: Set<String>, members: [Int], alone: Bool, using rng: inout SeededGenerator
    ) -> [String: FieldValue] {
        var values = start
        func hardViolations(_ values: [String: FieldValue]) -> [Violation] {
            self.hardViolations(values, members: members, alone: alone)
        }
        var problems = hardViolations(values)
        var steps = 0
        while !problems.isEmpty, steps < Self.repairSteps {
            steps += 1
            let problem = problems.randomElement(using: &rng)!
            var candidate = values
            if let solved = solve(problem, in: values, fixed: fixed) {
                candidate = solved
            } else {
                let free = problem.fields.filter { !fixed.contains($0) && template.field($0) != nil }
                // A field's own rule (`403:required`) is best repaired in that field.
                let own = problem.rule.hasPrefix((problem.fields.first ?? "") + ":") && free.first == problem.fields.first
                guard let id = own && rng.chance(0.7) ? free.first : free.randomElement(using: &rng), let field = template.field(id) else { continue }
                if candidate[id] != nil, case .when = field.validation.required, rng.chance(0.3) {
                    candidate[id] = nil
                } else if candidate[id] != nil, case .never = field.validation.required, rng.chance(0.4) {
                    candidate[id] = nil
                } else {
                    candidate[id] = base.randomValue(for: field, using: &rng)
                }
            }
            candidate = base.enforceConditions(candidate)
            let next = hardViolations(candidate)
            if next.count <= problems.count {
                values = candidate
                problems = next
            }
        }
        return values
    }

    /// `$x = expression` failing: write the expression's value into `x` when it fits the field.
    private func solve(_ problem: Violation, in values: [String: FieldValue], fixed: Set<String>) -> [String: FieldValue]? {
        guard let rule = template.rules.first(where: { $0.id == problem.rule }),
            case .compare(let l, .equal, let r) = rule.check
        else { return nil }
        let text = strings(values)
        let lookup: (String) -> String? = { text[$0] }
        for (target, source) in [(l, r), (r, l)] {
            guard case .field(let id) = target, !fixed.contains(id), let field = template.field(id), case .digits(let boxes) = field.kind,
                let value = source.numeric(lookup), value >= 0, String(value).count <= boxes.count
            else { continue }
            if let codes = field.validation.codes, !codes.contains(value) { continue }
            if let range = field.validation.range, !range.contains(value) { continue }
            var out = values
            out[id] = .digits(zeroPadded(value, boxes.count))
            return out
        }
        return nil
    }

    /// The hard rules `values` break, and each member column whose `members.used` condition
    /// does not hold although the record has that member.
    private func hardViolations(_ values: [String: FieldValue], members: [Int], alone: Bool) -> [Violation] {
        let text = strings(values)
        var out = validator.validate(text).filter { $0.severity == .hard }
        if let used = template.record.members.used {
            for c in members {
                let ids = Dictionary(template.fields.filter { $0.instance == c }.map { ($0.baseID, $0.id) }) { a, _ in a }
                if !used.evaluate(text: { id in ids[id].flatMap { text[$0] } ?? text[id] }) {
                    out.append(Violation(rule: "member-used", fields: used.fieldReferences.compactMap { ids[$0] }, severity: .hard, message: ""))
                }
            }
        }
        if alone, let records { out += records.validateAlone(serial: 0, values: text).filter { $0.severity == .hard } }
        return out
    }

    /// The values as validation reads them: digit strings, a choice's code or additive sum.
    private func strings(_ values: [String: FieldValue]) -> [String: String] {
        var out: [String: String] = [:]
        for (id, v) in values {
            guard let field = template.field(id) else { continue }
            switch v {
            case .digits(let s) where !s.isEmpty: out[id] = s
            case .choice(let codes) where !codes.isEmpty:
                if case .choice(let g) = field.kind, let n = v.numeric(additive: g.additive) { out[id] = String(n) }
            case .checkbox(let b): out[id] = b ? "1" : "0"
            case .text(let s) where !s.isEmpty: out[id] = s
            default: break
            }
        }
        return out
    }
}
