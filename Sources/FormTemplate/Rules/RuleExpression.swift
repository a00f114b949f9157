/// A condition over field values, written in templates as text such as
/// `$405 = 2 and $407 >= 10 and $407 <= 54 and $408 in [2, 3, 4]`.
///
/// Field references start with `$`. Inside a repeated block a reference names the field of the
/// same repeat first (`$404` in member 3 means `m3.404`), then the form-level field.
package indirect enum RuleExpression: Hashable, Sendable {
    /// A field's numeric value (blank compares false with everything).
    case field(String)
    /// An integer literal.
    case number(Int)
    /// `lhs op rhs`.
    case compare(RuleExpression, Comparison, RuleExpression)
    /// `value in [1, 4..8]`.
    case isIn(RuleExpression, [ClosedRange<Int>])
    /// All must hold.
    case and([RuleExpression])
    /// Any must hold.
    case or([RuleExpression])
    /// Negation.
    case not(RuleExpression)
    /// `filled($x)`: the field has a value.
    case filled(String)
    /// `count(a, b, …)`: how many of the conditions hold (e.g. members present).
    case count([RuleExpression])
    /// `part($x, start, length)`: the number written in digits `start…start+length-1` (1-based)
    /// of a digit field, e.g. the birth day inside a NIK.
    case part(String, start: Int, length: Int)

    /// Comparison operators.
    package enum Comparison: String, Hashable, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
    }

    /// Every field id the expression reads.
    package var fieldReferences: [String] {
        switch self {
        case .field(let id), .filled(let id), .part(let id, _, _): [id]
        case .number: []
        case .count(let es): es.flatMap(\.fieldReferences)
        case .compare(let l, _, let r): l.fieldReferences + r.fieldReferences
        case .isIn(let e, _): e.fieldReferences
        case .and(let es), .or(let es): es.flatMap(\.fieldReferences)
        case .not(let e): e.fieldReferences
        }
    }

    /// The expression with every field reference passed through `rename`.
    package func mapFields(_ rename: (String) -> String) -> RuleExpression {
        switch self {
        case .field(let id): .field(rename(id))
        case .filled(let id): .filled(rename(id))
        case .part(let id, let start, let length): .part(rename(id), start: start, length: length)
        case .count(let es): .count(es.map { $0.mapFields(rename) })
        case .number: self
        case .compare(let l, let op, let r): .compare(l.mapFields(rename), op, r.mapFields(rename))
        case .isIn(let e, let set): .isIn(e.mapFields(rename), set)
        case .and(let es): .and(es.map { $0.mapFields(rename) })
        case .or(let es): .or(es.map { $0.mapFields(rename) })
        case .not(let e): .not(e.mapFields(rename))
        }
    }

    /// Evaluates the condition on numeric values (`nil` when blank).
    package func evaluate(_ value: (String) -> Int?) -> Bool {
        evaluate(text: { value($0).map(String.init) })
    }

    /// Evaluates the condition; `text` gives a field's value as written (digits with their
    /// leading zeros, a choice's code) or `nil` when blank. A comparison with a blank field is
    /// false, so "$410 = 1" fails on an empty 410.
    package func evaluate(text: (String) -> String?) -> Bool {
        switch self {
        case .field(let id): return text(id).flatMap { Int($0) } != nil
        case .number(let n): return n != 0
        case .part: return numeric(text) != nil
        case .count(let es): return es.contains { $0.evaluate(text: text) }
        case .filled(let id): return text(id).map { !$0.isEmpty } ?? false
        case .compare(let l, let op, let r):
            guard let a = l.numeric(text), let b = r.numeric(text) else { return false }
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            }
        case .isIn(let e, let set):
            guard let a = e.numeric(text) else { return false }
            return set.contains { $0.contains(a) }
        case .and(let es): return es.allSatisfy { $0.evaluate(text: text) }
        case .or(let es): return es.contains { $0.evaluate(text: text) }
        case .not(let e): return !e.evaluate(text: text)
        }
    }

    private func numeric(_ text: (String) -> String?) -> Int? {
        switch self {
        case .field(let id): return text(id).flatMap { Int($0) }
        case .number(let n): return n
        case .count(let es): return es.filter { $0.evaluate(text: text) }.count
        case .part(let id, let start, let length):
            guard let s = text(id), start >= 1, start - 1 + length <= s.count else { return nil }
            let chars = Array(s)
            return Int(String(chars[(start - 1)..<(start - 1 + length)]))
        default: return evaluate(text: text) ? 1 : 0
        }
    }
}

extension RuleExpression: CustomStringConvertible {
    /// The expression in template syntax.
    package var description: String {
        switch self {
        case .field(let id): "$\(id)"
        case .number(let n): "\(n)"
        case .filled(let id): "filled($\(id))"
        case .part(let id, let start, let length): "part($\(id), \(start), \(length))"
        case .count(let es): "count(\(es.map(\.description).joined(separator: ", ")))"
        case .compare(let l, let op, let r): "\(l) \(op.rawValue) \(r)"
        case .isIn(let e, let set):
            "\(e) in [\(set.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)..\($0.upperBound)" }.joined(separator: ", "))]"
        case .and(let es): es.map { $0.parenthesisedIfCompound }.joined(separator: " and ")
        case .or(let es): es.map { $0.parenthesisedIfCompound }.joined(separator: " or ")
        case .not(let e): "not \(e.parenthesisedIfCompound)"
        }
    }

    private var parenthesisedIfCompound: String {
        switch self {
        case .and, .or: "(\(self))"
        default: description
        }
    }
}
