import ArgumentParser
import DigitRecognition
import Foundation
import Learning
import Store

/// `pindai model list` and `pindai model use`: which digit models there are, and which one a
/// store reads new pages with.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "List the digit models and choose the one a store reads new pages with.",
        subcommands: [List.self, Use.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The store's default model, the model folders under models/, and how many pages each model read.",
            discussion: """
                Example:
                  pindai model list --store pindai.sqlite
                """
        )

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            let store = try await storeOptions.open()
            let root = RepositoryRoot.locate() + "/models"
            let chosen = try await store.defaultModel()
            print("store: \(storeOptions.display)")
            print("default: " + (chosen.map { "\($0) (\(DigitRecognizer.identity(directory: $0, model: "digits")))" } ?? "the shipped model, \(root)"))
            var folders = [root]
            let children = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
            folders += children.sorted().map { root + "/" + $0 }.filter { FileManager.default.fileExists(atPath: $0 + "/digits.traineddata") }
            if let chosen, !folders.contains(chosen) { folders.append(chosen) }
            print("models:")
            for folder in folders where FileManager.default.fileExists(atPath: folder + "/digits.traineddata") {
                let identity = DigitRecognizer.identity(directory: folder, model: "digits")
                var line = "  \(identity)  \(folder)"
                if let card = ModelCard.load(directory: folder) {
                    let p = HeldOutScore.percent
                    line += "  learned from \(card.digits.training) digits of \(card.documents.training) documents, from \(card.base); held out: \(p(card.before.digitsRight)) → \(p(card.after.digitsRight)) right"
                    if card.refused != nil { line += " (worse than its base: not to be used)" }
                } else if folder == root {
                    line += "  shipped"
                }
                print(line)
            }
            let pages = try await store.pagesByModel()
            print("pages read, by model:")
            if pages.isEmpty { print("  none yet") }
            for (model, count) in pages.sorted(by: { $0.key < $1.key }) { print("  \(model)  \(count)") }
        }
    }

    struct Use: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a model folder the one a store reads new pages with (ingest without --model).",
            discussion: """
                A learned model whose card says it is worse than its base is refused.

                Examples:
                  pindai model use models/kaltim-1 --store pindai.sqlite
                  pindai model use --shipped --store pindai.sqlite
                """
        )

        @Argument(help: ArgumentHelp("The model folder (holding digits.traineddata).", valueName: "dir"))
        var directory: String?

        @Flag(help: "Go back to the shipped model (models/).")
        var shipped = false

        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            guard (directory == nil) != !shipped else { throw ValidationError("name a model folder, or --shipped") }
        }

        func run() async throws {
            let store = try await storeOptions.open()
            guard let directory else {
                try await store.setDefaultModel(nil)
                print("default: the shipped model now reads new pages in \(storeOptions.display)")
                return
            }
            guard FileManager.default.fileExists(atPath: directory + "/digits.traineddata") else {
                throw CLIError("\(directory): no digits.traineddata in this folder (name the folder pindai learn wrote)")
            }
            if let card = ModelCard.load(directory: directory), let reason = card.refused {
                throw CLIError("\(directory): not made the default: against its base \(card.base), \(reason) (see its digits.card.md)")
            }
            let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
            try await store.setDefaultModel(absolute)
            print("default: \(directory) (\(DigitRecognizer.identity(directory: directory, model: "digits"))) now reads new pages in \(storeOptions.display)")
        }
    }
}
