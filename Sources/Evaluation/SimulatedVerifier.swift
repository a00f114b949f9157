import FormTemplate
import Foundation
import Store
import Synthesis
import Validation
import Verification
import Vocabulary

/// A verifier that types the truth: drives a real ``VerificationSession`` with the keys a
/// careful person would press, so keystrokes per item and the correctness of the promoted
/// records can be measured on synthetic batches.
package struct SimulatedVerifier {
    /// Truth files by serial.
    package let truths: [Int: DocumentTruth]
    /// How long the simulated person looks at each item before the first key: zero for the
    /// keystroke benchmark; a human-like pause lets several simulated verifiers share a queue
    /// the way people do (and lets the dashboards see a shift at work).
    package var thinkTime: Duration = .zero

    /// Loads every `*.truth.json` in `directory`.
    package init(truthDirectory directory: String) throws {
        var truths: [Int: DocumentTruth] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name.hasSuffix(".truth.json") {
            let t = try JSONDecoder().decode(DocumentTruth.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
            truths[t.serial] = t
        }
        self.truths = truths
    }

    /// What the simulated shift did.
    package struct Report: Sendable {
        /// Items decided.
        package var items = 0
        /// Keys pressed.
        package var keystrokes = 0
        /// Field items on digit fields, and the keys they took.
        package var digitItems = 0
        /// Keys spent on digit field items.
        package var digitKeystrokes = 0
        /// Items accepted with one key.
        package var oneKeyItems = 0
        /// Slowest and mean time to bring up the next item, ms.
        package var slowestNextItemMs = 0.0
        /// Mean time to bring up the next item, ms.
        package var meanNextItemMs = 0.0
        /// Fields the verifier saw.
        package var fieldsSeen: Set<String> = []
        /// Items referred because they asked for a value of a field with no image.
        package var referredUnseen = 0
        /// Text fields keyed, the characters they hold, and the keys they took.
        package var textItems = 0
        /// Characters of the keyed text.
        package var textCharacters = 0
        /// Keys spent on text items (Enter included).
        package var textKeystrokes = 0
    }

    /// The text a careful keyer types for a field: the truth as stored.
    func targetText(_ field: Field, serial: Int) -> String {
        FieldEdit.normalised(truths[serial]?.fields[field.id]?.text ?? "")
    }

    /// The true value of a field in the form the session edits (digits string; marked codes).
    func target(_ field: Field, serial: Int) -> (digits: [Character?], marked: Set<Int>) {
        let truth = truths[serial]?.fields[field.id]
        switch field.kind {
        case .digits(let boxes):
            let chars = Array(truth?.text ?? "")
            return ((0..<boxes.count).map { $0 < chars.count ? chars[$0] : nil }, [])
        case .checkbox:
            return ([], Set(truth?.marked ?? []).contains(1) ? [1] : [])
        case .choice:
            return ([], Set(truth?.marked ?? []))
        case .text:
            return ([], [])
        }
    }

    /// The next key that brings the focused field closer to the truth, or `nil` when it matches.
    /// A field with no reading has no image on screen: a person cannot know its value, so the
    /// simulated one refers the item to a supervisor instead of typing the truth into it.
    func nextKey(_ edit: FieldEdit, serial: Int) -> VerifierKey? {
        if case .text = edit.field.kind {
            guard edit.field.keyed else { return nil }
            // Types on from the first difference: what is right stays, what is wrong is erased.
            let goal = Array(targetText(edit.field, serial: serial))
            let typed = Array(edit.text)
            // A few characters, then Enter once the area list completes them.
            if typed == goal || edit.completion.map(Array.init) == goal { return nil }
            let common = zip(typed, goal).prefix { $0 == $1 }.count
            if edit.cursor != typed.count { return .right }
            if typed.count > common { return .backspace }
            return goal[common] == " " ? .space : .character(goal[common])
        }
        guard edit.reading != nil else { return .refer }
        let goal = target(edit.field, serial: serial)
        switch edit.field.kind {
        case .digits:
            guard let i = edit.boxes.indices.first(where: { edit.boxes[$0] != goal.digits[$0] }) else { return nil }
            if edit.cursor < i { return .right }
            if edit.cursor > i { return .left }
            if let d = goal.digits[i]?.wholeNumberValue { return .digit(d) }
            return .backspace
        case .choice(let g):
            guard edit.marked != goal.marked else { return nil }
            if g.selection != .any, goal.marked.count == 1, let code = goal.marked.first, (0...9).contains(code) { return .digit(code) }
            guard let code = edit.codes.first(where: { edit.marked.contains($0) != goal.marked.contains($0) }) else { return nil }
            let i = edit.codes.firstIndex(of: code)!
            if edit.cursor < i { return .right }
            if edit.cursor > i { return .left }
            return .space
        case .checkbox:
            return edit.marked != goal.marked ? .space : nil
        case .text:
            return nil
        }
    }

    /// Works the queue until it is empty.
    package func run(_ session: VerificationSession, limit: Int = 100_000) async throws -> Report {
        var report = Report()
        var loadTimes: [Double] = []
        var t0 = ContinuousClock.now
        guard try await session.loadNext() else { return report }
        loadTimes.append(ms(since: t0))
        while let item = session.item, report.items < limit {
            // The item's form, taken now: once decided, the session shows the next item.
            let template = session.template
            if thinkTime > .zero { try await Task.sleep(for: thinkTime) }
            let before = session.decided
            let keysBefore = session.totalKeystrokes
            var guardKeys = 0
            while session.decided == before, session.item?.id == item.id, guardKeys < 200 {
                guardKeys += 1
                // A missing sheet is found by people in the scanning room, not typed in.
                var key = item.rule == missingPagesRule ? VerifierKey.refer : .enter
                for (i, edit) in session.edits.enumerated() where key != .refer {
                    guard let k = nextKey(edit, serial: item.serial) else { continue }
                    key = i == session.focus || k == .refer ? k : .tab
                    break
                }
                if key == .refer { report.referredUnseen += 1 }
                if key == .enter { t0 = ContinuousClock.now }
                _ = try await session.handle(key)
                if key == .enter { loadTimes.append(ms(since: t0)) }
            }
            let keys = session.totalKeystrokes - keysBefore
            report.items += 1
            report.keystrokes += keys
            if keys == 1 { report.oneKeyItems += 1 }
            if item.kind == .field, let f = template?.field(item.rule), case .digits = f.kind {
                report.digitItems += 1
                report.digitKeystrokes += keys
            }
            if item.kind == .keying, let f = template?.field(item.rule) {
                report.textItems += 1
                report.textKeystrokes += keys
                report.textCharacters += targetText(f, serial: item.serial).count
            }
            for f in item.fields { report.fieldsSeen.insert("\(item.serial)/\(f)") }
        }
        report.slowestNextItemMs = loadTimes.max() ?? 0
        report.meanNextItemMs = loadTimes.isEmpty ? 0 : loadTimes.reduce(0, +) / Double(loadTimes.count)
        return report
    }

    private func ms(since t: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - t
        return Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// Compares the core store's records with the truth: fields right among those the verifier
    /// saw, and among all fields of promoted families (a family of two sets is compared with
    /// both sets' truth, its members numbered across them).
    package func compareRecords(_ core: any CoreRecords, template: FormTemplate, seen: Set<String>) async throws -> (seenRight: Int, seen: Int, allRight: Int, all: Int, families: Int) {
        var result = (seenRight: 0, seen: 0, allRight: 0, all: 0, families: 0)
        func expected(_ field: Field, _ truth: DocumentTruth) -> String? {
            let t = truth.fields[field.id]
            return switch field.kind {
            case .digits: t?.text
            case .checkbox: Set(t?.marked ?? []).contains(1) ? "1" : "0"
            case .text: t?.text.map(FieldEdit.normalised).flatMap { $0.isEmpty ? nil : $0 }
            default: t?.value.map(String.init)
            }
        }
        func tally(_ got: String?, _ want: String?, seenAs key: String) {
            result.all += 1
            if got == want { result.allRight += 1 }
            if seen.contains(key) {
                result.seen += 1
                if got == want { result.seenRight += 1 }
            }
        }
        for (family, members) in try await core.records(template: template) {
            guard let serial = family["serial"].flatMap({ Int($0) }), let first = truths[serial] else { continue }
            result.families += 1
            let rows = Dictionary(members.compactMap { m in m["member"].flatMap { Int($0) }.map { ($0, m) } }) { a, _ in a }
            for field in template.fields where field.instance == nil {
                if case .text = field.kind, !field.keyed { continue }
                tally(family[CoreLayout.column(field.id)], expected(field, first), seenAs: "\(serial)/\(field.id)")
            }
            for (k, set) in sets(of: first, template: template) {
                for field in template.fields {
                    guard let column = field.instance else { continue }
                    if case .text = field.kind, !field.keyed { continue }
                    tally(rows[template.memberNumber(set: k, column: column)]?[CoreLayout.column(field.baseID)], expected(field, set), seenAs: "\(set.serial)/\(field.id)")
                }
            }
        }
        return result
    }

    /// The truth of every set of `first`'s family by set index: the documents with the same
    /// identity strip and set count.
    func sets(of first: DocumentTruth, template: FormTemplate) -> [Int: DocumentTruth] {
        func text(_ t: DocumentTruth, _ id: String) -> String? { t.fields[id]?.text }
        let record = template.record
        guard let counter = record.sets, let n = text(first, counter.count).flatMap({ Int($0) }), n > 1 else { return [1: first] }
        var out: [Int: DocumentTruth] = [:]
        for t in truths.values where record.link.allSatisfy({ text(t, $0) == text(first, $0) }) && text(t, counter.count) == text(first, counter.count) {
            if let k = text(t, counter.index).flatMap({ Int($0) }) { out[k] = t }
        }
        return out
    }
}
