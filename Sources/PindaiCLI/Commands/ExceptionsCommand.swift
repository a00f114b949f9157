import ArgumentParser
import Foundation
import Store

/// `pindai exceptions`: every page or file that did not become readings, and why.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions",
        abstract: "List the pages and files that did not become readings, with the reason and what to do.",
        discussion: "Example:\n  pindai exceptions --batch sample"
    )

    @Option(help: "Only this batch.")
    var batch: String?

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        let store = try storeOptions.open()
        let list = try await store.exceptions(batch: batch)
        if list.isEmpty {
            print("no exceptions")
            return
        }
        for e in list {
            let page = e.pageIndex.map { " page \($0 + 1)" } ?? ""
            print("\(e.path)\(page): \(e.reason): \(e.detail)")
        }
        var counts: [String: Int] = [:]
        for e in list { counts[e.reason, default: 0] += 1 }
        print("\(list.count) exception(s): " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }
}
