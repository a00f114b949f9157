import FormTemplate

/// Checks the sets of one family together. A Regsosek set holds five members; a larger family
/// fills a second set (`set.k` of `set.n`), with Blok I written again and the same identity
/// strip, and its members numbered on (06, 07, …). Member count, head of family and member
/// numbers can only be judged over all the sets, and Blok I must agree between them.
package struct FamilyValidator: Sendable {
    /// The form.
    package let template: FormTemplate
    /// The fields that link the sets of one family: the identity strip on page 1.
    package let linkFields: [String]
    /// Member field ids by column and base id (`(2, "404")` → `m2.404`).
    private let memberIDs: [MemberKey: String]

    private struct MemberKey: Hashable, Sendable {
        var column: Int
        var base: String
    }

    /// The identity strip of the Regsosek form (Blok I codes 101–105, 109, 110).
    package static let identityStrip = ["101", "102", "103", "104", "105", "109", "110"]
    /// Blok I fields written again on every set, which must agree.
    package static let repeatedBlokI = ["111", "112", "113", "114", "115"]

    /// A validator for `template`, or `nil` when the form has no set counter (`set.k`, `set.n`)
    /// or identity strip: each of its documents is then a family of its own.
    package init?(template: FormTemplate) {
        let ids = Set(template.fields.map(\.id))
        guard ids.contains("set.k"), ids.contains("set.n"), Self.identityStrip.allSatisfy(ids.contains) else { return nil }
        self.template = template
        self.linkFields = Self.identityStrip
        var memberIDs: [MemberKey: String] = [:]
        for f in template.fields { if let c = f.instance { memberIDs[MemberKey(column: c, base: f.baseID)] = f.id } }
        self.memberIDs = memberIDs
    }

    /// The id of member field `base` in `column` (`m2.404`).
    package func memberField(_ column: Int, _ base: String) -> String {
        memberIDs[MemberKey(column: column, base: base)] ?? "m\(column).\(base)"
    }

    /// The values every set of the document's family shares, or `nil` while the strip is
    /// incomplete.
    package func linkKey(_ values: [String: String]) -> [String: String]? {
        var key: [String: String] = [:]
        for id in linkFields {
            guard let v = values[id], !v.isEmpty else { return nil }
            key[id] = v
        }
        return key
    }

    /// `set.n`: how many sets the family says it has.
    package func setCount(_ values: [String: String]) -> Int? { values["set.n"].flatMap { Int($0) } }

    /// `set.k`: which set this is.
    package func setIndex(_ values: [String: String]) -> Int? { values["set.k"].flatMap { Int($0) } }

    /// What the family's sets break together, by serial; `complete` is whether every set 1…n is
    /// there exactly once. With `final` false (the batch is still being read) a missing set is
    /// not yet an error.
    package func validate(_ sets: [Int: [String: String]], final: Bool) -> (violations: [Int: [Violation]], complete: Bool) {
        var out: [Int: [Violation]] = [:]
        func add(_ serial: Int, _ rule: String, _ fields: [String], _ message: String) {
            out[serial, default: []].append(Violation(rule: rule, fields: fields, severity: .hard, message: message))
        }
        let serials = sets.keys.sorted()
        let counts = Set(serials.compactMap { setCount(sets[$0]!) })
        if counts.count > 1 {
            for s in serials {
                add(s, "family-set-count", ["set.n"], "the sets of this family disagree on set.n (\(counts.sorted().map(String.init).joined(separator: " and "))): correct the misread one")
            }
            return (out, false)
        }
        guard let n = counts.first else { return (out, false) }
        var byIndex: [Int: [Int]] = [:]
        for s in serials { if let k = setIndex(sets[s]!) { byIndex[k, default: []].append(s) } }
        for (k, ss) in byIndex where ss.count > 1 {
            for s in ss {
                add(s, "family-duplicate-set", ["set.k"], "set \(k) of \(n) appears \(ss.count) times in this family (same identity strip): correct set.k, or the identity strip if it was misread")
            }
        }
        let missing = (1...max(1, n)).filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            if final {
                for s in serials {
                    add(
                        s, "missing-sets", ["set.k", "set.n"],
                        "set \(missing.map(String.init).joined(separator: ", ")) of \(n) of this family is not in the store: find and scan it, or correct set.k, set.n or the identity strip if misread")
                }
            }
            return (out, false)
        }
        guard out.isEmpty else { return (out, false) }

        // Every set is there once: the rules that span them.
        let first = byIndex[1]![0]
        var present: [Int: [(column: Int, values: [String: String])]] = [:]
        var totalPresent = 0
        var heads = 0
        for s in serials {
            let values = sets[s]!
            let k = setIndex(values)!
            for c in stride(from: 1, through: template.membersPerSet, by: 1) {
                guard let status = values[memberField(c, "404")].flatMap({ Int($0) }) else { continue }
                present[s, default: []].append((c, values))
                if [1, 5].contains(status) {
                    totalPresent += 1
                    if values[memberField(c, "409")].flatMap({ Int($0) }) == 1 { heads += 1 }
                }
                // The template's own member-number rule covers the first set.
                let expected = template.memberNumber(set: k, column: c)
                if k > 1, values[memberField(c, "401")].flatMap({ Int($0) }) != expected {
                    add(s, "family-member-numbers", [memberField(c, "401")], "member \(c) of set \(k): 401 must be \(expected < 10 ? "0" : "")\(expected), numbered on across the sets")
                }
            }
            if s != first {
                let differing = Self.repeatedBlokI.filter { sets[first]![$0] != values[$0] }
                if !differing.isEmpty {
                    add(s, "family-blok-i", differing, "Blok I of set \(k) differs from set 1 in \(differing.joined(separator: ", ")): the same family writes the same Blok I on every set")
                }
            }
        }
        let stated = sets[first]!["112"].flatMap { Int($0) }
        if stated != totalPresent {
            for s in serials {
                add(
                    s, "family-member-count", (s == first ? ["112"] : []) + (present[s] ?? []).map { memberField($0.column, "404") },
                    "112 (family members) differs from the \(totalPresent) members present (404 = 1 or 5) over all \(n) sets")
            }
        }
        if heads != 1 {
            for s in serials {
                add(
                    s, "family-one-head", (present[s] ?? []).map { memberField($0.column, "409") },
                    "exactly one member present over all \(n) sets must be the head of the family (409 = 1); found \(heads)")
            }
        }
        return (out, true)
    }
}
