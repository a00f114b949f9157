import ArgumentParser
import Foundation
import Store

/// `pindai reference load FILE`: the area master list that area codes are checked against.
struct ReferenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference",
        abstract: "Manage the area reference list: province, regency, district, village and SLS codes with their names.",
        subcommands: [Load.self]
    )

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load the area list from a CSV file (header code,name), replacing the one in the store.",
            discussion: """
                Each row is one area: its code (the digits of the template's reference fields, \
                outermost first: for RSK-K4 2 digits a province, 4 a regency, 7 a district, 10 a \
                village, 16 an SLS) and its name. Once loaded, every document's area codes are \
                checked against it (an unknown code is a record problem), a keyed area name is \
                compared with the list's (a warning when they differ), and keyers complete SLS names \
                from it.

                Example:
                  pindai reference load areas-kaltim.csv
                """
        )

        @Argument(help: "The CSV file.")
        var file: String

        @OptionGroup var storeOptions: StoreOptions

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw CLIError("\(file): cannot read the file; check that it exists and is UTF-8 text")
            }
            let entries = try Self.parse(text, file: file)
            let store = try await storeOptions.open()
            let n = try await store.loadReference(entries)
            let byLength = Dictionary(grouping: entries, by: \.code.count).mapValues(\.count)
            print("loaded \(n) area code(s) from \(file): " + byLength.keys.sorted().map { "\(byLength[$0]!) of \($0) digits" }.joined(separator: ", "))
        }

        /// `code,name` rows after a header; every problem names its line.
        static func parse(_ text: String, file: String) throws -> [(code: String, name: String)] {
            var entries: [(code: String, name: String)] = []
            var problems: [String] = []
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let row = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if i == 0 || row.isEmpty { continue }
                let cells = CSV.cells(row)
                guard cells.count == 2, !cells[0].isEmpty, cells[0].allSatisfy(\.isNumber), !cells[1].trimmingCharacters(in: .whitespaces).isEmpty else {
                    problems.append("\(file):\(i + 1): expected code,name with a code of digits and a name, not \(row.prefix(60))")
                    continue
                }
                entries.append((cells[0], cells[1].trimmingCharacters(in: .whitespaces)))
            }
            if !problems.isEmpty { throw CLIError((problems.prefix(20) + (problems.count > 20 ? ["… \(problems.count - 20) more"] : [])).joined(separator: "\n")) }
            guard !entries.isEmpty else { throw CLIError("\(file): no areas after the header line (code,name)") }
            return entries
        }
    }
}
