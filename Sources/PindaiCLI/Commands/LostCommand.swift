import ArgumentParser
import Foundation
import Verification

/// `pindai lost DOCUMENT --page N`: a supervisor's decision on a sheet that will never be scanned.
struct LostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lost",
        abstract: "Declare a missing page lost (supervisors): the document goes on without it, or is rejected.",
        discussion: """
            A document with a missing page waits with one item, "find the sheet and scan it". When \
            the sheet cannot be found, a supervisor decides the document's fate: judged without the \
            page (its fields stay empty, rules over them are not judged, a warning goes with the \
            record), or --reject (never promoted). The decision and its reason are in `pindai audit`.

            Examples:
              pindai lost 17 --page 2 --as sri --reason "sheet torn in the field, not recoverable"
              pindai lost 17 --page 2 --as sri --reason "household refused page 2" --reject
            """
    )

    @Argument(help: "The document's serial (leading zeros optional).")
    var document: Int

    @Option(help: "The page that will never be scanned.")
    var page: Int

    @Option(name: .customLong("as"), help: "The supervisor deciding (recorded in the audit trail).")
    var supervisor: String

    @Option(help: "Why the page is lost (recorded in the audit trail; no names or NIK numbers).")
    var reason: String

    @Flag(help: "Reject the document instead of completing it without the page.")
    var reject = false

    @Option(help: "The form id (default: the only form whose document has this serial).")
    var form: String?

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var coreOptions: CoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() async throws {
        let templates = try templateOptions.load()
        let store = try await storeOptions.open()
        let review = DocumentReview(templates: templates, store: store, core: try await coreOptions.open(beside: store))
        let keys = try await store.documentKeys(batch: nil).filter { $0.serial == document && (form == nil || $0.form == form) }
        guard keys.count == 1, let key = keys.first else {
            throw CLIError(
                keys.isEmpty
                    ? "no document \(document)\(form.map { " of form \($0)" } ?? "") in \(storeOptions.display)"
                    : "document \(document) exists in several forms (\(keys.map(\.form).joined(separator: ", "))); pass --form")
        }
        let outcome: DocumentReview.Outcome
        do {
            outcome = try await review.declarePageLost(
                form: key.form, version: key.version, serial: key.serial, page: page, supervisor: supervisor, reason: reason, reject: reject)
        } catch let error as ReviewError {
            throw CLIError("document \(document): \(error.description)")
        }
        switch outcome {
        case .rejected: print("document \(document): rejected by \(supervisor) (page \(page) lost); it will not reach the core store")
        case .promoted, .alreadyPromoted: print("document \(document): page \(page) declared lost by \(supervisor); promoted to the core store without it")
        case .waiting(let items, let missing):
            let rest = missing.isEmpty ? "" : "; still missing: page \(missing.map(String.init).joined(separator: ", "))"
            print("document \(document): page \(page) declared lost by \(supervisor); \(items) item(s) still open\(rest)")
        }
    }
}
