import Foundation
import Geometry
import Yams

/// Reads typed values out of a Yams node tree, recording an issue (with the node's line and
/// column) for every value of the wrong shape instead of stopping at the first.
final class YAMLNodeReader {
    let file: String
    private(set) var issues: [TemplateIssue] = []

    init(file: String) {
        self.file = file
    }

    func location(_ node: Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(file: file, line: 0, column: 0) }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func report(_ node: Node?, field: String? = nil, _ message: String, hint: String? = nil) {
        issues.append(TemplateIssue(location: location(node), field: field, message: message, hint: hint))
    }

    func report(at location: SourceLocation, field: String? = nil, _ message: String, hint: String? = nil) {
        issues.append(TemplateIssue(location: location, field: field, message: message, hint: hint))
    }

    /// A mapping's entries with their key names, after checking that every key is known.
    func entries(_ node: Node, in context: String, allowed: [String], field: String? = nil) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            report(node, field: field, "\(context) must be a mapping of keys to values")
            return nil
        }
        var out: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else {
                report(keyNode, field: field, "keys in \(context) must be words")
                continue
            }
            if !allowed.contains(key) {
                let suggestion = Self.closest(to: key, in: allowed)
                report(
                    keyNode, field: field, "unknown key '\(key)' in \(context)",
                    hint: suggestion.map { "did you mean '\($0)'?" }
                        ?? "allowed keys: \(allowed.joined(separator: ", "))")
                continue
            }
            if out[key] != nil {
                report(keyNode, field: field, "key '\(key)' appears twice in \(context)")
            }
            out[key] = value
        }
        return out
    }

    func string(_ node: Node?, _ what: String, field: String? = nil) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            report(node, field: field, "\(what) must be text")
            return nil
        }
        return scalar.string
    }

    func int(_ node: Node?, _ what: String, field: String? = nil) -> Int? {
        guard let node else { return nil }
        guard case .scalar = node, let value = node.int else {
            report(node, field: field, "\(what) must be a whole number")
            return nil
        }
        return value
    }

    func double(_ node: Node?, _ what: String, field: String? = nil) -> Double? {
        guard let node else { return nil }
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init) else {
            report(node, field: field, "\(what) must be a number (millimetres)")
            return nil
        }
        return value
    }

    func bool(_ node: Node?, _ what: String, field: String? = nil) -> Bool? {
        guard let node else { return nil }
        guard case .scalar = node, let value = node.bool else {
            report(node, field: field, "\(what) must be true or false")
            return nil
        }
        return value
    }

    func numbers(_ node: Node?, count: Int, _ what: String, field: String? = nil) -> [Double]? {
        guard let node else { return nil }
        guard case .sequence(let seq) = node, seq.count == count else {
            report(node, field: field, "\(what) must be a list of \(count) numbers in millimetres, e.g. [\(Array(repeating: "10", count: count).joined(separator: ", "))]")
            return nil
        }
        var out: [Double] = []
        for item in seq {
            guard let v = double(item, what, field: field) else { return nil }
            out.append(v)
        }
        return out
    }

    func point(_ node: Node?, _ what: String, field: String? = nil) -> Point? {
        numbers(node, count: 2, what, field: field).map { Point(x: $0[0], y: $0[1]) }
    }

    func sequence(_ node: Node?, _ what: String, field: String? = nil) -> [Node]? {
        guard let node else { return nil }
        guard case .sequence(let seq) = node else {
            report(node, field: field, "\(what) must be a list")
            return nil
        }
        return Array(seq)
    }

    /// Integer sets written as `[1, 2, 4..8]`.
    func integerSet(_ node: Node?, _ what: String, field: String? = nil) -> [Int]? {
        guard let items = sequence(node, what, field: field) else { return nil }
        var out: [Int] = []
        for item in items {
            if let n = item.int {
                out.append(n)
            } else if let s = item.string, let r = Self.parseRange(s) {
                out.append(contentsOf: r)
            } else {
                report(item, field: field, "\(what) entries must be whole numbers or ranges such as 1..5")
                return nil
            }
        }
        return out
    }

    static func parseRange(_ s: String) -> ClosedRange<Int>? {
        let parts = s.components(separatedBy: "..")
        guard parts.count == 2, let a = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let b = Int(parts[1].trimmingCharacters(in: .whitespaces)), a <= b
        else { return nil }
        return a...b
    }

    /// The allowed word nearest to a misspelt one (edit distance ≤ 2).
    static func closest(to word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

