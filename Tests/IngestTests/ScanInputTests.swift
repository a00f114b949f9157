import FormRendering
import FormTemplate
import Foundation
import Geometry
import Imaging
import Ingest
import Raster
import Store
import Synthesis
import TestSupport
import Testing
import Vocabulary

/// Scanning rooms' real inputs: PDF, colour, any resolution, duplex backs. One synthetic
/// document is written in each form a scanner produces, and each must read as the G4 TIFF does.
@Suite(.serialized) struct ScanInputTests {
    let template = Fixtures.rskK4
    static let model = (directory: Fixtures.repositoryRoot + "/models", name: "digits")

    /// Writes document `serial` (seed 21) at `dpi` as grey pages; returns the pages and its truth.
    func document(dpi: Double, in dir: String, duplex: SynthesisRun.Duplex? = nil) async throws -> (pages: [GreyImage], truth: DocumentTruth) {
        var run = SynthesisRun(
            template: template, digits: try Fixtures.mnistTestHand(), count: 1, seed: 21, serialStart: 300, outputDirectory: dir, format: .tiffGrey,
            dpi: dpi, workers: 1)
        run.largeFamilyShare = 0
        run.duplex = duplex
        _ = try await run.run()
        let truth = try JSONDecoder().decode(DocumentTruth.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/RSK-K4-0000000300.truth.json")))
        return (try ImageFile.readPages(dir + "/RSK-K4-0000000300.tif"), truth)
    }

    /// Ingests `paths` into a new store; returns the summary and the document's values by field.
    func ingest(_ paths: [String], dir: String, duplex: Bool = false) async throws -> (IngestSummary, [String: String?], SQLiteStore) {
        let store = try SQLiteStore(path: dir + "/\(UUID().uuidString.prefix(6)).sqlite")
        var ingestor = Ingestor(templates: [template], store: store, batch: "inputs", workers: 2, model: Self.model)
        ingestor.duplex = duplex
        let summary = try await ingestor.run(paths)
        let readings = try await store.readings(form: "RSK-K4", serial: 300)
        return (summary, Dictionary(readings.map { ($0.fieldID, $0.value) }, uniquingKeysWith: { a, _ in a }), store)
    }

    /// Share of the reference's fields read to the same value.
    func agreement(_ values: [String: String?], with reference: [String: String?]) -> Double {
        let same = reference.filter { values[$0.key] == $0.value }.count
        return Double(same) / Double(max(1, reference.count))
    }

    /// Share of the document's digit fields among `keys` read to their true value.
    func digitsRight(_ values: [String: String?], truth: DocumentTruth, among keys: Set<String>) -> Double {
        let fields = truth.fields.filter { keys.contains($0.key) && $0.value.kind == "digits" && $0.value.text != nil }
        let right = fields.filter { values[$0.key] == .some($0.value.text) }.count
        return Double(right) / Double(max(1, fields.count))
    }

    /// A colour scan of grey pages: cream paper, as a colour scanner sees the form.
    func colour(_ page: GreyImage) -> ColourImage {
        var rgb = [UInt8](repeating: 0, count: page.width * page.height * 3)
        for (i, v) in page.pixels.enumerated() {
            rgb[i * 3] = UInt8(Int(v) * 252 / 255)
            rgb[i * 3 + 1] = UInt8(Int(v) * 244 / 255)
            rgb[i * 3 + 2] = UInt8(Int(v) * 222 / 255)
        }
        return ColourImage(width: page.width, height: page.height, rgb: rgb, dpi: page.dpi)
    }

    @Test func everyScannerFormatReadsAsTheG4TIFFDoes() async throws {
        let dir = Fixtures.temporaryDirectory()
        let (pages, truth) = try await document(dpi: 300, in: dir + "/synth300")
        let sheetFields = Set(template.page(try #require(truth.pages[1].page))!.fields.map(\.id))
        try ImageWriter.write(pages, to: dir + "/g4.tif", as: .tiffG4(threshold: 165))
        let (baseSummary, reference, _) = try await ingest([dir + "/g4.tif"], dir: dir)
        #expect(baseSummary.pagesRead == 4 && reference.count > 300)
        #expect(digitsRight(reference, truth: truth, among: Set(reference.keys)) > 0.85, "the G4 TIFF reads most digit fields right")

        // Multi-page formats hold the whole document; the rest hold its second sheet (the
        // members' page, with most kinds of field), which keeps the test short.
        var inputs: [(name: String, paths: [String], pages: Int)] = []
        func add(_ name: String, pages count: Int = 1, _ write: (String) throws -> Void) rethrows {
            let path = dir + "/" + name
            try write(path)
            inputs.append((name, [path], count))
        }
        let sheet = [pages[1]]
        try add("g4.pdf", pages: 4) { try ImageWriter.write(pages, to: $0, as: .pdfG4(threshold: 165)) }
        try add("colour-jpeg.pdf") { try ImageWriter.write(colour: sheet.map(colour), to: $0, as: .pdfJPEG(quality: 80)) }
        for compression in ImageWriter.TIFFCompression.allCases {
            try add("grey-\(compression.rawValue).tif") { try ImageWriter.write(sheet, to: $0, as: .tiff(compression)) }
        }
        try add("colour-lzw.tif") { try ImageWriter.write(colour: sheet.map(colour), to: $0, as: .tiff(.lzw)) }
        try add("colour.jpg") { try ImageWriter.write(colour: sheet.map(colour), to: $0, as: .jpeg(quality: 85)) }
        try add("colour.png") { try ImageWriter.write(colour: sheet.map(colour), to: $0, as: .png) }
        // A file that lies about its resolution (72 dpi, as some capture software writes).
        try add("says-72dpi.tif") { path in
            try ImageWriter.write(sheet.map { var p = $0; p.dpi = 72; return p }, to: path, as: .tiffG4(threshold: 165))
        }

        for input in inputs {
            let (summary, values, store) = try await ingest(input.paths, dir: dir)
            #expect(summary.pagesRead == input.pages, "\(input.name): \(summary.lines)")
            let exceptions = try await store.exceptions(batch: nil)
            #expect(exceptions.isEmpty, "\(input.name): \(exceptions.map(\.detail))")
            let onPages = input.pages == 4 ? reference : reference.filter { sheetFields.contains($0.key) }
            #expect(Set(values.keys) == Set(onPages.keys), "\(input.name): every field of its pages read")
            let share = agreement(values, with: onPages)
            // Grey and colour pages carry more than a 1-bit one, and the digit model reads a few
            // fields of them otherwise than the G4 TIFF, more often right than wrong (24
            // documents, seed 31: 97.6 against 96.6 % of digits right); lossy JPEG moves a few
            // more. So the formats must read alike, and none worse than the G4 TIFF.
            #expect(share >= 0.92, "\(input.name): \(String(format: "%.1f", share * 100)) % of fields as in the G4 TIFF")
            let keys = Set(onPages.keys)
            let right = digitsRight(values, truth: truth, among: keys)
            let g4Right = digitsRight(reference, truth: truth, among: keys)
            #expect(right >= g4Right - 0.02, "\(input.name): \(String(format: "%.1f", right * 100)) % of digit fields right, the G4 TIFF \(String(format: "%.1f", g4Right * 100)) %")
        }
    }

    /// 200 dpi (the lowest scanners are set to) and 400; 600 dpi is the same code path at four
    /// times the pixels of 300 and is measured by `scripts/inputs`, not here, to keep the suite short.
    @Test(arguments: [200.0, 400.0])
    func aPageAtAnyResolutionIsReadWithoutResampling(dpi: Double) async throws {
        let dir = Fixtures.temporaryDirectory("dpi\(Int(dpi))")
        let (pages, truth) = try await document(dpi: dpi, in: dir + "/synth")
        #expect(pages.first?.dpi == dpi)
        let path = dir + "/scan.tif"
        // The second sheet (members, most of the form's marks) keeps the test short at 600 dpi.
        try ImageWriter.write([pages[1]], to: path, as: dpi == 200 ? .tiffGrey : .tiffG4(threshold: 165))
        let (summary, values, _) = try await ingest([path], dir: dir)
        #expect(summary.pagesRead == 1, "\(summary.lines)")
        // Marks are read the same at every resolution: compare the checkboxes with the truth.
        var marks = 0
        var right = 0
        for field in template.page(try #require(truth.pages[1].page))!.fields {
            let expected: Int?
            switch field.kind {
            case .checkbox: expected = (truth.fields[field.id]?.marked ?? []).isEmpty ? 0 : 1
            case .choice: expected = truth.fields[field.id]?.value
            case .digits, .text: continue
            }
            marks += 1
            if values[field.id] == .some(expected.map(String.init)) { right += 1 }
        }
        #expect(marks > 10 && Double(right) / Double(marks) >= 0.97, "\(right) of \(marks) mark fields right at \(dpi) dpi")
    }

    @Test func duplexBacksAreCountedWhenBlankAndRaisedWhenWrittenOn() async throws {
        let dir = Fixtures.temporaryDirectory()
        let (pages, truth) = try await document(dpi: 300, in: dir + "/synth", duplex: SynthesisRun.Duplex(inkedShare: 0.5))
        let backs = truth.pages.compactMap(\.back)
        #expect(pages.count == 8 && backs.count == 4)
        let inked = backs.filter { $0 == .inked }.count
        #expect(inked > 0 && inked < 4, "seed 21 gives both kinds of back")
        let path = dir + "/duplex.tif"
        try ImageWriter.write(pages, to: path, as: .tiffG4(threshold: 165))
        let (summary, _, store) = try await ingest([path], dir: dir, duplex: true)
        #expect(summary.pagesRead == 4)
        #expect(summary.blankBacks == 4 - inked)
        #expect(summary.exceptions == [.inkOnBack: inked])
        let exceptions = try await store.exceptions(batch: nil)
        let inkedIndexes = truth.pages.filter { $0.back == .inked }.map(\.index)
        #expect(exceptions.compactMap(\.pageIndex).sorted() == inkedIndexes.sorted())
        #expect(exceptions.allSatisfy { $0.detail.contains("has writing") })
        // Without --duplex the same backs are blank pages for an operator.
        let (simplex, _, _) = try await ingest([path], dir: dir)
        #expect(simplex.blankBacks == 0 && simplex.exceptions[.blankPage, default: 0] == 4)
        // Run again: the backs are not looked at twice.
        let again = try await Ingestor(templates: [template], store: store, batch: "inputs", workers: 1, model: Self.model).run([path])
        #expect(again.alreadyStored == 1 && again.pagesHandled == 0)
    }

    @Test func encryptedTruncatedAndBrokenPDFsAreExceptionsWithTheirReason() async throws {
        let dir = Fixtures.temporaryDirectory()
        let (pages, _) = try await document(dpi: 200, in: dir + "/synth")
        let whole = dir + "/whole.pdf"
        try ImageWriter.write(pages, to: whole, as: .pdfG4(threshold: 165))
        let data = try Data(contentsOf: URL(fileURLWithPath: whole))
        try data.prefix(data.count * 6 / 10).write(to: URL(fileURLWithPath: dir + "/cut.pdf"))
        try (Data("%PDF-1.5\n".utf8) + Data(repeating: 0x41, count: 5000) + Data("\n%%EOF\n".utf8)).write(to: URL(fileURLWithPath: dir + "/garbage.pdf"))
        try Data(repeating: 0x20, count: 300).write(to: URL(fileURLWithPath: dir + "/named.pdf"))
        // Made once with `qpdf --encrypt pindai-user pindai-owner 256` from a 100-dpi synth page.
        let encrypted = Fixtures.repositoryRoot + "/Tests/Fixtures/encrypted.pdf"
        let (summary, _, store) = try await ingest(
            [encrypted, dir + "/cut.pdf", dir + "/garbage.pdf", dir + "/named.pdf"], dir: dir)
        let byPath = Dictionary(try await store.exceptions(batch: nil).map { (($0.path as NSString).lastPathComponent, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath["encrypted.pdf"]?.reason == .encrypted)
        #expect(byPath["encrypted.pdf"]?.detail.contains("without a password") == true)
        #expect(byPath["cut.pdf"]?.reason == .truncated)
        #expect(byPath["garbage.pdf"]?.reason == .undecodable)
        #expect(byPath["named.pdf"]?.reason == .undecodable, "\(byPath["named.pdf"]?.detail ?? "")")
        #expect(summary.pagesRead == 0 && summary.exceptions.values.reduce(0, +) == 4, "\(summary.lines)")
    }

    /// A PDF that is not a scan (the printable form, drawn by cairo as vector graphics) is
    /// drawn at 300 dpi and read: its pages are identified and every field is empty.
    @Test func aVectorPDFIsDrawnAndRead() async throws {
        let dir = Fixtures.temporaryDirectory()
        let written = try FormRenderer(template: template).writePrintables(to: dir + "/print", serials: 300..<301, dpi: 100)
        let pdf = try #require(written.first { $0.hasSuffix(".pdf") })
        let (summary, values, _) = try await ingest([pdf], dir: dir)
        #expect(summary.pagesRead == 4, "\(summary.lines)")
        #expect(values.count == template.fields.count)
        #expect(!values.values.contains { v in v.map { !$0.isEmpty && $0 != "0" } ?? false }, "a blank form reads as blank")
    }

    /// A fax-resolution page is refused with the resolution it was measured at, not guessed at.
    @Test func aPageBelowTheReadableResolutionIsAnException() async throws {
        let dir = Fixtures.temporaryDirectory()
        let page = FormRenderer(template: template).image(page: template.page(1)!, serial: 300, resolution: Resolution(dpi: 100))
        try ImageWriter.write([page], to: dir + "/fax.png", as: .png)
        let (summary, _, store) = try await ingest([dir + "/fax.png"], dir: dir)
        #expect(summary.exceptions == [.badResolution: 1], "\(summary.lines)")
        #expect(try await store.exceptions(batch: nil).first?.detail.hasPrefix("the page is scanned at 100 dpi") == true)
    }

    /// An exception page keeps its image, upright, so that a supervisor sees the sheet without
    /// the scan file (moved on by a hot folder, or on another machine); `pindai exceptions`
    /// numbers the exceptions and writes a page's image for its owner only.
    @Test func anExceptionPageKeepsItsImageUprightAndTheCommandWritesIt() async throws {
        let dir = Fixtures.temporaryDirectory()
        let page = FormRenderer(template: template).image(page: template.page(1)!, serial: 300, resolution: Resolution(dpi: 100))
        let upsideDown = GreyImage(width: page.width, height: page.height, pixels: page.pixels.reversed(), dpi: page.dpi)
        try ImageWriter.write([upsideDown], to: dir + "/fax.tif", as: .tiffG4(threshold: 128))
        try ImageWriter.write([GreyImage(width: 827, height: 1169, pixels: [UInt8](repeating: 255, count: 827 * 1169), dpi: 100)], to: dir + "/empty.png", as: .png)
        let (summary, _, store) = try await ingest([dir + "/fax.tif", dir + "/empty.png"], dir: dir)
        #expect(summary.exceptions == [.badResolution: 1, .blankPage: 1], "\(summary.lines)")
        let exceptions = try await store.exceptions(batch: nil)
        let fax = try #require(exceptions.first { $0.reason == .badResolution })
        let faxPage = try #require(fax.pageID)
        let stored = try #require(try await store.pageImage(id: faxPage))
        let upright = try #require(GreyImage(imageData: stored))
        #expect(upright.pixels == page.pixels.map { $0 < 128 ? 0 : 255 }, "the page as read: turned upright")

        let (status, listing) = try await Fixtures.runPindai(["exceptions", "--store", store.path])
        #expect(status == 0)
        #expect(listing.contains("#\(fax.id) \(dir)/fax.tif page 1: bad-resolution: the page is scanned at 100 dpi"), "\(listing)")
        #expect(listing.hasSuffix("2 with the page's image kept: pindai exceptions --image \(exceptions[0].id) --out page-\(exceptions[0].id).png writes one\n"), "\(listing)")

        let out = dir + "/look.png"
        let written = try await Fixtures.runPindai(["exceptions", "--image", "\(fax.id)", "--out", out, "--store", store.path])
        #expect(written.status == 0)
        #expect(written.output == "wrote \(out): \(dir)/fax.tif page 1, bad-resolution, \(page.width) × \(page.height) px\n")
        #expect(try ImageFile.readPage(out, index: 0).pixels == upright.pixels)
        let mode = try FileManager.default.attributesOfItem(atPath: out)[.posixPermissions] as? Int
        #expect(mode == 0o600, "a page holds names and NIKs: readable by its owner only")

        let missing = try await Fixtures.runPindai(["exceptions", "--image", "999", "--out", out, "--store", store.path])
        #expect(missing.status != 0)
        #expect(missing.output.contains("no exception #999; `pindai exceptions` lists them with their numbers"), "\(missing.output)")
    }

    @Test func aDropoutColourVanishesAndPencilStays() throws {
        let dir = Fixtures.temporaryDirectory()
        // Red printing on the left half, grey pencil on the right.
        var rgb = [UInt8](repeating: 255, count: 100 * 40 * 3)
        for y in 10..<30 {
            for x in 10..<40 { (rgb[(y * 100 + x) * 3], rgb[(y * 100 + x) * 3 + 1], rgb[(y * 100 + x) * 3 + 2]) = (220, 60, 60) }
            for x in 60..<90 { (rgb[(y * 100 + x) * 3], rgb[(y * 100 + x) * 3 + 1], rgb[(y * 100 + x) * 3 + 2]) = (90, 90, 90) }
        }
        let path = dir + "/red.png"
        try ImageWriter.write(colour: [ColourImage(width: 100, height: 40, rgb: rgb, dpi: 300)], to: path, as: .png)
        let plain = try ImageFile.readPage(path, index: 0)
        let dropped = try ImageFile.readPage(path, index: 0, colour: .dropout(red: 220, green: 60, blue: 60))
        #expect(plain[20, 20] < 150, "luminance keeps the red printing dark")
        #expect(dropped[20, 20] > 200, "the red channel drops it")
        #expect(dropped[75, 20] < 100 && plain[75, 20] < 100, "pencil stays in both")
    }
}
