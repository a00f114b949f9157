import FormTemplate

/// Checks the sets of one record together, as the template's `record:` section declares them.
/// A record larger than one copy of the form fills several sets (`index` of `count`), each with
/// the same link fields and its members numbered on; the set structure (each set present once,
/// the count agreed), the fields every set repeats and the template's record rules can only be
/// judged over all of them. No form's field id appears here: they all come from the template.
package struct RecordValidator: Sendable {
    /// The form.
    package let template: FormTemplate
    /// What a record of the form is.
    package let layout: RecordLayout
    /// Member field ids by column and base id (`(2, "404")` → `m2.404`).
    private let memberIDs: [MemberKey: String]
    /// The member base ids.
    private let memberBases: Set<String>

    private struct MemberKey: Hashable, Sendable {
        var column: Int
        var base: String
    }

    /// A validator for `template`, or `nil` when the form has neither sets nor record rules:
    /// each of its documents is then a record of its own with nothing more to check.
    package init?(template: FormTemplate) {
        let layout = template.record
        guard layout.sets != nil || !layout.rules.isEmpty else { return nil }
        self.template = template
        self.layout = layout
        var memberIDs: [MemberKey: String] = [:]
        for f in template.fields { if let c = f.instance { memberIDs[MemberKey(column: c, base: f.baseID)] = f.id } }
        self.memberIDs = memberIDs
        self.memberBases = Set(memberIDs.keys.map(\.base))
    }

    /// The fields that link the sets of one record.
    package var linkFields: [String] { layout.link }

    /// The id of member field `base` in `column` (`m2.404`).
    package func memberField(_ column: Int, _ base: String) -> String {
        memberIDs[MemberKey(column: column, base: base)] ?? "m\(column).\(base)"
    }

    /// The values every set of the document's record shares, or `nil` while they are incomplete.
    package func linkKey(_ values: [String: String]) -> [String: String]? {
        guard !linkFields.isEmpty else { return nil }
        var key: [String: String] = [:]
        for id in linkFields {
            guard let v = values[id], !v.isEmpty else { return nil }
            key[id] = v
        }
        return key
    }

    /// How many sets the record says it has (1 for a form without sets).
    package func setCount(_ values: [String: String]) -> Int? {
        guard let sets = layout.sets else { return 1 }
        return values[sets.count].flatMap { Int($0) }
    }

    /// Which set this is (1 for a form without sets).
    package func setIndex(_ values: [String: String]) -> Int? {
        guard let sets = layout.sets else { return 1 }
        return values[sets.index].flatMap { Int($0) }
    }

    /// What the record's sets break together, by serial; `complete` is whether every set 1…n is
    /// there exactly once. With `final` false (the batch is still being read) a missing set is
    /// not yet an error.
    package func validate(_ sets: [Int: [String: String]], final: Bool) -> (violations: [Int: [Violation]], complete: Bool) {
        var out: [Int: [Violation]] = [:]
        func add(_ serial: Int, _ rule: String, _ fields: [String], _ message: String, _ severity: Severity = .hard) {
            out[serial, default: []].append(Violation(rule: rule, fields: fields, severity: severity, message: message))
        }
        let serials = sets.keys.sorted()
        guard !serials.isEmpty else { return (out, false) }
        var byIndex: [Int: [Int]] = [:]
        var n = 1
        if let counter = layout.sets {
            let counts = Set(serials.compactMap { setCount(sets[$0]!) })
            if counts.count > 1 {
                let said = counts.sorted().map(String.init).joined(separator: " and ")
                for s in serials {
                    add(s, "\(layout.name)-set-count", [counter.count], "the sets of this \(layout.name) disagree on \(counter.count) (\(said)): correct the misread one")
                }
                return (out, false)
            }
            guard let count = counts.first else { return (out, false) }
            n = count
            for s in serials { if let k = setIndex(sets[s]!) { byIndex[k, default: []].append(s) } }
            for (k, ss) in byIndex.sorted(by: { $0.key < $1.key }) where ss.count > 1 {
                for s in ss {
                    add(
                        s, "\(layout.name)-duplicate-set", [counter.index],
                        "set \(k) of \(n) appears \(ss.count) times in this \(layout.name) (same \(linkFields.joined(separator: ", "))): correct \(counter.index), or the linking fields if misread")
                }
            }
            let missing = (1...max(1, n)).filter { byIndex[$0] == nil }
            if !missing.isEmpty {
                if final {
                    for s in serials {
                        add(
                            s, "missing-sets", [counter.index, counter.count],
                            "set \(missing.map(String.init).joined(separator: ", ")) of \(n) of this \(layout.name) is not in the store: find and scan it, or correct \(counter.index), \(counter.count) or the linking fields if misread")
                    }
                }
                return (out, false)
            }
            guard out.isEmpty else { return (out, false) }
        } else {
            byIndex[1] = [serials[0]]
        }

        // Every set is there once: the rules that span them.
        return (judge(sets, first: byIndex[1]![0], count: n, into: out), true)
    }

    /// The record rules over a record of one set: its document alone (a form without sets, or
    /// a record whose set count says 1; the template's own rules judge the set counter there).
    package func validateAlone(serial: Int, values: [String: String]) -> [Violation] {
        judge([serial: values], first: serial, count: 1, into: [:])[serial] ?? []
    }

    /// The agreement of repeated fields and the template's record rules, once every set is there.
    private func judge(_ sets: [Int: [String: String]], first: Int, count n: Int, into out: [Int: [Violation]]) -> [Int: [Violation]] {
        var out = out
        func add(_ serial: Int, _ rule: String, _ fields: [String], _ message: String, _ severity: Severity = .hard) {
            out[serial, default: []].append(Violation(rule: rule, fields: fields, severity: severity, message: message))
        }
        let serials = sets.keys.sorted()
        let firstValues = sets[first]!
        var used: [Int: [Int]] = [:]
        var memberLookups: [(String) -> String?] = []
        for s in serials {
            let values = sets[s]!
            let k = setIndex(values) ?? 1
            for c in stride(from: 1, through: template.membersPerSet, by: 1) {
                let lookup = memberLookup(values, column: c, set: k)
                if isUsed(lookup) {
                    used[s, default: []].append(c)
                    memberLookups.append(lookup)
                }
            }
            if s != first, let agree = layout.sets?.agree {
                let differing = agree.fields.filter { firstValues[$0] != values[$0] }
                if !differing.isEmpty {
                    add(s, agree.id, differing, agree.message.replacingOccurrences(of: "{k}", with: "\(k)").replacingOccurrences(of: "{fields}", with: differing.joined(separator: ", ")))
                }
            }
        }
        let recordText: (String) -> String? = { firstValues[$0] }
        for rule in layout.rules {
            switch rule.scope {
            case .record:
                if let when = rule.applies, !when.evaluate(text: recordText, members: memberLookups) { continue }
                guard !rule.check.evaluate(text: recordText, members: memberLookups) else { continue }
                let found = rule.check.firstMembersCount?.numeric(recordText, memberLookups)
                let message = fill(rule.message, found: found, sets: n)
                for s in serials {
                    let fields = rule.flags.flatMap { id -> [String] in
                        memberBases.contains(id) ? (used[s] ?? []).map { memberField($0, id) } : (s == first ? [id] : [])
                    }
                    add(s, rule.id, fields, message, rule.severity)
                }
            case .member:
                for s in serials {
                    let values = sets[s]!
                    let k = setIndex(values) ?? 1
                    for c in used[s] ?? [] {
                        let lookup = memberLookup(values, column: c, set: k)
                        if let when = rule.applies, !when.evaluate(text: lookup, members: memberLookups) { continue }
                        guard !rule.check.evaluate(text: lookup, members: memberLookups) else { continue }
                        let fields = rule.flags.map { memberBases.contains($0) ? memberField(c, $0) : $0 }
                        var message = fill(rule.message, found: rule.check.firstMembersCount?.numeric(lookup, memberLookups), sets: n)
                        message = message.replacingOccurrences(of: "{n}", with: "\(c)").replacingOccurrences(of: "{k}", with: "\(k)")
                            .replacingOccurrences(of: "{number}", with: numberText(template.memberNumber(set: k, column: c)))
                        add(s, rule.id, fields, message, rule.severity)
                    }
                }
            }
        }
        return out
    }

    /// A member column's values by base id; other ids read the set's own fields, and
    /// ``RuleExpression/memberNumberKey`` the member's number in the record.
    private func memberLookup(_ values: [String: String], column: Int, set k: Int) -> (String) -> String? {
        { id in
            if id == RuleExpression.memberNumberKey { return String(template.memberNumber(set: k, column: column)) }
            if memberBases.contains(id) { return values[memberField(column, id)] }
            return values[id]
        }
    }

    /// Whether a column holds a member: the template's `members.used`, or any value written.
    private func isUsed(_ lookup: (String) -> String?) -> Bool {
        if let used = layout.members.used { return used.evaluate(text: lookup) }
        return memberBases.contains { !(lookup($0) ?? "").isEmpty }
    }

    /// A member number written as its field is: zero-padded to the number field's boxes.
    private func numberText(_ number: Int) -> String {
        let width = layout.members.number.flatMap { base in template.fields.first { $0.baseID == base }?.boxes.count } ?? 1
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private func fill(_ message: String, found: Int?, sets: Int) -> String {
        message.replacingOccurrences(of: "{found}", with: found.map(String.init) ?? "none").replacingOccurrences(of: "{sets}", with: "\(sets)")
    }
}
