import Geometry
import Yams

/// Walks the YAML tree of a template and builds the validated ``FormTemplate``.
///
/// Blocks (`blocks:` + `use:`) are expanded here, including repeats such as the five member
/// columns of Blok IV, so everything downstream sees plain fields with absolute positions.
final class TemplateBuilder {
    let reader: YAMLNodeReader

    // Defaults, overridable in the template's `defaults:`.
    var digitBox = (width: 5.0, height: 6.0)
    var checkboxSize = 4.0
    var choicePitch = 14.0
    var fiducialSize = 5.0
    var fiducialInset = 7.0
    var identityCode = Rect(x: 12, y: 9, width: 18, height: 18)

    var blocks: [String: (node: Node, items: [Node])] = [:]
    var pendingFields: [PendingField] = []
    var rawRules: [RawRule] = []

    /// A cross-field rule as written, with the repeat it was declared in.
    struct RawRule {
        var node: Node
        var entries: [String: Node]
        var idKey: String
        var prefix: String
        var instance: Int?
    }

    /// A field whose conditions still need resolving against the complete id list.
    struct PendingField {
        var field: Field
        var prefix: String
        var requiredCondition: (text: String, node: Node)?
        var appliesCondition: (text: String, node: Node)?
        /// The `when:` of the block title above the field, if any.
        var blockCondition: (text: String, node: Node)?
        var node: Node
    }

    /// Where the items being read are placed: offset, id prefix and repeat instance.
    struct Placement {
        var origin: Point
        var prefix: String
        var instance: Int?
        var block: String?
        /// A block title's `when:`: the block's fields apply only where it holds.
        var blockCondition: (text: String, node: Node)? = nil
        var page: Int
        var useStack: [String]
    }

    init(reader: YAMLNodeReader) {
        self.reader = reader
    }

    static let topKeys = [
        "form", "version", "title", "paper", "correction_rule", "dropout_colour", "reference", "defaults", "fiducials", "identity_code",
        "blocks", "pages", "rules", "record",
    ]

    func build(_ root: Node) -> FormTemplate? {
        guard let top = reader.entries(root, in: "the template", allowed: Self.topKeys) else { return nil }
        let formID = reader.string(top["form"], "form")
        if top["form"] == nil { reader.report(root, "missing 'form:' (the form id printed on every page, e.g. RSK-K4)") }
        if let formID, formID.contains("|") || formID.isEmpty {
            reader.report(top["form"], "the form id must be non-empty and must not contain '|'")
        }
        let version = reader.int(top["version"], "version") ?? 1
        if top["version"] == nil { reader.report(root, "missing 'version:' (a whole number, e.g. 1)") }
        let title = reader.string(top["title"], "title") ?? ""
        let correction =
            reader.string(top["correction_rule"], "correction_rule")
            ?? "To cancel a mark, fill the box completely."

        var paper = PaperSize.a4
        if let p = top["paper"] {
            if p.string?.uppercased() == "A4" {
                paper = .a4
            } else if let e = reader.entries(p, in: "paper", allowed: ["width", "height"]),
                let w = reader.double(e["width"], "paper width"), let h = reader.double(e["height"], "paper height")
            {
                paper = PaperSize(width: w, height: h)
            }
        }
        var dropout: PrintColour?
        if let node = top["dropout_colour"], let text = reader.string(node, "dropout_colour") {
            dropout = PrintColour(hex: text)
            if dropout == nil {
                reader.report(node, "dropout_colour must be a colour as #RRGGBB (the ink the boxes are printed in, e.g. #D04040)")
            }
        }
        readDefaults(top)
        readBlocks(top["blocks"])

        var pages: [TemplatePage] = []
        if let pageNodes = reader.sequence(top["pages"], "pages") {
            for (i, pageNode) in pageNodes.enumerated() {
                if let page = readPage(pageNode, expectedNumber: i + 1, paper: paper) { pages.append(page) }
            }
        } else if top["pages"] == nil {
            reader.report(root, "missing 'pages:' (a list of pages with their content)")
        }
        if let ruleNodes = reader.sequence(top["rules"], "rules") {
            for node in ruleNodes {
                if let e = reader.entries(node, in: "a rule", allowed: ["id", "check", "when", "message", "severity"]) {
                    rawRules.append(RawRule(node: node, entries: e, idKey: "id", prefix: "", instance: nil))
                }
            }
        }

        let fields = resolveFields()
        var byPage: [Int: [Field]] = [:]
        for f in fields { byPage[f.page, default: []].append(f) }
        for i in pages.indices { pages[i].fields = byPage[pages[i].number] ?? [] }
        let ids = Set(fields.map(\.id))
        let rules = resolveRules(ids: ids)
        for page in pages { TemplateGeometryChecker(reader: reader, paper: paper).check(page) }
        guard let formID else { return nil }
        var template = FormTemplate(
            id: formID, version: version, title: title, paper: paper, correctionRule: correction, pages: pages,
            rules: rules, source: reader.file)
        template.dropoutColour = dropout
        template.areaCode = readAreaCode(top["reference"], ids: ids)
        template.record = readRecord(top["record"], fields: fields)
        return template
    }

    /// `reference: {code: [101, 102, …], names: {"106": "105"}}`: the fields whose digits, in
    /// order, make the area code checked against the loaded reference list, and the text fields
    /// that name the area of a code level.
    private func readAreaCode(_ node: Node?, ids: Set<String>) -> AreaCode? {
        guard let node, let e = reader.entries(node, in: "reference", allowed: ["code", "names"]) else { return nil }
        guard let items = reader.sequence(e["code"], "reference.code") else {
            reader.report(node, "reference needs 'code: [field, …]' (the fields whose digits make the area code, in order)")
            return nil
        }
        var fields: [String] = []
        for item in items {
            guard let id = item.string else { continue }
            if !ids.contains(id) { reader.report(item, "reference.code names field \(id), which the template does not have") }
            fields.append(id)
        }
        var names: [String: String] = [:]
        if let n = e["names"], let pairs = reader.entries(n, in: "reference.names", allowed: ids.sorted()) {
            for (text, level) in pairs {
                guard let l = level.string else { continue }
                if !fields.contains(l) { reader.report(level, "reference.names: \(l) is not one of reference.code's fields") }
                names[text] = l
            }
        }
        return AreaCode(fields: fields, names: names)
    }

    private func readDefaults(_ top: [String: Node]) {
        if let d = top["defaults"],
            let e = reader.entries(d, in: "defaults", allowed: ["digit_box", "checkbox", "choice_pitch"])
        {
            if let nums = reader.numbers(e["digit_box"], count: 2, "defaults.digit_box") {
                digitBox = (nums[0], nums[1])
            }
            checkboxSize = reader.double(e["checkbox"], "defaults.checkbox") ?? checkboxSize
            choicePitch = reader.double(e["choice_pitch"], "defaults.choice_pitch") ?? choicePitch
        }
        if let f = top["fiducials"], let e = reader.entries(f, in: "fiducials", allowed: ["size", "inset"]) {
            fiducialSize = reader.double(e["size"], "fiducials.size") ?? fiducialSize
            fiducialInset = reader.double(e["inset"], "fiducials.inset") ?? fiducialInset
            if fiducialSize < 2 { reader.report(e["size"], "fiducials must be at least 2 mm so scans can find them") }
        }
        if let q = top["identity_code"], let e = reader.entries(q, in: "identity_code", allowed: ["at", "size"]) {
            let at = reader.point(e["at"], "identity_code.at") ?? identityCode.origin
            let size = reader.double(e["size"], "identity_code.size") ?? identityCode.width
            if size < 10 { reader.report(e["size"], "the identity code needs at least 10 mm to survive scanning") }
            identityCode = Rect(x: at.x, y: at.y, width: size, height: size)
        }
    }

    private func readBlocks(_ node: Node?) {
        guard let node else { return }
        guard case .mapping(let mapping) = node else {
            reader.report(node, "blocks must map block names to lists of content")
            return
        }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if blocks[name] != nil { reader.report(key, "block '\(name)' is defined twice") }
            if let items = reader.sequence(value, "block '\(name)'") { blocks[name] = (key, items) }
        }
    }

    private func readPage(_ node: Node, expectedNumber: Int, paper: PaperSize) -> TemplatePage? {
        guard let e = reader.entries(node, in: "a page", allowed: ["page", "title", "content"]) else { return nil }
        let number = reader.int(e["page"], "page") ?? expectedNumber
        if number != expectedNumber {
            reader.report(e["page"], "page \(number) is listed in position \(expectedNumber)", hint: "number pages 1, 2, 3… in order")
        }
        let s = fiducialSize
        let m = fiducialInset
        let fiducials = [
            Rect(x: m, y: m, width: s, height: s),
            Rect(x: paper.width - m - s, y: m, width: s, height: s),
            Rect(x: paper.width - m - s, y: paper.height - m - s, width: s, height: s),
            Rect(x: m, y: paper.height - m - s, width: s, height: s),
        ]
        var page = TemplatePage(
            number: number, title: reader.string(e["title"], "title") ?? "", fiducials: fiducials,
            identityCode: identityCode, texts: [], lines: [], fields: [])
        let placement = Placement(origin: Point(x: 0, y: 0), prefix: "", instance: nil, block: nil, page: number, useStack: [])
        if let items = reader.sequence(e["content"], "content") {
            readItems(items, placement: placement, into: &page)
        }
        return page
    }

    private func substitute(_ text: String, _ placement: Placement) -> String {
        guard let n = placement.instance else { return text }
        let nn = n < 10 ? "0\(n)" : "\(n)"
        return text.replacingOccurrences(of: "{nn}", with: nn).replacingOccurrences(of: "{n}", with: "\(n)")
    }

    private func readItems(_ items: [Node], placement: Placement, into page: inout TemplatePage) {
        var placement = placement
        for item in items {
            guard case .mapping(let mapping) = item, let firstKey = mapping.first?.key.string else {
                reader.report(item, "each content item must be a mapping (a field with 'id:', or 'text:', 'block:', 'line:', 'frame:', 'use:')")
                continue
            }
            let keys = Set(mapping.compactMap { $0.key.string })
            if keys.contains("rule") {
                if let e = reader.entries(item, in: "a rule", allowed: ["rule", "check", "when", "message", "severity"]) {
                    rawRules.append(RawRule(node: item, entries: e, idKey: "rule", prefix: placement.prefix, instance: placement.instance))
                }
            } else if keys.contains("id") {
                readField(item, placement: placement)
            } else if keys.contains("use") {
                readUse(item, placement: placement, into: &page)
            } else if keys.contains("block") {
                guard let e = reader.entries(item, in: "a block title", allowed: ["block", "at", "width", "when"]) else { continue }
                let title = substitute(reader.string(e["block"], "block") ?? "", placement)
                placement.block = title
                placement.blockCondition = e["when"].flatMap { n in reader.string(n, "when").map { ($0, n) } }
                if let at = reader.point(e["at"], "at") {
                    let origin = at.offsetBy(dx: placement.origin.x, dy: placement.origin.y)
                    let width = reader.double(e["width"], "width") ?? 186
                    page.lines.append(PrintedLine(points: [origin.offsetBy(dx: 0, dy: -4.2), origin.offsetBy(dx: width, dy: -4.2)], width: 0.35))
                    page.texts.append(PrintedText(at: origin, text: title, size: 3.0, bold: true))
                }
            } else if keys.contains("text") {
                guard let e = reader.entries(item, in: "a text", allowed: ["text", "at", "size", "bold"]),
                    let text = reader.string(e["text"], "text"), let at = reader.point(e["at"], "at")
                else {
                    if !keys.contains("at") { reader.report(item, "a text needs 'at: [x, y]'") }
                    continue
                }
                page.texts.append(
                    PrintedText(
                        at: at.offsetBy(dx: placement.origin.x, dy: placement.origin.y), text: substitute(text, placement),
                        size: reader.double(e["size"], "size") ?? 2.4, bold: reader.bool(e["bold"], "bold") ?? false))
            } else if keys.contains("line") || keys.contains("frame") {
                guard let e = reader.entries(item, in: "a line", allowed: ["line", "frame", "width"]) else { continue }
                let width = reader.double(e["width"], "width") ?? 0.25
                let o = placement.origin
                if let f = reader.numbers(e["frame"], count: 4, "frame") {
                    let r = Rect(x: f[0] + o.x, y: f[1] + o.y, width: f[2], height: f[3])
                    page.lines.append(PrintedLine(points: r.corners + [r.corners[0]], width: width))
                }
                if let pts = reader.sequence(e["line"], "line") {
                    let points = pts.compactMap { reader.point($0, "line point") }.map { $0.offsetBy(dx: o.x, dy: o.y) }
                    if points.count >= 2 { page.lines.append(PrintedLine(points: points, width: width)) }
                    else { reader.report(e["line"], "a line needs at least two points [[x, y], [x, y]]") }
                }
            } else {
                reader.report(
                    item, "content item starting with '\(firstKey)' is not a field, text, block title, line, frame or use",
                    hint: "fields start with 'id:'")
            }
        }
    }

    private func readUse(_ node: Node, placement: Placement, into page: inout TemplatePage) {
        guard let e = reader.entries(node, in: "a block use", allowed: ["use", "at", "repeat", "prefix"]),
            let name = reader.string(e["use"], "use")
        else { return }
        guard let block = blocks[name] else {
            let hint = YAMLNodeReader.closest(to: name, in: Array(blocks.keys)).map { "did you mean '\($0)'?" }
                ?? "define it under 'blocks:'"
            reader.report(e["use"], "unknown block '\(name)'", hint: hint)
            return
        }
        if placement.useStack.contains(name) {
            reader.report(e["use"], "block '\(name)' uses itself", hint: "a block cannot contain itself")
            return
        }
        let at = reader.point(e["at"], "at") ?? Point(x: 0, y: 0)
        var count = 1
        var step = Point(x: 0, y: 0)
        if let r = e["repeat"], let re = reader.entries(r, in: "repeat", allowed: ["count", "step"]) {
            count = reader.int(re["count"], "repeat.count") ?? 1
            step = reader.point(re["step"], "repeat.step") ?? step
            if count < 1 { reader.report(re["count"], "repeat.count must be at least 1") }
        }
        let prefixPattern = reader.string(e["prefix"], "prefix") ?? ""
        if e["repeat"] != nil, !prefixPattern.contains("{n}") {
            reader.report(e["use"], "a repeated block needs 'prefix:' containing {n}, e.g. prefix: \"m{n}.\"", hint: "otherwise every repeat declares the same field ids")
        }
        for i in 0..<max(count, 0) {
            let instance = e["repeat"] != nil ? i + 1 : placement.instance
            var inner = placement
            inner.origin = placement.origin.offsetBy(dx: at.x + step.x * Double(i), dy: at.y + step.y * Double(i))
            inner.instance = instance
            let expanded = instance.map { n in
                prefixPattern.replacingOccurrences(of: "{nn}", with: n < 10 ? "0\(n)" : "\(n)").replacingOccurrences(of: "{n}", with: "\(n)")
            } ?? prefixPattern
            inner.prefix = placement.prefix + expanded
            inner.useStack.append(name)
            readItems(block.items, placement: inner, into: &page)
        }
    }

    static let fieldKeys = [
        "id", "kind", "label", "at", "boxes", "box", "size", "options", "layout", "select", "additive",
        "required", "when", "range", "codes", "severity", "label_at", "format", "keying",
    ]

    private func readField(_ node: Node, placement: Placement) {
        guard case .mapping(let mapping) = node else { return }
        let idNode = mapping["id"]
        let baseID = idNode?.string ?? idNode.map { "\($0.any)" } ?? ""
        guard let e = reader.entries(node, in: "field \(baseID)", allowed: Self.fieldKeys, field: baseID) else { return }
        let id = placement.prefix + baseID
        if baseID.isEmpty || baseID.contains(where: { $0 == " " || $0 == "$" || $0 == "|" }) {
            reader.report(idNode, "field id '\(baseID)' must be non-empty without spaces, '$' or '|'")
            return
        }
        let o = placement.origin
        guard let kindName = reader.string(e["kind"], "kind", field: id) else {
            if e["kind"] == nil { reader.report(node, field: id, "missing 'kind:'", hint: "one of digits, checkbox, choice, text") }
            return
        }
        let atRaw = reader.point(e["at"], "at", field: id)
        if e["at"] == nil && kindName != "choice" { reader.report(node, field: id, "missing 'at: [x, y]' (top-left of the first box, mm)") }
        let at = atRaw?.offsetBy(dx: o.x, dy: o.y)

        var kind: FieldKind?
        switch kindName {
        case "digits":
            guard let at else { return }
            let n = reader.int(e["boxes"], "boxes", field: id) ?? 0
            if e["boxes"] == nil { reader.report(node, field: id, "digits need 'boxes:' (how many digit boxes)") ; return }
            guard (1...32).contains(n) else {
                reader.report(e["boxes"], field: id, "boxes must be between 1 and 32, not \(n)")
                return
            }
            var size = digitBox
            if let b = reader.numbers(e["box"], count: 2, "box", field: id) { size = (b[0], b[1]) }
            kind = .digits((0..<n).map { Rect(x: at.x + Double($0) * size.width, y: at.y, width: size.width, height: size.height) })
        case "checkbox":
            guard let at else { return }
            let s = reader.double(e["size"], "size", field: id) ?? checkboxSize
            kind = .checkbox(Rect(x: at.x, y: at.y, width: s, height: s))
        case "choice":
            kind = readChoice(e, at: at, origin: o, id: id, node: node).map { .choice($0) }
        case "text":
            guard let at else { return }
            guard let size = reader.numbers(e["size"], count: 2, "size", field: id) else {
                if e["size"] == nil { reader.report(node, field: id, "a text field needs 'size: [width, height]' in mm") }
                return
            }
            kind = .text(Rect(x: at.x, y: at.y, width: size[0], height: size[1]))
        default:
            let hint = YAMLNodeReader.closest(to: kindName, in: ["digits", "checkbox", "choice", "text"]).map { "did you mean '\($0)'?" }
                ?? "expected one of digits, checkbox, choice, text"
            reader.report(e["kind"], field: id, "unknown field kind '\(kindName)'", hint: hint)
            return
        }
        guard let kind else { return }
        for key in ["boxes", "box"] where e[key] != nil && kindName != "digits" {
            reader.report(e[key], field: id, "'\(key)' applies only to digits fields")
        }
        for key in ["options", "layout", "select", "additive"] where e[key] != nil && kindName != "choice" {
            reader.report(e[key], field: id, "'\(key)' applies only to choice fields")
        }
        var keyed = kindName == "text"
        if let k = e["keying"] {
            if kindName != "text" {
                reader.report(k, field: id, "'keying' applies only to text fields")
            } else if let b = k.bool {
                keyed = b
            } else {
                reader.report(k, field: id, "keying must be true or false (false for a signature or a free note that nobody types)")
            }
        }

        var validation = FieldValidation()
        var requiredCondition: (String, Node)?
        if let r = e["required"] {
            if let b = r.bool { validation.required = b ? .always : .never }
            else if let text = r.string { requiredCondition = (text, r) }
            else { reader.report(r, field: id, "required must be true, false or a condition such as \"$404 in [1, 5]\"") }
        }
        let applies = e["when"].flatMap { n in reader.string(n, "when", field: id).map { ($0, n) } }
        if let r = reader.numbers(e["range"], count: 2, "range", field: id) {
            if r[0] > r[1] || r[0] != r[0].rounded() || r[1] != r[1].rounded() {
                reader.report(e["range"], field: id, "range [\(Int(r[0])), \(Int(r[1]))] is empty or not whole numbers", hint: "write [min, max] with min ≤ max")
            } else {
                validation.range = Int(r[0])...Int(r[1])
            }
        }
        if let codes = reader.integerSet(e["codes"], "codes", field: id) {
            validation.codes = codes
            checkCodes(codes, kind: kind, node: e["codes"]!, id: id)
        }
        if let s = reader.string(e["severity"], "severity", field: id) {
            if let sev = Severity(rawValue: s) { validation.severity = sev }
            else { reader.report(e["severity"], field: id, "severity must be 'hard' or 'soft', not '\(s)'") }
        }
        if let f = reader.string(e["format"], "format", field: id) {
            if let format = NumberFormat(rawValue: f) {
                if case .digits(let boxes) = kind, boxes.count == format.length {
                    validation.format = format
                } else {
                    reader.report(e["format"], field: id, "format \(f) needs a digits field of \(format.length) boxes")
                }
            } else {
                reader.report(
                    e["format"], field: id, "unknown format '\(f)'",
                    hint: "formats: \(NumberFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        if case .digits(let boxes) = kind, let range = validation.range {
            let max = Int(pow10(boxes.count)) - 1
            if range.upperBound > max || range.lowerBound < 0 {
                reader.report(e["range"], field: id, "range \(range.lowerBound)…\(range.upperBound) does not fit in \(boxes.count) digit box(es) (0…\(max))")
            }
        }

        let label = substitute(reader.string(e["label"], "label", field: id) ?? "", placement)
        var field = Field(
            id: id, label: label, kind: kind, page: placement.page, block: placement.block, instance: placement.instance,
            baseID: baseID, validation: validation, source: reader.location(idNode ?? node),
            labelAt: reader.point(e["label_at"], "label_at", field: id)?.offsetBy(dx: o.x, dy: o.y))
        field.keyed = keyed
        pendingFields.append(
            PendingField(
                field: field, prefix: placement.prefix, requiredCondition: requiredCondition, appliesCondition: applies,
                blockCondition: placement.blockCondition, node: node))
    }

    private func pow10(_ n: Int) -> Double {
        var v = 1.0
        for _ in 0..<n { v *= 10 }
        return v
    }

    private func checkCodes(_ codes: [Int], kind: FieldKind, node: Node, id: String) {
        if case .digits(let boxes) = kind {
            let max = Int(pow10(boxes.count)) - 1
            if let bad = codes.first(where: { $0 < 0 || $0 > max }) {
                reader.report(node, field: id, "code \(bad) does not fit in \(boxes.count) digit box(es)", hint: "widen the field or fix the code list")
            }
        }
        if Set(codes).count != codes.count { reader.report(node, field: id, "the code list repeats a code") }
    }

    private func readChoice(_ e: [String: Node], at: Point?, origin: Point, id: String, node: Node) -> ChoiceGroup? {
        guard let optionNodes = reader.sequence(e["options"], "options", field: id) else {
            if e["options"] == nil { reader.report(node, field: id, "a choice needs 'options:' (a list of {code, label})") }
            return nil
        }
        var direction = "right"
        var pitch = choicePitch
        if let l = e["layout"], let le = reader.entries(l, in: "layout", allowed: ["direction", "pitch"], field: id) {
            direction = reader.string(le["direction"], "layout.direction", field: id) ?? direction
            pitch = reader.double(le["pitch"], "layout.pitch", field: id) ?? pitch
            if direction != "right" && direction != "down" {
                reader.report(le["direction"], field: id, "layout.direction must be 'right' or 'down'")
            }
        }
        let size = reader.double(e["size"], "size", field: id) ?? checkboxSize
        var options: [ChoiceOption] = []
        for (i, optNode) in optionNodes.enumerated() {
            guard let oe = reader.entries(optNode, in: "an option", allowed: ["code", "label", "at"], field: id),
                let code = reader.int(oe["code"], "option code", field: id)
            else {
                if case .mapping(let m) = optNode, m["code"] == nil { reader.report(optNode, field: id, "each option needs 'code:'") }
                continue
            }
            let position: Point
            if let p = reader.point(oe["at"], "option at", field: id) {
                position = p.offsetBy(dx: origin.x, dy: origin.y)
            } else if let at {
                position = direction == "down" ? at.offsetBy(dx: 0, dy: Double(i) * pitch) : at.offsetBy(dx: Double(i) * pitch, dy: 0)
            } else {
                reader.report(optNode, field: id, "option \(code) has no position", hint: "give the choice 'at:' or each option 'at:'")
                continue
            }
            options.append(ChoiceOption(code: code, label: reader.string(oe["label"], "option label", field: id) ?? "", box: Rect(x: position.x, y: position.y, width: size, height: size)))
        }
        if options.isEmpty { reader.report(node, field: id, "a choice needs at least one option"); return nil }
        let codes = options.map(\.code)
        if Set(codes).count != codes.count { reader.report(e["options"], field: id, "two options share a code", hint: "codes: \(codes.map(String.init).joined(separator: ", "))") }
        var selection = ChoiceGroup.Selection.exactlyOne
        if let s = reader.string(e["select"], "select", field: id) {
            if let sel = ChoiceGroup.Selection(rawValue: s) { selection = sel }
            else { reader.report(e["select"], field: id, "select must be one of exactly-one, at-most-one, any — not '\(s)'") }
        }
        let additive = reader.bool(e["additive"], "additive", field: id) ?? false
        if additive {
            if selection != .any { reader.report(e["additive"], field: id, "an additive choice must use 'select: any'") }
            for c in codes where c != 0 && (c < 0 || c & (c - 1) != 0) {
                reader.report(e["options"], field: id, "additive code \(c) is not a power of two", hint: "additive codes are 1, 2, 4, 8… so that every sum is unique (0 may mean 'none')")
            }
        }
        return ChoiceGroup(options: options, selection: selection, additive: additive)
    }

    // MARK: - Resolution of conditions

    private func resolveFields() -> [Field] {
        var firstByID: [String: PendingField] = [:]
        var unique: [PendingField] = []
        for p in pendingFields {
            if let first = firstByID[p.field.id] {
                reader.report(
                    at: p.field.source, field: p.field.id, "duplicate field id (first declared at line \(first.field.source.line))",
                    hint: "give every field its own id; repeated blocks need a prefix such as \"m{n}.\"")
                continue
            }
            firstByID[p.field.id] = p
            unique.append(p)
        }
        let ids = Set(unique.map(\.field.id))
        return unique.map { p in
            var f = p.field
            if let (text, node) = p.requiredCondition, let e = parseCondition(text, node: node, prefix: p.prefix, ids: ids, field: f.id) {
                f.validation.required = .when(e)
            }
            if let (text, node) = p.appliesCondition {
                f.validation.applies = parseCondition(text, node: node, prefix: p.prefix, ids: ids, field: f.id)
            }
            // A block that applies only somewhere (Blok III on the first set of a family): its
            // fields apply only there too, and are required only there.
            if let (text, node) = p.blockCondition, let block = parseCondition(text, node: node, prefix: p.prefix, ids: ids, field: f.id) {
                f.validation.applies = f.validation.applies.map { .and([block, $0]) } ?? block
                switch f.validation.required {
                case .never: break
                case .always: f.validation.required = .when(block)
                case .when(let condition): f.validation.required = .when(.and([block, condition]))
                }
            }
            return f
        }
    }

    private func resolveRules(ids: Set<String>) -> [CrossFieldRule] {
        var seen: Set<String> = []
        return rawRules.compactMap { raw in
            let e = raw.entries
            let placement = Placement(origin: Point(x: 0, y: 0), prefix: raw.prefix, instance: raw.instance, block: nil, page: 0, useStack: [])
            guard let baseID = reader.string(e[raw.idKey], "rule id") else {
                reader.report(raw.node, "a rule needs '\(raw.idKey):' (its id)")
                return nil
            }
            let id = raw.prefix + baseID
            if !seen.insert(id).inserted { reader.report(e[raw.idKey], "rule id '\(id)' is used twice") }
            guard let checkNode = e["check"], let text = reader.string(checkNode, "check") else {
                reader.report(raw.node, "rule \(id) needs 'check:' (a condition that must hold)")
                return nil
            }
            guard let check = parseCondition(substitute(text, placement), node: checkNode, prefix: raw.prefix, ids: ids, field: nil) else {
                return nil
            }
            let applies = e["when"].flatMap { n in
                reader.string(n, "when").flatMap { parseCondition(substitute($0, placement), node: n, prefix: raw.prefix, ids: ids, field: nil) }
            }
            var severity = Severity.hard
            if let s = reader.string(e["severity"], "severity") {
                if let v = Severity(rawValue: s) { severity = v } else { reader.report(e["severity"], "severity must be 'hard' or 'soft', not '\(s)'") }
            }
            let message = substitute(reader.string(e["message"], "message") ?? "rule \(id) fails", placement)
            return CrossFieldRule(
                id: id, check: check, applies: applies, message: message, severity: severity, source: reader.location(raw.node))
        }
    }

    func parseCondition(
        _ text: String, node: Node, prefix: String, ids: Set<String>, field: String?, recordScope: Bool = false
    ) -> RuleExpression? {
        let expression: RuleExpression
        do {
            expression = try RuleParser.parse(text)
        } catch {
            var location = reader.location(node)
            if case .scalar(let scalar) = node, location.line > 0 {
                location.column += error.offset + (scalar.style == .plain ? 0 : 1)
            }
            reader.report(at: location, field: field, "condition \"\(text)\": \(error.message)")
            return nil
        }
        if !recordScope, expression.usesRecordFunctions {
            reader.report(
                node, field: field, "condition \"\(text)\": members() and number() judge a whole record",
                hint: "write the rule under record.rules")
            return nil
        }
        var ok = true
        let resolved = expression.mapFields { name in
            if !prefix.isEmpty, ids.contains(prefix + name) { return prefix + name }
            if ids.contains(name) { return name }
            ok = false
            let hint = YAMLNodeReader.closest(to: name, in: Array(ids)).map { "did you mean $\($0)?" }
            reader.report(node, field: field, "condition \"\(text)\" refers to unknown field $\(name)", hint: hint)
            return name
        }
        return ok ? resolved : nil
    }
}
