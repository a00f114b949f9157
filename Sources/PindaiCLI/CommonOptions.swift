import ArgumentParser
import FormTemplate
import Foundation
import Store

/// `--store PATH|URL`, shared by every command that reads or writes the store: a SQLite file on
/// one machine, or a PostgreSQL server that many machines share.
struct StoreOptions: ParsableArguments {
    @Option(help: "The store: a SQLite file (created if missing) or postgres://user@host:port/db (default: $PINDAI_STORE, else pindai.sqlite).")
    var store: String?

    /// The store named by `--store`, else by `PINDAI_STORE`, else `pindai.sqlite`.
    var location: String {
        store ?? ProcessInfo.processInfo.environment["PINDAI_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? "pindai.sqlite"
    }

    /// Where the store is, as messages show it (a server's location without its password).
    var display: String {
        PostgresLocation.names(location) ? ((try? PostgresLocation(location).display) ?? "the PostgreSQL store") : location
    }

    func open() async throws -> any PindaiStore {
        do {
            return try await StoreLocation.open(location)
        } catch let error as StoreError {
            throw CLIError(error.description)
        } catch {
            throw CLIError("\(display): cannot open the store: \(error)\n(check the folder exists and is writable)")
        }
    }
}

/// `--template FILE` (repeatable); defaults to every template in form-templates/.
struct TemplateOptions: ParsableArguments {
    @Option(name: .customLong("template"), help: "Form template(s) to read with (default: every form-templates/*.yaml).")
    var templates: [String] = []

    func load() throws -> [FormTemplate] {
        var paths = templates
        if paths.isEmpty {
            let dir = RepositoryRoot.locate() + "/form-templates"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            paths = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { dir + "/" + $0 }
        }
        guard !paths.isEmpty else { throw CLIError("no form templates found; pass --template FILE") }
        return try paths.map(loadTemplate)
    }
}

/// `--model DIR`: a folder holding `digits.traineddata` (and its `digits.calibration.json`), to
/// read with a model other than the shipped one (a retrained one, a checkpoint under test).
struct ModelOptions: ParsableArguments {
    @Option(help: "Folder with digits.traineddata and digits.calibration.json (default: $PINDAI_MODEL, else models/).")
    var model: String?

    /// The model to read with, and a note when it is not pindai's own.
    func locate() throws -> (directory: String, name: String, note: String?)? {
        if let dir = model ?? ProcessInfo.processInfo.environment["PINDAI_MODEL"] {
            guard FileManager.default.fileExists(atPath: dir + "/digits.traineddata") else {
                throw CLIError("\(dir): no digits.traineddata in this folder (--model names the folder that holds the model)")
            }
            return (dir, "digits", nil)
        }
        return ModelLocator.locate()
    }

    /// The model to read with: `--model`, else `PINDAI_MODEL`, else the store's default
    /// (`pindai model use`), else the shipped one.
    func locate(for store: some DigitModelStore) async throws -> (directory: String, name: String, note: String?)? {
        if model == nil, ProcessInfo.processInfo.environment["PINDAI_MODEL"] == nil, let chosen = try await store.defaultModel() {
            guard FileManager.default.fileExists(atPath: chosen + "/digits.traineddata") else {
                throw CLIError("the store's default model \(chosen) is gone; restore it, pass --model DIR, or run pindai model use --shipped")
            }
            return (chosen, "digits", nil)
        }
        return try locate()
    }
}

/// Finds the digit model: the repository's trained model, else Tesseract's stock English model.
enum ModelLocator {
    static func locate() -> (directory: String, name: String, note: String?)? {
        let repo = RepositoryRoot.locate() + "/models"
        if FileManager.default.fileExists(atPath: repo + "/digits.traineddata") { return (repo, "digits", nil) }
        for dir in ["/usr/share/tesseract-ocr/5/tessdata", "/usr/share/tesseract-ocr/4.00/tessdata", "/usr/share/tessdata"]
        where FileManager.default.fileExists(atPath: dir + "/eng.traineddata") {
            return (dir, "eng", "note: models/digits.traineddata not found; using Tesseract's stock English model, which reads handwritten digits poorly (most digit fields will be queued)")
        }
        return nil
    }
}
