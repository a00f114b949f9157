import ArgumentParser
import FormRendering
import FormTemplate
import Store

/// `pindai template …`: check and print form templates.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Check a form template or render it as a printable form.",
        subcommands: [Check.self, Render.self]
    )

    /// `pindai template check FILE`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a template; prints every error with file, line and field, exits 1 if any.",
            discussion: "Example:\n  pindai template check form-templates/rsk-k4.yaml"
        )

        @Argument(help: "The template file (YAML).")
        var file: String

        func run() async throws {
            let template = try loadTemplate(file)
            let fields = template.fields
            let boxes = fields.reduce(0) { $0 + $1.boxes.count }
            print(
                "\(file): ok: form \(template.id) v\(template.version), \(template.pages.count) pages, "
                    + "\(fields.count) fields, \(boxes) boxes, \(template.rules.count) cross-field rules")
            let record = template.record
            let sets = record.sets.map { " over \($0.index) of \($0.count) sets" } ?? ""
            print(
                "  record: \(record.name)\(sets), \(template.membersPerSet) \(record.members.name)(s) a set, "
                    + "\(record.rules.count) record rule(s); core tables \(CoreLayout.tables(for: template).family), \(CoreLayout.tables(for: template).member)")
        }
    }

    /// `pindai template render FILE --out DIR`.
    struct Render: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render printable blank forms: one PDF plus a PNG per page, each page with its QR code.",
            discussion: """
                Example (three numbered copies starting at serial 100):
                  pindai template render form-templates/rsk-k4.yaml --out out/blank --serial-start 100 --count 3
                """
        )

        @Argument(help: "The template file (YAML).")
        var file: String

        @Option(help: "Folder to write into (created if missing).")
        var out: String

        @Option(help: "Serial number of the first document.")
        var serialStart: Int = 1

        @Option(help: "How many documents (numbered copies) to render.")
        var count: Int = 1

        @Option(help: "PNG resolution in dots per inch.")
        var dpi: Double = 300

        func validate() throws {
            guard count >= 1 else { throw ValidationError("--count must be at least 1") }
            guard serialStart >= 0 else { throw ValidationError("--serial-start must not be negative") }
            guard (50...1200).contains(dpi) else { throw ValidationError("--dpi must be between 50 and 1200") }
        }

        func run() async throws {
            let template = try loadTemplate(file)
            let renderer = FormRenderer(template: template)
            let written = try renderer.writePrintables(
                to: out, serials: serialStart..<(serialStart + count), dpi: dpi)
            for path in written { print(path) }
            print("rendered \(count) document(s), \(count * template.pages.count) page(s) into \(out)")
        }
    }
}

/// Loads a template, turning its diagnostics into the command's error output.
func loadTemplate(_ path: String) throws -> FormTemplate {
    do {
        return try TemplateLoader.load(contentsOf: path)
    } catch {
        throw CLIError(error.description)
    }
}
