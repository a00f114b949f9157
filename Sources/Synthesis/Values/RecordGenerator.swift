import FormTemplate

/// Makes plausible, internally consistent field values for one synthetic questionnaire.
///
/// Any template is filled by ``TemplateRecord``: values drawn from each field's codes, ranges and
/// number formats, member columns numbered, then repaired until the form's hard rules hold. A
/// form may bring a plug-in with realistic records of its own (RSK-K4's Regsosek households);
/// fields the plug-in does not know still get generic values. Finally every field whose
/// template condition (`when:`) does not hold is blanked, so the truth obeys the form's skip rules.
package struct RecordGenerator: Sendable {
    /// The form being filled.
    package let template: FormTemplate

    /// The day of the interview; ages are computed at this date.
    static let surveyDate = (year: 2022, month: 10, day: 20)

    /// Creates a generator for `template`.
    package init(template: FormTemplate) {
        self.template = template
    }

    /// The plug-ins, by form id.
    static func plugin(for template: FormTemplate) -> (any FormPlugin.Type)? {
        [RegsosekHousehold.self].first { $0.formID == template.id }
    }

    /// Whether the form is filled by a plug-in of its own rather than from its template alone.
    package var usesPlugin: Bool { Self.plugin(for: template) != nil }

    /// One record's values on set `k` of the `n` sets it fills, keyed by field id (the same
    /// random stream gives the same record for every k).
    package func generate(using rng: inout SeededGenerator, set k: Int = 1, of n: Int = 1) -> [String: FieldValue] {
        guard let plugin = Self.plugin(for: template) else {
            return TemplateRecord(template: template).generate(using: &rng, set: k, of: n)
        }
        var values = plugin.generate(template: template, using: &rng, set: k, of: n)
        let known = plugin.knownBaseIDs
        for field in template.fields where !known.contains(field.baseID) && values[field.id] == nil {
            if case .always = field.validation.required {
                values[field.id] = randomValue(for: field, using: &rng)
            } else if rng.chance(0.6) {
                values[field.id] = randomValue(for: field, using: &rng)
            }
        }
        return enforceConditions(values)
    }

    /// Blanks fields whose `when:` condition fails, until nothing changes (conditions chain:
    /// 412 decides 413, 416a decides 416b).
    func enforceConditions(_ input: [String: FieldValue]) -> [String: FieldValue] {
        var values = input
        let fields = template.fields
        for _ in 0..<4 {
            var changed = false
            let lookup = numericLookup(values)
            for field in fields {
                guard let applies = field.validation.applies, values[field.id] != nil else { continue }
                if !applies.evaluate(lookup) {
                    values[field.id] = nil
                    changed = true
                }
            }
            if !changed { break }
        }
        return values
    }

    private func numericLookup(_ values: [String: FieldValue]) -> (String) -> Int? {
        var additive: [String: Bool] = [:]
        for f in template.fields {
            if case .choice(let g) = f.kind { additive[f.id] = g.additive }
        }
        return { id in values[id]?.numeric(additive: additive[id] ?? false) }
    }

    /// A random value that satisfies the field's own codes, range and number format.
    func randomValue(for field: Field, using rng: inout SeededGenerator) -> FieldValue {
        switch field.kind {
        case .digits(let boxes):
            let n = boxes.count
            if let format = field.validation.format, n == format.length {
                return .digits(format.example(using: &rng))
            }
            var candidates: [Int] = field.validation.codes ?? []
            if candidates.isEmpty, let r = field.validation.range {
                candidates = [Int.random(in: r, using: &rng)]
            }
            let v = candidates.randomElement(using: &rng) ?? Int.random(in: 0..<pow10(min(n, 9)), using: &rng)
            return .digits(zeroPadded(v, n))
        case .checkbox:
            return .checkbox(rng.chance(0.5))
        case .choice(let group):
            switch group.selection {
            case .exactlyOne, .atMostOne:
                return .choice([group.options.randomElement(using: &rng)!.code])
            case .any:
                let picked = group.options.filter { $0.code != 0 && rng.chance(0.35) }.map(\.code)
                if picked.isEmpty, let none = group.options.first(where: { $0.code == 0 }) { return .choice([none.code]) }
                return .choice(picked)
            }
        case .text:
            return .text(NameBook.male.randomElement(using: &rng)! + " " + NameBook.family.randomElement(using: &rng)!)
        }
    }
}

func pow10(_ n: Int) -> Int {
    var v = 1
    for _ in 0..<n { v *= 10 }
    return v
}

/// `7` in 3 boxes → `007`.
func zeroPadded(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}
