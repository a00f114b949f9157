import FormTemplate

/// Checks a document's values against its template: every field's own rules (required,
/// required-if, applies-only-if, code list, range, number structure) and the form's cross-field
/// rules, each with its severity.
package struct DocumentValidator: Sendable {
    /// The form.
    package let template: FormTemplate

    /// Creates a validator for `template`.
    package init(template: FormTemplate) {
        self.template = template
    }

    /// Every rule `values` breaks. `values` maps field ids to their values as written (digit
    /// strings with leading zeros, a choice's code or additive sum); absent means blank. Text
    /// fields are images, so their presence is not judged here.
    package func validate(_ values: [String: String]) -> [Violation] {
        let text: (String) -> String? = { id in values[id].flatMap { $0.isEmpty ? nil : $0 } }
        var out: [Violation] = []
        for field in template.fields {
            if case .text = field.kind { continue }
            let value = text(field.id)
            let v = field.validation
            let name = field.label.isEmpty ? field.id : "\(field.id) (\(field.label))"
            if let applies = v.applies, value != nil, !applies.evaluate(text: text) {
                out.append(
                    Violation(
                        rule: field.id + ":blank", fields: [field.id] + applies.fieldReferences.uniqued, severity: v.severity,
                        message: "\(name) must be blank: it applies only when \(applies)"))
                continue
            }
            if value == nil {
                switch v.required {
                case .always:
                    out.append(Violation(rule: field.id + ":required", fields: [field.id], severity: v.severity, message: "\(name) is required"))
                case .when(let condition) where condition.evaluate(text: text):
                    out.append(
                        Violation(
                            rule: field.id + ":required", fields: [field.id] + condition.fieldReferences.uniqued, severity: v.severity,
                            message: "\(name) is required when \(condition)"))
                default:
                    break
                }
                continue
            }
            guard let value else { continue }
            if let n = Int(value) {
                if let codes = v.codes, !codes.contains(n) {
                    out.append(Violation(rule: field.id + ":codes", fields: [field.id], severity: v.severity, message: "\(name): \(value) is not in the code list"))
                }
                if let range = v.range, !range.contains(n) {
                    out.append(
                        Violation(
                            rule: field.id + ":range", fields: [field.id], severity: v.severity,
                            message: "\(name): \(value) is outside \(range.lowerBound)–\(range.upperBound)"))
                }
            }
            if let format = v.format, let problem = format.problem(in: value) {
                out.append(Violation(rule: field.id + ":format", fields: [field.id], severity: v.severity, message: "\(name): \(problem)"))
            }
        }
        for rule in template.rules {
            if let applies = rule.applies, !applies.evaluate(text: text) { continue }
            if !rule.check.evaluate(text: text) {
                let fields = (rule.check.fieldReferences + (rule.applies?.fieldReferences ?? [])).uniqued
                out.append(Violation(rule: rule.id, fields: fields, severity: rule.severity, message: rule.message))
            }
        }
        return out
    }
}

extension Array where Element: Hashable {
    /// The elements in order, each once.
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
