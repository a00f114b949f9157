import ArgumentParser
import Foundation
import Store

/// `pindai audit DOCUMENT`: every decision on one document.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print a document's history: every verifier decision with before, after, who, when and seconds spent.",
        discussion: """
            Keyed names and addresses show as their length only: they are personal, and `export records` \
            is the one way they leave the store.

            Example:
              pindai audit 17          (the document with serial 0000000017)
            """
    )

    @Argument(help: "The document's serial (leading zeros optional).")
    var document: Int

    @Option(help: "The form id, when several forms share serials.")
    var form: String?

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() async throws {
        let store = try await storeOptions.open()
        // Keyed names and addresses are personal: the trail says that they were typed, and how
        // long they are, never what they say (`export records` is the only way out for them).
        let textFields = Set(try templateOptions.load().flatMap { t in t.fields.filter { if case .text = $0.kind { true } else { false } }.map(\.id) })
        func shown(_ value: String?, field: String) -> String {
            guard let value else { return "blank" }
            return textFields.contains(field) ? "‹text, \(value.count) characters›" : value
        }
        let decisions = try await store.decisions(form: form, serial: document)
        guard !decisions.isEmpty else {
            print("document \(document): no decisions recorded")
            return
        }
        let formatter = ISO8601DateFormatter()
        for d in decisions {
            let before = shown(d.before, field: d.fieldID)
            let after = shown(d.after, field: d.fieldID)
            print("\(formatter.string(from: d.at))  \(d.verifier)  \(d.action.rawValue)  \(d.fieldID): \(before) → \(after)  (\(String(format: "%.1f", d.seconds)) s, \(d.keystrokes) key\(d.keystrokes == 1 ? "" : "s"))")
        }
        print("\(decisions.count) decision(s) on document \(document)")
    }
}
