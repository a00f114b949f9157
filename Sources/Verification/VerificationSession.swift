import FormTemplate
import Foundation
import Store
import Vocabulary

/// One verifier at work: claims items from the shared queue, keeps the edit state, turns keys
/// into decisions, and refreshes (and promotes) the document after each decision. The terminal
/// UI draws its state; the simulated verifier drives it with keys too.
///
/// Owned by one task (not `Sendable`): its state changes with every key.
package final class VerificationSession {
    /// Who is verifying (stored with every decision).
    package let verifier: String
    /// Only this field (base id such as `403`), for group verification.
    package let fieldFilter: String?
    /// Only this batch.
    package let batch: String?
    /// Base ids verified twice, blind.
    package let doubleEntry: Set<String>
    /// The queue worked: the machine's doubts, the supervisor's referred items, or keying.
    package let queue: WorkQueue
    private let store: any ReviewStore
    private let review: DocumentReview

    /// The item being verified.
    package private(set) var item: ReviewItem?
    /// Its fields.
    package private(set) var edits: [FieldEdit] = []
    /// Index of the field with the cursor.
    package private(set) var focus = 0
    /// A message for the status line (what just happened, or why a key was refused).
    package private(set) var message: String?
    /// Whether help is shown.
    package private(set) var showingHelp = false
    /// How much of the page is shown around the field (``VerifierKey/wider`` steps through).
    package private(set) var view = ClipView.field
    /// Whether the current item is the blind second entry of a double-entry field.
    package private(set) var blindSecondEntry = false
    /// Keys pressed on the current item.
    package private(set) var keystrokes = 0
    /// Totals for this session.
    package private(set) var decided = 0
    /// Keys pressed over all decided items.
    package private(set) var totalKeystrokes = 0
    private var started = Date()
    private var renewed = Date()
    private var skipped: [Int64] = []
    private var lastDecided: Int64?

    /// Creates a session.
    package init(
        store: any ReviewStore, review: DocumentReview, verifier: String, fieldFilter: String? = nil, batch: String? = nil,
        doubleEntry: Set<String> = [], queue: WorkQueue = .doubts
    ) {
        self.store = store
        self.review = review
        self.verifier = verifier
        self.fieldFilter = fieldFilter
        self.batch = batch
        self.doubleEntry = doubleEntry
        self.queue = queue
    }

    /// The template of the current item.
    package var template: FormTemplate? {
        item.flatMap { i in review.templates.first { $0.id == i.form && $0.version == i.version } }
    }

    /// Claims the next item; false when the queue is empty.
    @discardableResult
    package func loadNext() async throws -> Bool {
        let next = try await store.claimNext(verifier: verifier, field: fieldFilter, batch: batch, queue: queue, excluding: skipped)
        try await load(next)
        return item != nil
    }

    private func load(_ next: ReviewItem?) async throws {
        item = next
        edits = []
        focus = 0
        view = .field
        keystrokes = 0
        started = Date()
        renewed = started
        blindSecondEntry = false
        guard let next, let template else { return }
        let readings = Dictionary(try await store.readings(form: next.form, serial: next.serial).map { ($0.fieldID, $0) }, uniquingKeysWith: { a, _ in a })
        blindSecondEntry = next.status == .secondEntry
        edits = next.fields.compactMap { id in
            template.field(id).map { FieldEdit(field: $0, reading: readings[id], blind: blindSecondEntry) }
        }
        if next.kind == .keying, let id = next.fields.first, !edits.isEmpty {
            let values = DocumentReview.values(of: Array(readings.values))
            edits[0].suggestions = try await AreaCheck(template: template, reference: store).suggestions(for: id, values: values)
        }
        // A record item starts on the first field that is doubtful or mentioned first.
        focus = edits.firstIndex { !$0.doubtful.isEmpty } ?? 0
    }

    /// Handles one key; false when the verifier quits. A verifier at work keeps the item: a key
    /// pressed a minute or more after the last renewal renews the claim. When the claim is gone
    /// (the verifier was away past the lease and the item went back to the queue), the key is
    /// not applied and the next item comes.
    package func handle(_ key: VerifierKey) async throws -> Bool {
        message = nil
        do {
            try await renewIfDue()
            return try await apply(key)
        } catch let error as StoreError where error.lostClaim != nil && error.lostClaim == item?.id {
            try await loadNext()
            message = "the claim on that item ran out (\(Int(ReviewQueueTiming.claimSeconds / 60)) min without a key) and it went back to the queue; nothing was stored"
            return true
        }
    }

    private func renewIfDue() async throws {
        guard let item, let token = item.claimToken, Date().timeIntervalSince(renewed) >= ReviewQueueTiming.renewAfterSeconds else { return }
        guard try await store.renewClaim(itemID: item.id, token: token) else { throw StoreError.claimLost(itemID: item.id, verifier: verifier) }
        renewed = Date()
    }

    private func apply(_ key: VerifierKey) async throws -> Bool {
        // Opening and closing help is not work on the item: those keys are not counted.
        if showingHelp, key != .quit {
            showingHelp = false
            return true
        }
        // Looking wider is not work on the item either.
        if key != .help && key != .other && key != .wider { keystrokes += 1 }
        switch key {
        case .wider:
            view = view.wider
        case .quit:
            if let item { try await store.release(itemID: item.id, verifier: verifier) }
            return false
        case .help:
            showingHelp = true
        case .undo:
            guard let last = lastDecided else {
                message = "nothing to undo"
                return true
            }
            if let item { try await store.release(itemID: item.id, verifier: verifier) }
            try await store.undo(itemID: last, verifier: verifier)
            lastDecided = nil
            decided = max(0, decided - 1)
            try await load(try await store.item(id: last))
            message = "undone: the previous item is back"
        case .skip:
            guard let item else { return true }
            skipped.append(item.id)
            try await store.release(itemID: item.id, verifier: verifier)
            try await loadNext()
            message = "skipped"
        case .refer:
            guard let item else { return true }
            try await store.decide(
                item: item, values: Dictionary(uniqueKeysWithValues: edits.map { ($0.field.id, (try? $0.value.get()) ?? nil) }),
                action: .refer, verifier: verifier, seconds: elapsed, keystrokes: keystrokes)
            lastDecided = item.id
            try await loadNext()
            message = "referred to a supervisor"
        case .tab:
            focus = (focus + 1) % max(1, edits.count)
        case .backTab:
            focus = (focus - 1 + edits.count) % max(1, edits.count)
        case .down where edits.count > 1 && !isChoice:
            focus = (focus + 1) % edits.count
        case .up where edits.count > 1 && !isChoice:
            focus = (focus - 1 + edits.count) % edits.count
        case .other:
            message = "that key does nothing here (? for help)"
        case .enter:
            try await accept()
        default:
            guard !edits.isEmpty else { return true }
            if !edits[focus].apply(key) { message = "that key does nothing here (? for help)" }
        }
        return true
    }

    private var isChoice: Bool {
        guard focus < edits.count else { return false }
        if case .choice = edits[focus].field.kind { return true }
        return false
    }

    private var elapsed: Double { Date().timeIntervalSince(started) }

    private func accept() async throws {
        guard let item else { return }
        var values: [String: String?] = [:]
        for edit in edits {
            switch edit.value {
            case .success(let v): values[edit.field.id] = v
            case .failure(let problem):
                message = problem.message
                return
            }
        }
        let changed = edits.contains(where: \.changed)
        let doubled = item.kind != .record && edits.count == 1 && doubleEntry.contains(edits[0].field.baseID)
        if doubled, item.status != .secondEntry, item.firstEntry == nil {
            try await store.decide(
                item: item, values: values, action: .firstEntry, verifier: verifier, seconds: elapsed,
                keystrokes: keystrokes, firstEntry: values.values.first.flatMap { $0 } ?? "")
            message = "first entry saved; a second verifier will key it blind"
        } else if doubled, item.status == .secondEntry {
            let mine = values.values.first.flatMap { $0 } ?? ""
            if mine == item.firstEntry {
                try await store.decide(item: item, values: values, action: .secondEntry, verifier: verifier, seconds: elapsed, keystrokes: keystrokes)
                message = "both entries agree"
            } else {
                try await store.decide(item: item, values: values, action: .disagree, verifier: verifier, seconds: elapsed, keystrokes: keystrokes)
                message = "the two entries differ: sent to a supervisor"
            }
        } else if item.kind == .keying {
            let action: DecisionAction = edits.contains(where: \.illegible) ? .illegible : .keyed
            try await store.decide(item: item, values: values, action: action, verifier: verifier, seconds: elapsed, keystrokes: keystrokes)
        } else {
            let action: DecisionAction = changed ? .correct : item.kind == .record ? .confirm : .accept
            try await store.decide(item: item, values: values, action: action, verifier: verifier, seconds: elapsed, keystrokes: keystrokes)
        }
        decided += 1
        totalKeystrokes += keystrokes
        lastDecided = item.id
        _ = try await review.refresh(form: item.form, version: item.version, serial: item.serial)
        try await loadNext()
    }
}
