import ArgumentParser
import Foundation
import Store

/// `pindai audit DOCUMENT`: every decision on one document.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Print a document's history: every verifier decision with before, after, who, when and seconds spent.",
        discussion: "Example:\n  pindai audit 17          (the document with serial 0000000017)"
    )

    @Argument(help: "The document's serial (leading zeros optional).")
    var document: Int

    @Option(help: "The form id, when several forms share serials.")
    var form: String?

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let store = try storeOptions.open()
        let decisions = try await store.decisions(form: form, serial: document)
        guard !decisions.isEmpty else {
            print("document \(document): no decisions recorded")
            return
        }
        let formatter = ISO8601DateFormatter()
        for d in decisions {
            let before = d.before ?? "blank"
            let after = d.after ?? "blank"
            print("\(formatter.string(from: d.at))  \(d.verifier)  \(d.action.rawValue)  \(d.fieldID): \(before) → \(after)  (\(String(format: "%.1f", d.seconds)) s, \(d.keystrokes) key\(d.keystrokes == 1 ? "" : "s"))")
        }
        print("\(decisions.count) decision(s) on document \(document)")
    }
}
