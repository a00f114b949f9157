import Yams

/// `record:`: the template's declaration of what one record is (see ``RecordLayout``).
extension TemplateBuilder {
    func readRecord(_ node: Node?, fields: [Field]) -> RecordLayout {
        guard let node, let e = reader.entries(node, in: "record", allowed: ["name", "link", "sets", "members", "rules"]) else {
            return .default
        }
        let ids = Set(fields.map(\.id))
        let memberIDs = Set(fields.filter { $0.instance != nil }.map(\.baseID))
        var layout = RecordLayout(name: reader.string(e["name"], "record.name") ?? "record")
        if !layout.name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) || layout.name.isEmpty {
            reader.report(e["name"], "record.name must be a word of letters, digits and '_' (it names the core store's table)")
        }
        layout.link = fieldList(e["link"], "record.link", ids: ids)
        if let s = e["sets"], let se = reader.entries(s, in: "record.sets", allowed: ["index", "count", "agree"]) {
            let index = fieldList(se["index"], "record.sets.index", ids: ids, single: true).first
            let count = fieldList(se["count"], "record.sets.count", ids: ids, single: true).first
            if se["index"] == nil || se["count"] == nil {
                reader.report(s, "record.sets needs 'index:' (the field saying which copy this is) and 'count:' (how many copies)")
            }
            if layout.link.isEmpty { reader.report(s, "record.sets needs record.link: the fields that tell which sets belong together") }
            var agree: AgreeRule?
            if let a = se["agree"], let ae = reader.entries(a, in: "record.sets.agree", allowed: ["id", "fields", "message"]) {
                agree = AgreeRule(
                    id: reader.string(ae["id"], "record.sets.agree.id") ?? "\(layout.name)-agree",
                    fields: fieldList(ae["fields"], "record.sets.agree.fields", ids: ids),
                    message: reader.string(ae["message"], "record.sets.agree.message") ?? "set {k} differs from set 1 in {fields}")
            }
            if let index, let count { layout.sets = SetCounter(index: index, count: count, agree: agree) }
        }
        if let m = e["members"], let me = reader.entries(m, in: "record.members", allowed: ["name", "number", "used"]) {
            layout.members.name = reader.string(me["name"], "record.members.name") ?? "member"
            if layout.members.name == layout.name { reader.report(me["name"], "record.members.name must differ from record.name") }
            if let n = me["number"], let id = reader.string(n, "record.members.number") {
                if !memberIDs.contains(id) { reader.report(n, "record.members.number names \(id), which is not a field of a repeated block") }
                layout.members.number = id
            }
            if let u = me["used"], let text = reader.string(u, "record.members.used") {
                layout.members.used = parseCondition(text, node: u, prefix: "", ids: memberIDs, field: nil)
            }
        }
        if let nodes = reader.sequence(e["rules"], "record.rules") {
            var seen = Set<String>()
            for rule in nodes {
                guard let r = readRecordRule(rule, ids: ids, memberIDs: memberIDs) else { continue }
                if !seen.insert(r.id).inserted { reader.report(rule, "record rule id '\(r.id)' is used twice") }
                layout.rules.append(r)
            }
        }
        return layout
    }

    private func readRecordRule(_ node: Node, ids: Set<String>, memberIDs: Set<String>) -> RecordRule? {
        guard let e = reader.entries(node, in: "a record rule", allowed: ["id", "scope", "check", "when", "flag", "message", "severity"]) else {
            return nil
        }
        guard let id = reader.string(e["id"], "rule id") else {
            reader.report(node, "a record rule needs 'id:'")
            return nil
        }
        var scope = RecordRule.Scope.record
        if let s = reader.string(e["scope"], "scope") {
            if let v = RecordRule.Scope(rawValue: s) { scope = v } else { reader.report(e["scope"], "scope must be 'record' or 'member', not '\(s)'") }
        }
        // A record rule reads record-level fields, and member fields inside members(…); a
        // member rule reads the member's own fields by base id first.
        func condition(_ key: String) -> RuleExpression? {
            guard let n = e[key], let text = reader.string(n, key) else { return nil }
            let outer = scope == .member ? memberIDs.union(ids) : ids
            guard let parsed = parseCondition(text, node: n, prefix: "", ids: outer.union(memberIDs), field: nil, recordScope: true) else {
                return nil
            }
            for ref in parsed.memberReferences where !memberIDs.contains(ref) {
                reader.report(n, "condition \"\(text)\": members() reads member fields, and \(ref) is not one", hint: "name a field of the repeated block by its base id")
            }
            if scope == .record {
                for ref in parsed.fieldReferences where !ids.contains(ref) {
                    reader.report(n, "condition \"\(text)\" reads member field $\(ref) outside members()", hint: "count it with members(…), or use scope: member")
                }
            }
            if scope == .record, parsed.usesMemberNumber {
                reader.report(n, "condition \"\(text)\": number() is a member's number", hint: "use scope: member")
            }
            return parsed
        }
        guard e["check"] != nil else {
            reader.report(node, "record rule \(id) needs 'check:' (a condition that must hold)")
            return nil
        }
        guard let check = condition("check") else { return nil }
        let applies = condition("when")
        var severity = Severity.hard
        if let s = reader.string(e["severity"], "severity") {
            if let v = Severity(rawValue: s) { severity = v } else { reader.report(e["severity"], "severity must be 'hard' or 'soft', not '\(s)'") }
        }
        let flags = e["flag"].map { fieldList($0, "flag", ids: ids.union(memberIDs)) } ?? (check.fieldReferences + check.memberReferences)
        return RecordRule(
            id: id, scope: scope, check: check, applies: applies, flags: flags,
            message: reader.string(e["message"], "message") ?? "record rule \(id) fails", severity: severity, source: reader.location(node))
    }

    /// A list of field ids (or one id), each reported when the template has no such field.
    private func fieldList(_ node: Node?, _ what: String, ids: Set<String>, single: Bool = false) -> [String] {
        guard let node else { return [] }
        let items: [Node]
        if single || node.string != nil {
            items = [node]
        } else {
            guard let seq = reader.sequence(node, what) else { return [] }
            items = seq
        }
        var out: [String] = []
        for item in items {
            guard let id = reader.string(item, what) else { continue }
            if !ids.contains(id) {
                let hint = YAMLNodeReader.closest(to: id, in: ids.sorted()).map { "did you mean \($0)?" }
                reader.report(item, "\(what) names field \(id), which the template does not have", hint: hint)
            }
            out.append(id)
        }
        return out
    }
}
