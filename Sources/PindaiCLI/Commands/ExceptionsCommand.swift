import ArgumentParser
import Foundation
import Imaging
import Raster
import Store
import Vocabulary

/// `pindai exceptions`: every page or file that did not become readings, and why.
struct ExceptionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions",
        abstract: "List the pages and files that did not become readings, with the reason and what to do.",
        discussion: """
            --reasons prints every reason pindai records, what it means and what to do about it, \
            as the Markdown table the README shows. Each exception starts with its number; a page \
            that was decoded keeps its image in the store, and --image N --out FILE.png writes it \
            (readable by you only: a page holds names and NIKs), so the sheet can be looked at \
            without the scan file.

            Examples:
              pindai exceptions --batch sample
              pindai exceptions --image 12 --out page-12.png
              pindai exceptions --reasons
            """
    )

    @Option(help: "Only this batch.")
    var batch: String?

    @Flag(help: "List every exception reason with its meaning and what to do, instead of the store's exceptions.")
    var reasons = false

    @Option(help: ArgumentHelp("Write the page image of exception N (its number in the list) to --out, as PNG.", valueName: "N"))
    var image: Int64?

    @Option(help: ArgumentHelp("Where --image writes the page (PNG, readable by its owner only).", valueName: "FILE"))
    var out: String?

    func validate() throws {
        if image != nil, out == nil { throw ValidationError("--image needs --out FILE.png: where to write the page") }
        if out != nil, image == nil { throw ValidationError("--out goes with --image N: which exception's page to write") }
    }

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        if reasons {
            print(ExceptionReason.markdownTable)
            return
        }
        let store = try await storeOptions.open()
        let list = try await store.exceptions(batch: batch)
        if let image, let out {
            try await write(image, of: list, from: store, to: out)
            return
        }
        if list.isEmpty {
            print("no exceptions")
            return
        }
        for e in list {
            let page = e.pageIndex.map { " page \($0 + 1)" } ?? ""
            print("#\(e.id) \(e.path)\(page): \(e.reason.rawValue): \(e.detail)")
        }
        var counts: [ExceptionReason: Int] = [:]
        for e in list { counts[e.reason, default: 0] += 1 }
        print(
            "\(list.count) exception(s): "
                + ExceptionReason.allCases.compactMap { r in counts[r].map { "\($0) \(r.rawValue)" } }.joined(separator: ", "))
        if let first = list.first(where: { $0.pageID != nil }) {
            let kept = list.filter { $0.pageID != nil }.count
            print("\(kept) with the page's image kept: pindai exceptions --image \(first.id) --out page-\(first.id).png writes one")
        }
    }

    /// Writes exception `id`'s page image as a PNG that only its owner may read.
    private func write(_ id: Int64, of list: [ExceptionRecord], from store: any PindaiStore, to path: String) async throws {
        guard let exception = list.first(where: { $0.id == id }) else {
            throw CLIError("no exception #\(id)\(batch.map { " in batch \($0)" } ?? ""); `pindai exceptions` lists them with their numbers")
        }
        guard let pageID = exception.pageID, let bytes = try await store.pageImage(id: pageID), let page = GreyImage(imageData: bytes) else {
            throw CLIError(
                "exception #\(id) (\(exception.reason.rawValue)) has no page image: the page was never decoded, or it was stored before pindai kept exception pages; open \(exception.path)\(exception.pageIndex.map { " page \($0 + 1)" } ?? "")")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(page.pngData()), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write \(path); check that its folder exists and is writable")
        }
        // createFile keeps the permissions of a file that was already there.
        try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        print("wrote \(path): \(exception.path)\(exception.pageIndex.map { " page \($0 + 1)" } ?? ""), \(exception.reason.rawValue), \(page.width) × \(page.height) px")
    }
}
