import ArgumentParser
import FormTemplate
import Foundation
import Store

/// `pindai export`: readings (one row per document) or the core store's clean records.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export readings per document, or the clean records of the core store.",
        discussion: """
            Examples:
              pindai export --format csv --batch sample > sample.csv     (readings, one row per document)
              pindai export records --format jsonl --out records.jsonl    (the core store)
            """,
        subcommands: [ExportReadingsCommand.self, ExportRecordsCommand.self],
        defaultSubcommand: ExportReadingsCommand.self
    )
}

/// `pindai export [readings]`: the store's readings, one row per document.
struct ExportReadingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "readings",
        abstract: "Write one row per document with every field's value, confidence and status (CSV or JSON lines).",
        discussion: """
            Exports contain personal data (NIK numbers): keep the files where the store is kept. Keyed \
            names and addresses are left out here (their status says whether they are keyed): \
            `export records` is the one way they leave the store.

            Examples:
              pindai export --format csv --batch sample > sample.csv
              pindai export --format jsonl --out readings.jsonl
            """
    )

    @Option(help: "csv or jsonl.")
    var format: String = "csv"

    @Option(help: "Only this batch.")
    var batch: String?

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func validate() throws {
        guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl") }
    }

    func run() async throws {
        let store = try await storeOptions.open()
        let templates = try templateOptions.load()
        let documents = try await store.documents(batch: batch)
        var output = ""
        let forms = Set(documents.map { "\($0.form) v\($0.version)" })
        if format == "csv" && forms.count > 1 {
            throw CLIError("the store holds several forms (\(forms.sorted().joined(separator: ", "))); export them as --format jsonl")
        }
        var wroteHeader = false
        for (i, doc) in documents.enumerated() {
            guard let template = templates.first(where: { $0.id == doc.form && $0.version == doc.version }) else {
                throw CLIError("no template for \(doc.form) v\(doc.version); pass it with --template")
            }
            let readings = Dictionary(try await store.readings(form: doc.form, serial: doc.serial).map { ($0.fieldID, $0) }, uniquingKeysWith: { a, _ in a })
            let missing = Set(template.pages.map(\.number)).subtracting(doc.pages).sorted()
            if format == "csv" {
                if !wroteHeader {
                    var header = ["form", "version", "serial", "pages_missing", "fields_queued"]
                    for f in template.fields { header += [f.id, f.id + ".confidence", f.id + ".status"] }
                    output += header.map(CSV.escape).joined(separator: ",") + "\n"
                    wroteHeader = true
                }
                var row = [doc.form, String(doc.version), String(doc.serial), missing.map(String.init).joined(separator: " "), String(doc.queued)]
                for f in template.fields {
                    let r = readings[f.id]
                    row += [Self.exportable(r?.value, f), r.map { String(format: "%.3f", $0.confidence) } ?? "", r?.status.rawValue ?? "missing"]
                }
                output += row.map(CSV.escape).joined(separator: ",") + "\n"
            } else {
                var fields: [String: [String: Any]] = [:]
                for f in template.fields {
                    guard let r = readings[f.id] else { continue }
                    fields[f.id] = ["value": Self.exportable(r.value, f) as Any, "confidence": (r.confidence * 1000).rounded() / 1000, "status": r.status.rawValue]
                }
                let object: [String: Any] = [
                    "form": doc.form, "version": doc.version, "serial": doc.serial, "pages_missing": missing, "fields_queued": doc.queued,
                    "fields": fields,
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                output += String(decoding: data, as: UTF8.self) + "\n"
            }
            if out != nil, i % 100 == 99 { FileHandle.standardError.write(Data("exported \(i + 1)/\(documents.count) documents\n".utf8)) }
        }
        if let out {
            let previous = umask(0o077)
            defer { umask(previous) }
            try output.write(toFile: out, atomically: true, encoding: .utf8)
            print("exported \(documents.count) document(s) to \(out)")
        } else {
            print(output, terminator: "")
        }
    }
}

/// RFC 4180 quoting.
enum CSV {
    static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The cells of one CSV line (quoted cells may hold commas and doubled quotes).
    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        cell.append("\"")
                        chars.removeFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    cell.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                cells.append(cell)
                cell = ""
            } else {
                cell.append(c)
            }
        }
        cells.append(cell)
        return cells
    }
}

extension ExportReadingsCommand {
    /// A reading's value as the readings export shows it: keyed text stays in the store.
    static func exportable(_ value: String?, _ field: Field) -> String? {
        if case .text = field.kind { return nil }
        return value
    }

    /// ``exportable(_:_:)`` for a CSV cell.
    static func exportable(_ value: String?, _ field: Field) -> String {
        exportable(value, field) ?? ""
    }
}

/// `pindai export records`: the core store, one row per member with the family's fields.
struct ExportRecordsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Write the core store's clean records: one row per family member with the family's fields (CSV), or one family per line (JSON lines).",
        discussion: """
            This is the one way names and addresses leave the store: the file holds them with the NIK \
            numbers, and is written readable by its owner only.

            Examples:
              pindai export records --format csv --out families.csv
              pindai export records --format jsonl --core core.sqlite
            """
    )

    @Option(help: "csv or jsonl.")
    var format: String = "csv"

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var coreOptions: CoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func validate() throws {
        guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl") }
    }

    func run() async throws {
        let core = try await coreOptions.open(default: storeOptions.location)
        var output = ""
        var count = 0
        for template in try templateOptions.load() {
            let records = try await core.records(template: template)
            guard !records.isEmpty else { continue }
            let (familyFields, memberFields) = CoreLayout.layout(template)
            let familyColumns = ["serial"] + familyFields.map { CoreLayout.column($0.id) }
            let memberColumns = ["member"] + memberFields.map { CoreLayout.column($0.baseID) }
            if format == "csv" {
                output += (["form", "version"] + familyColumns + memberColumns).map(CSV.escape).joined(separator: ",") + "\n"
            }
            for (family, members) in records {
                count += 1
                if format == "csv" {
                    let familyPart = [template.id, String(template.version)] + familyColumns.map { family[$0] ?? "" }
                    for m in (members.isEmpty ? [[:]] : members) {
                        output += (familyPart + memberColumns.map { m[$0] ?? "" }).map(CSV.escape).joined(separator: ",") + "\n"
                    }
                } else {
                    var object: [String: Any] = ["form": template.id, "version": template.version]
                    for c in familyColumns { if let v = family[c] { object[c] = v } }
                    object["members"] = members.map { m in m.filter { memberColumns.contains($0.key) } }
                    output += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
                }
            }
        }
        if let out {
            let previous = umask(0o077)
            defer { umask(previous) }
            try output.write(toFile: out, atomically: true, encoding: .utf8)
            print("exported \(count) record(s) to \(out) (names, addresses and NIK numbers: personal data, readable by you only)")
        } else {
            print(output, terminator: "")
        }
    }
}
