/// Parses the template condition language into a ``RuleExpression``.
///
/// Grammar: `or := and ("or" and)*`, `and := not ("and" not)*`, `not := "not" not | cmp`,
/// `cmp := atom (op atom | "in" "[" item ("," item)* "]")?`, `atom := $id | int | "(" or ")" |
/// "filled" "(" $id ")" | "count" "(" or ("," or)* ")" | "part" "(" $id "," int "," int ")" |
/// "members" "(" or ")" | "number" "(" ")"` (the last two in record rules only),
/// `item := int | int ".." int`.
package struct RuleParser {
    private var tokens: [Token]
    private var index = 0

    /// Parses `text`; throws ``RuleSyntaxError`` with the column where parsing stopped.
    package static func parse(_ text: String) throws(RuleSyntaxError) -> RuleExpression {
        var parser = RuleParser(tokens: try Self.tokenize(text), length: text.count)
        let expr = try parser.parseOr()
        guard parser.index == parser.tokens.count else {
            throw RuleSyntaxError(message: "unexpected '\(parser.tokens[parser.index].text)'", offset: parser.tokens[parser.index].offset)
        }
        return expr
    }

    private let length: Int

    private init(tokens: [Token], length: Int) {
        self.tokens = tokens
        self.length = length
    }

    private struct Token {
        var text: String
        var offset: Int
    }

    private static func tokenize(_ text: String) throws(RuleSyntaxError) -> [Token] {
        var out: [Token] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == " " || c == "\t" { i += 1; continue }
            let start = i
            if c == "$" || c.isLetter || c.isNumber || c == "_" {
                i += 1
                while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == "." {
                    // Stop before a range operator "..".
                    if chars[i] == ".", i + 1 < chars.count, chars[i + 1] == "." { break }
                    i += 1
                }
            } else if "<>!=".contains(c) {
                i += 1
                if i < chars.count, chars[i] == "=" { i += 1 }
            } else if c == ".", i + 1 < chars.count, chars[i + 1] == "." {
                i += 2
            } else if "()[],".contains(c) {
                i += 1
            } else {
                throw RuleSyntaxError(message: "unexpected character '\(c)'", offset: i)
            }
            out.append(Token(text: String(chars[start..<i]), offset: start))
        }
        return out
    }

    private var current: Token? { index < tokens.count ? tokens[index] : nil }

    private var endOffset: Int { length }

    private mutating func accept(_ text: String) -> Bool {
        if current?.text == text {
            index += 1
            return true
        }
        return false
    }

    private mutating func expect(_ text: String) throws(RuleSyntaxError) {
        guard accept(text) else {
            throw RuleSyntaxError(
                message: "expected '\(text)'" + (current.map { " but found '\($0.text)'" } ?? " at the end"),
                offset: current?.offset ?? endOffset)
        }
    }

    private mutating func parseOr() throws(RuleSyntaxError) -> RuleExpression {
        var terms = [try parseAnd()]
        while accept("or") { terms.append(try parseAnd()) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    private mutating func parseAnd() throws(RuleSyntaxError) -> RuleExpression {
        var terms = [try parseNot()]
        while accept("and") { terms.append(try parseNot()) }
        return terms.count == 1 ? terms[0] : .and(terms)
    }

    private mutating func parseNot() throws(RuleSyntaxError) -> RuleExpression {
        if accept("not") { return .not(try parseNot()) }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(RuleSyntaxError) -> RuleExpression {
        let lhs = try parseAtom()
        if let t = current, let op = RuleExpression.Comparison(rawValue: t.text) {
            index += 1
            return .compare(lhs, op, try parseAtom())
        }
        if accept("in") {
            try expect("[")
            var items: [ClosedRange<Int>] = []
            repeat {
                let low = try parseInteger()
                if accept("..") {
                    let high = try parseInteger()
                    guard low <= high else {
                        throw RuleSyntaxError(message: "range \(low)..\(high) is empty", offset: tokens[index - 1].offset)
                    }
                    items.append(low...high)
                } else {
                    items.append(low...low)
                }
            } while accept(",")
            try expect("]")
            return .isIn(lhs, items)
        }
        return lhs
    }

    /// A `$id` argument of a function; returns the id and where it stood.
    private mutating func parseReference(for function: String, example: String) throws(RuleSyntaxError) -> (String, Int) {
        guard let ref = current, ref.text.hasPrefix("$"), ref.text.count > 1 else {
            throw RuleSyntaxError(message: "\(function)() takes a field reference such as \(example)", offset: current?.offset ?? endOffset)
        }
        index += 1
        return (String(ref.text.dropFirst()), ref.offset)
    }

    private mutating func parseInteger() throws(RuleSyntaxError) -> Int {
        guard let t = current, let n = Int(t.text) else {
            throw RuleSyntaxError(
                message: "expected a whole number" + (current.map { " but found '\($0.text)'" } ?? " at the end"),
                offset: current?.offset ?? endOffset)
        }
        index += 1
        return n
    }

    private mutating func parseAtom() throws(RuleSyntaxError) -> RuleExpression {
        guard let t = current else {
            throw RuleSyntaxError(message: "expression ends too early", offset: endOffset)
        }
        if accept("(") {
            let e = try parseOr()
            try expect(")")
            return e
        }
        if t.text == "count" {
            index += 1
            try expect("(")
            var terms = [try parseOr()]
            while accept(",") { terms.append(try parseOr()) }
            try expect(")")
            return .count(terms)
        }
        if t.text == "part" {
            index += 1
            try expect("(")
            let (id, offset) = try parseReference(for: "part", example: "$403")
            try expect(",")
            let start = try parseInteger()
            try expect(",")
            let length = try parseInteger()
            try expect(")")
            guard start >= 1, length >= 1 else {
                throw RuleSyntaxError(message: "part() needs a start of at least 1 and a length of at least 1", offset: offset)
            }
            return .part(id, start: start, length: length)
        }
        if t.text == "members" {
            index += 1
            try expect("(")
            let e = try parseOr()
            try expect(")")
            return .members(e)
        }
        if t.text == "number" {
            index += 1
            try expect("(")
            try expect(")")
            return .memberNumber
        }
        if t.text == "filled" {
            index += 1
            try expect("(")
            let (id, _) = try parseReference(for: "filled", example: "$404")
            try expect(")")
            return .filled(id)
        }
        if t.text.hasPrefix("$") {
            guard t.text.count > 1 else { throw RuleSyntaxError(message: "'$' must be followed by a field id", offset: t.offset) }
            index += 1
            return .field(String(t.text.dropFirst()))
        }
        if let n = Int(t.text) {
            index += 1
            return .number(n)
        }
        throw RuleSyntaxError(
            message: "unexpected '\(t.text)' (field references start with '$', e.g. $\(t.text))", offset: t.offset)
    }
}

/// A condition that does not parse, with the 0-based character offset where it went wrong.
package struct RuleSyntaxError: Error, Hashable, Sendable {
    /// What is wrong.
    package var message: String
    /// Character offset within the condition text.
    package var offset: Int
}
