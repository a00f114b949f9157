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
    /// `members(cond)`: how many member columns, over every set of the record, satisfy `cond`
    /// (whose references name member fields by base id). Only in a template's record rules.
    case members(RuleExpression)
    /// `number()`: the member's number in its record, numbered on across sets. Only in a
    /// template's member-scope record rules.
    case memberNumber

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
        case .number, .memberNumber, .members: []
        case .count(let es): es.flatMap(\.fieldReferences)
        case .compare(let l, _, let r): l.fieldReferences + r.fieldReferences
        case .isIn(let e, _): e.fieldReferences
        case .and(let es), .or(let es): es.flatMap(\.fieldReferences)
        case .not(let e): e.fieldReferences
        }
    }

    /// The member base ids read inside `members(…)`.
    package var memberReferences: [String] {
        switch self {
        case .members(let e): e.fieldReferences
        case .field, .filled, .part, .number, .memberNumber: []
        case .count(let es), .and(let es), .or(let es): es.flatMap(\.memberReferences)
        case .compare(let l, _, let r): l.memberReferences + r.memberReferences
        case .isIn(let e, _), .not(let e): e.memberReferences
        }
    }

    /// The expression with the references inside `members(…)` passed through `rename` (the
    /// others stay).
    package func mapMemberFields(_ rename: (String) -> String) -> RuleExpression {
        switch self {
        case .members(let e): .members(e.mapFields(rename))
        case .field, .filled, .part, .number, .memberNumber: self
        case .count(let es): .count(es.map { $0.mapMemberFields(rename) })
        case .and(let es): .and(es.map { $0.mapMemberFields(rename) })
        case .or(let es): .or(es.map { $0.mapMemberFields(rename) })
        case .compare(let l, let op, let r): .compare(l.mapMemberFields(rename), op, r.mapMemberFields(rename))
        case .isIn(let e, let set): .isIn(e.mapMemberFields(rename), set)
        case .not(let e): .not(e.mapMemberFields(rename))
        }
    }

    /// Whether the expression uses `members(…)` or `number()`, which only a record can answer.
    package var usesRecordFunctions: Bool {
        switch self {
        case .members, .memberNumber: true
        case .field, .filled, .part, .number: false
        case .count(let es), .and(let es), .or(let es): es.contains(where: \.usesRecordFunctions)
        case .compare(let l, _, let r): l.usesRecordFunctions || r.usesRecordFunctions
        case .isIn(let e, _), .not(let e): e.usesRecordFunctions
        }
    }

    /// Whether the expression uses `number()`.
    package var usesMemberNumber: Bool {
        switch self {
        case .memberNumber: true
        case .members, .field, .filled, .part, .number: false
        case .count(let es), .and(let es), .or(let es): es.contains(where: \.usesMemberNumber)
        case .compare(let l, _, let r): l.usesMemberNumber || r.usesMemberNumber
        case .isIn(let e, _), .not(let e): e.usesMemberNumber
        }
    }

    /// The first `members(…)` count in the expression, for messages that say what was found.
    package var firstMembersCount: RuleExpression? {
        switch self {
        case .members: self
        case .field, .filled, .part, .number, .memberNumber: nil
        case .count(let es), .and(let es), .or(let es): es.lazy.compactMap(\.firstMembersCount).first
        case .compare(let l, _, let r): l.firstMembersCount ?? r.firstMembersCount
        case .isIn(let e, _), .not(let e): e.firstMembersCount
        }
    }

    /// The expression with every field reference passed through `rename`.
    package func mapFields(_ rename: (String) -> String) -> RuleExpression {
        switch self {
        case .field(let id): .field(rename(id))
        case .filled(let id): .filled(rename(id))
        case .part(let id, let start, let length): .part(rename(id), start: start, length: length)
        case .count(let es): .count(es.map { $0.mapFields(rename) })
        case .number, .memberNumber, .members: self
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
        evaluate(text: text, members: [])
    }

    /// Evaluates the condition in a record: `members` are the lookups of every member column
    /// of the record (member base id → value; ``memberNumberKey`` → the member's number).
    package func evaluate(text: (String) -> String?, members: [(String) -> String?]) -> Bool {
        switch self {
        case .field(let id): return text(id).flatMap { Int($0) } != nil
        case .number(let n): return n != 0
        case .part: return numeric(text, members) != nil
        case .members, .memberNumber: return numeric(text, members).map { $0 != 0 } ?? false
        case .count(let es): return es.contains { $0.evaluate(text: text, members: members) }
        case .filled(let id): return text(id).map { !$0.isEmpty } ?? false
        case .compare(let l, let op, let r):
            guard let a = l.numeric(text, members), let b = r.numeric(text, members) else { return false }
            switch op {
            case .equal: return a == b
            case .notEqual: return a != b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            }
        case .isIn(let e, let set):
            guard let a = e.numeric(text, members) else { return false }
            return set.contains { $0.contains(a) }
        case .and(let es): return es.allSatisfy { $0.evaluate(text: text, members: members) }
        case .or(let es): return es.contains { $0.evaluate(text: text, members: members) }
        case .not(let e): return !e.evaluate(text: text, members: members)
        }
    }

    /// The key a member lookup answers with the member's number.
    package static let memberNumberKey = "#number"

    /// The expression's number, `nil` when it reads a blank field.
    package func numeric(_ text: (String) -> String?, _ members: [(String) -> String?] = []) -> Int? {
        switch self {
        case .field(let id): return text(id).flatMap { Int($0) }
        case .number(let n): return n
        case .count(let es): return es.filter { $0.evaluate(text: text, members: members) }.count
        case .members(let e): return members.filter { e.evaluate(text: $0, members: []) }.count
        case .memberNumber: return text(Self.memberNumberKey).flatMap { Int($0) }
        case .part(let id, let start, let length):
            guard let s = text(id), start >= 1, start - 1 + length <= s.count else { return nil }
            let chars = Array(s)
            return Int(String(chars[(start - 1)..<(start - 1 + length)]))
        default: return evaluate(text: text, members: members) ? 1 : 0
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
        case .members(let e): "members(\(e))"
        case .memberNumber: "number()"
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
