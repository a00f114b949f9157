import FormTemplate
import Store
import Validation
import Vocabulary

/// Keeps a document's review state true: opens items for doubtful fields and failing hard
/// rules, closes record items whose rule now holds, records soft warnings, and promotes the
/// family to the core store once every page is in, no item is open and no hard rule fails.
package struct DocumentReview: Sendable {
    /// The forms.
    package let templates: [FormTemplate]
    /// Capture store.
    package let store: any ReviewStore
    /// Core store.
    package let core: any CoreRecords

    /// How each form's sets link into families, by form id and version (built once).
    private let linkages: [String: RecordValidator]

    /// Creates a review.
    package init(templates: [FormTemplate], store: any ReviewStore, core: any CoreRecords) {
        self.templates = templates
        self.store = store
        self.core = core
        var linkages: [String: RecordValidator] = [:]
        for t in templates { linkages["\(t.id)/\(t.version)"] = RecordValidator(template: t) }
        self.linkages = linkages
    }

    /// What a refresh concluded.
    package enum Outcome: Sendable, Equatable {
        /// Written to the core store now.
        case promoted
        /// Was already in the core store: nothing changed.
        case alreadyPromoted
        /// Still waiting: open items, or missing pages.
        case waiting(openItems: Int, missingPages: [Int])
        /// A supervisor rejected the document (a page was lost): it never reaches the core store.
        case rejected
    }

    /// The document's current values, field id → value (verified, accepted or the machine's
    /// guess for queued fields).
    package func values(form: String, serial: Int) async throws -> [String: String] {
        Self.values(of: try await store.readings(form: form, serial: serial))
    }

    static func values(of readings: [ReadingRecord]) -> [String: String] {
        var values: [String: String] = [:]
        // A text field has a value once someone keyed it.
        for r in readings where r.kind != "text" || r.status == .verified {
            if let v = r.value, !v.isEmpty { values[r.fieldID] = v }
        }
        return values
    }

    /// Re-validates one document and promotes its family when it is clean and complete. With
    /// `final` false (while a batch is still being read) an incomplete document only gets its
    /// field items, so verifiers can start at once without seeing rules fail for pages not read
    /// yet. A family of several sets is checked and promoted as one: every refresh of one of its
    /// sets refreshes the others too.
    @discardableResult
    package func refresh(form: String, version: Int, serial: Int, final: Bool = true) async throws -> Outcome {
        guard let template = templates.first(where: { $0.id == form && $0.version == version }) else {
            return .waiting(openItems: 0, missingPages: [])
        }
        let state = try await store.documentState(form: form, version: version, serial: serial)
        if state.status == .promoted { return .alreadyPromoted }
        if state.status == .rejected { return .rejected }
        let document = try await check(template, serial: serial, lost: state.lostPages, final: final)
        if !final, !document.missingPages.isEmpty {
            return .waiting(openItems: document.queuedFields.count, missingPages: document.missingPages)
        }

        let linkage = linkages["\(form)/\(version)"]
        let (sets, recordViolations, recordComplete) = try await record(of: document, template: template, linkage: linkage, final: final)
        var ready = recordComplete
        var ownOpen = 0
        for set in sets {
            var failing = set.failing
            for v in recordViolations[set.serial] ?? []
            where v.severity == .hard && Set(v.fields).isDisjoint(with: set.queuedFields) && Set(v.fields).isDisjoint(with: set.unseenFields) {
                failing.insert(v.rule)
                try await store.openItem(
                    form: form, version: version, serial: set.serial, kind: .record, rule: v.rule, fields: v.fields, reason: v.message,
                    confidence: 0)
            }
            try await store.closeResolvedRecordItems(form: form, version: version, serial: set.serial, stillFailing: failing)
            try await store.setWarnings(form: form, version: version, serial: set.serial, warnings: set.warnings)
            let open = try await store.unfinishedItems(form: form, version: version, serial: set.serial).count
            if set.serial == serial { ownOpen = open }
            if open > 0 || !set.missingPages.isEmpty { ready = false }
        }
        guard ready else { return .waiting(openItems: ownOpen, missingPages: document.missingPages) }
        // No transaction spans reading the values and counting the open items, so a decision
        // another verifier committed in between (its item closed, its value written, in one
        // transaction) is counted closed but missing from the values. Every such decision is
        // in by now: read the values again, and start over if any moved.
        for set in sets where Self.values(of: try await store.readings(form: form, serial: set.serial)) != set.values {
            return try await refresh(form: form, version: version, serial: serial, final: final)
        }
        let record = AssembledRecord(
            template: template, sets: sets.map { ($0.serial, sets.count > 1 ? (linkage?.setIndex($0.values) ?? 1) : 1, $0.values) })
        // Soft record rules travel with the record as warnings, like the documents' own.
        let warnings = sets.sorted { $0.serial < $1.serial }.flatMap { set in
            set.warnings + (recordViolations[set.serial] ?? []).filter { $0.severity == .soft }.map(\.message)
        }
        let wrote = try await core.promote(
            template: template, serial: record.serial, family: record.family, members: record.members, warnings: warnings)
        for set in sets { _ = try await store.markPromoted(form: form, version: version, serial: set.serial) }
        return wrote ? .promoted : .alreadyPromoted
    }

    /// The document's record: its own check and, when the template's set count says the record
    /// fills several sets, the check of every other set with the same link fields, with what
    /// they break together (the record rules, the set structure) and whether every set is there.
    private func record(
        of document: DocumentCheck, template: FormTemplate, linkage: RecordValidator?, final: Bool
    ) async throws -> (sets: [DocumentCheck], violations: [Int: [Violation]], complete: Bool) {
        guard let linkage else { return ([document], [:], true) }
        guard let count = linkage.setCount(document.values), count > 1 else {
            // One set: the record rules still hold over it.
            return ([document], [document.serial: linkage.validateAlone(serial: document.serial, values: document.values)], true)
        }
        // Without its link fields a set cannot be linked: their own required rules keep it in
        // review meanwhile.
        guard let key = linkage.linkKey(document.values) else { return ([document], [:], false) }
        var sets = [document]
        for other in try await store.documents(form: template.id, withValues: key) where other != document.serial {
            let state = try await store.documentState(form: template.id, version: template.version, serial: other)
            guard state.status != .promoted else { continue }
            sets.append(try await check(template, serial: other, lost: state.lostPages, final: final))
        }
        let result = linkage.validate(Dictionary(uniqueKeysWithValues: sets.map { ($0.serial, $0.values) }), final: final)
        return (sets, result.violations, result.complete)
    }

    /// One document's own review: field items for doubtful readings, record items for missing
    /// pages and for its failing hard rules, and its warnings. Items are opened here; closing
    /// resolved ones waits until the family's rules are known too.
    struct DocumentCheck {
        var serial: Int
        var values: [String: String]
        var queuedFields: Set<String>
        var missingPages: [Int]
        var failing: Set<String>
        var warnings: [String]
        /// Fields on the document's missing pages.
        var unseenFields: Set<String> = []
    }

    /// `lost`: the pages a supervisor declared lost (from the document's state).
    func check(_ template: FormTemplate, serial: Int, lost: [Int], final: Bool) async throws -> DocumentCheck {
        let (form, version) = (template.id, template.version)
        let readings = try await store.readings(form: form, serial: serial)
        // Opening an item that is already waiting changes nothing; skipping it saves a write per
        // doubtful field on every refresh (a round trip each on a shared server).
        let waiting = Set(try await store.unfinishedItems(form: form, version: version, serial: serial).map { "\($0.kind.rawValue)/\($0.rule)" })
        var queuedFields = Set<String>()
        for r in readings where r.status == .queued {
            queuedFields.insert(r.fieldID)
            guard !waiting.contains("\(ReviewItemKind.field.rawValue)/\(r.fieldID)") else { continue }
            try await store.openItem(
                form: form, version: version, serial: serial, kind: .field, rule: r.fieldID, fields: [r.fieldID],
                reason: r.reason ?? "doubtful reading", confidence: r.confidence)
        }
        // Every written text field that people type (names, addresses) is keyed from its image;
        // one left empty on paper asks nobody. Rules over it wait for its keying, as over a doubt.
        for r in readings where r.status == .image && template.field(r.fieldID)?.keyed == true {
            guard BoxReading.decode(r.boxesJSON).first?.state != .empty else { continue }
            queuedFields.insert(r.fieldID)
            guard !waiting.contains("\(ReviewItemKind.keying.rawValue)/\(r.fieldID)") else { continue }
            try await store.openItem(
                form: form, version: version, serial: serial, kind: .keying, rule: r.fieldID, fields: [r.fieldID],
                reason: "key the text from its image", confidence: 0)
        }
        let present = try await store.pageNumbers(form: form, version: version, serial: serial)
        let missing = Set(template.pages.map(\.number)).subtracting(present).subtracting(lost).sorted()
        let values = Self.values(of: readings)
        var check = DocumentCheck(serial: serial, values: values, queuedFields: queuedFields, missingPages: missing, failing: [], warnings: [])
        if !final, !missing.isEmpty { return check }
        if !missing.isEmpty {
            check.failing.insert(missingPagesRule)
            try await store.openItem(
                form: form, version: version, serial: serial, kind: .record, rule: missingPagesRule, fields: [],
                reason: "page \(missing.map(String.init).joined(separator: ", ")) of this document is missing: find the sheet and scan it", confidence: 0)
        }
        // Fields of a page not scanned yet: nobody can see them, so no rule over them can be
        // judged or answered; they wait for the sheet, as rules over a queued field wait for it.
        let unseen = Set(template.fields.filter { missing.contains($0.page) || lost.contains($0.page) }.map(\.id))
        check.unseenFields = unseen
        let violations = DocumentValidator(template: template).validate(values)
            + (try await AreaCheck(template: template, reference: store).violations(values))
        for v in violations where v.severity == .hard {
            // A rule that involves a field still queued waits for that field's verification: the
            // machine's guess may be what breaks it.
            if !Set(v.fields).isDisjoint(with: queuedFields) || !Set(v.fields).isDisjoint(with: unseen) { continue }
            check.failing.insert(v.rule)
            try await store.openItem(
                form: form, version: version, serial: serial, kind: .record, rule: v.rule, fields: v.fields, reason: v.message, confidence: 0)
        }
        check.warnings = violations.filter { $0.severity == .soft && Set($0.fields).isDisjoint(with: unseen) }.map(\.message)
        check.warnings += try await duplicateNumbers(template: template, serial: serial, values: values)
        check.warnings += lost.map { "page \($0) was declared lost by a supervisor: its fields are empty (see pindai audit)" }
        return check
    }

    /// Soft warnings for NIK numbers that appear in another document too (Regsosek saw 755 such
    /// rows in one regency): the same person registered twice, or a misread.
    package func duplicateNumbers(template: FormTemplate, serial: Int, values: [String: String]? = nil) async throws -> [String] {
        let nikFields = template.fields.filter { $0.validation.format == .nik }.map(\.id)
        var warnings: [String] = []
        let known = values
        let values: [String: String]
        if let known { values = known } else { values = try await self.values(form: template.id, serial: serial) }
        for id in nikFields {
            guard let v = values[id], v.count == 16 else { continue }
            for other in try await store.otherDocuments(withValue: v, inFields: nikFields, excludingSerial: serial) {
                let doc = PageIdentity(form: template.id, version: template.version, page: 1, serial: other.serial).formattedSerial
                warnings.append("the NIK in \(id) also appears in document \(doc) (\(other.fieldID))")
            }
        }
        return warnings
    }

    /// A supervisor's decision on a page that will never be scanned: the document goes on
    /// without it (its fields stay empty, rules over them are not judged, a warning says so),
    /// or with `reject` it is rejected. Audited; refused when the page is not missing.
    package func declarePageLost(form: String, version: Int, serial: Int, page: Int, supervisor: String, reason: String, reject: Bool)
        async throws -> Outcome
    {
        guard let template = templates.first(where: { $0.id == form && $0.version == version }) else {
            throw ReviewError("no template for \(form) version \(version)")
        }
        guard template.pages.contains(where: { $0.number == page }) else {
            throw ReviewError("\(form) has no page \(page) (pages \(template.pages.map { String($0.number) }.joined(separator: ", ")))")
        }
        let present = try await store.pageNumbers(form: form, version: version, serial: serial)
        guard !present.isEmpty else { throw ReviewError("no page of document \(serial) has been read") }
        guard !present.contains(page) else { throw ReviewError("page \(page) of document \(serial) was scanned and read; it is not lost") }
        _ = try await refresh(form: form, version: version, serial: serial)
        let missing = Set(template.pages.map(\.number)).subtracting(present).sorted()
        try await store.declarePageLost(
            form: form, version: version, serial: serial, page: page, missing: missing, supervisor: supervisor, reason: reason, reject: reject)
        return try await refresh(form: form, version: version, serial: serial)
    }

    /// Refreshes every document of a batch (all when `nil`).
    package func refreshAll(batch: String?) async throws -> (promoted: Int, waiting: Int, openItems: Int) {
        var promoted = 0
        var waiting = 0
        var items = 0
        for key in try await store.documentKeys(batch: batch) {
            switch try await refresh(form: key.form, version: key.version, serial: key.serial) {
            case .promoted: promoted += 1
            case .alreadyPromoted, .rejected: break
            case .waiting(let n, _):
                waiting += 1
                items += n
            }
        }
        return (promoted, waiting, items)
    }
}

/// A review action that cannot be carried out, with what to do instead.
package struct ReviewError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
