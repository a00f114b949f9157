import ArgumentParser
import DigitRecognition
import Foundation
import Learning
import Reading
import Store
import Verification

/// `pindai reread`: a batch's still-queued digit fields read again with another model.
struct RereadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reread",
        abstract: "Read a batch's still-queued digit fields again with another model; verified values are never touched.",
        discussion: """
            Each queued digit field is cut again from its stored image where ingest cut it and read \
            through the same rules. A field the new model reads confidently and validly is accepted and \
            its item leaves the queue; the others stay queued with the new reading. Fields a verifier \
            has taken or decided are left alone. Prints what changed (field ids and confidences, never \
            values).

            Example:
              pindai reread --model models/kaltim-1 --batch kutai-02 --store pindai.sqlite
            """
    )

    @Option(help: ArgumentHelp("The model folder to read with.", valueName: "dir"))
    var model: String

    @Option(help: "The batch whose queued fields are read again.")
    var batch: String

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var coreOptions: CoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func run() async throws {
        guard FileManager.default.fileExists(atPath: model + "/digits.traineddata") else {
            throw CLIError("\(model): no digits.traineddata in this folder (--model names the folder that holds the model)")
        }
        let templates = try templateOptions.load()
        let store = try await storeOptions.open()
        let recognizer: DigitRecognizer
        do {
            recognizer = try DigitRecognizer(directory: model, model: "digits")
        } catch {
            throw CLIError("\(model): \(error)")
        }
        let identity = DigitRecognizer.identity(directory: model, model: "digits")
        let rereader = Rereader(templates: templates, store: store, reader: PageReader(recognizer: recognizer), model: identity)
        let summary = try await rereader.run(batch: batch)
        let review = DocumentReview(templates: templates, store: store, core: try await coreOptions.open(beside: store))
        var promoted = 0
        for document in Set(summary.changes.map { DocumentKey(form: $0.form, version: $0.version, serial: $0.serial) }) {
            if case .promoted = try await review.refresh(form: document.form, version: document.version, serial: document.serial, final: false) {
                promoted += 1
            }
        }
        print(RereadReport.text(summary, batch: batch, model: identity, promoted: promoted))
    }
}

/// A document's key, for de-duplicating the documents a re-reading touched.
private struct DocumentKey: Hashable {
    var form: String
    var version: Int
    var serial: Int
}

/// What `pindai reread` prints.
enum RereadReport {
    static func text(_ s: Rereader.Summary, batch: String, model: String, promoted: Int) -> String {
        let accepted = s.changes.filter { $0.status == .accepted }
        var lines = [
            "batch \(batch): \(s.queued) queued digit fields, re-read with \(model)",
            "  \(accepted.count) now accepted (their items closed), \(s.changes.count - accepted.count) still queued with the new reading",
            "  \(s.changes.filter(\.valueChanged).count) read differently from before",
        ]
        if s.leftToVerifiers > 0 { lines.append("  \(s.leftToVerifiers) left alone: a verifier has taken or decided them") }
        if s.unreadable > 0 { lines.append("  \(s.unreadable) not re-read: no stored box positions (read by an older pindai) or their template is not loaded") }
        lines.append("documents promoted to the core store: \(promoted)")
        let shown = s.changes.filter { $0.valueChanged || $0.status == .accepted }.sorted { ($0.serial, $0.fieldID) < ($1.serial, $1.fieldID) }
        if !shown.isEmpty { lines.append("changed:") }
        for c in shown {
            let conf = "confidence \(Int((c.confidence.before * 100).rounded())) → \(Int((c.confidence.after * 100).rounded())) %"
            let what = c.valueChanged ? "new value" : "same value"
            lines.append("  \(c.form)/\(c.serial) field \(c.fieldID): \(what), \(conf), \(c.status == .accepted ? "accepted" : "still queued: " + (c.reason ?? ""))")
        }
        return lines.joined(separator: "\n")
    }
}
