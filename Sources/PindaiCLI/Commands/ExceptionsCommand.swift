import ArgumentParser
import Foundation
import Store
import Vocabulary

/// `pindai exceptions`: every page or file that did not become readings, and why.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions",
        abstract: "List the pages and files that did not become readings, with the reason and what to do.",
        discussion: """
            --reasons prints every reason pindai records, what it means and what to do about it, \
            as the Markdown table the README shows.

            Examples:
              pindai exceptions --batch sample
              pindai exceptions --reasons
            """
    )

    @Option(help: "Only this batch.")
    var batch: String?

    @Flag(help: "List every exception reason with its meaning and what to do, instead of the store's exceptions.")
    var reasons = false

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        if reasons {
            print(ExceptionReason.markdownTable)
            return
        }
        let store = try await storeOptions.open()
        let list = try await store.exceptions(batch: batch)
        if list.isEmpty {
            print("no exceptions")
            return
        }
        for e in list {
            let page = e.pageIndex.map { " page \($0 + 1)" } ?? ""
            print("\(e.path)\(page): \(e.reason.rawValue): \(e.detail)")
        }
        var counts: [ExceptionReason: Int] = [:]
        for e in list { counts[e.reason, default: 0] += 1 }
        print(
            "\(list.count) exception(s): "
                + ExceptionReason.allCases.compactMap { r in counts[r].map { "\($0) \(r.rawValue)" } }.joined(separator: ", "))
    }
}
