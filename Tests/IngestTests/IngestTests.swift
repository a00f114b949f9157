import FormRendering
import FormTemplate
import Foundation
import Geometry
import Imaging
import Ingest
import Raster
import Store
import TestSupport
import Testing
import Vocabulary

/// Nothing lost: every page of every file ends as readings or as an exception with a reason.
@Suite(.serialized) struct IngestTests {
    let template = Fixtures.rskK4

    func ingest(_ paths: [String], store: SQLiteStore, batch: String = "t") async throws -> IngestSummary {
        try await Ingestor(templates: [template], store: store, batch: batch, workers: 2, model: nil).run(paths)
    }

    func page(_ number: Int, serial: Int, dpi: Double = 150, template: FormTemplate? = nil) -> GreyImage {
        let t = template ?? self.template
        return FormRenderer(template: t).image(page: t.page(number)!, serial: serial, resolution: Resolution(dpi: dpi))
    }

    func writePNG(_ image: GreyImage, _ path: String) throws {
        try ImageWriter.write([image], to: path, as: .png)
    }

    @Test func theSampleBatchIsReadCompletelyWithItsBlankSheetExplained() async throws {
        let dir = Fixtures.temporaryDirectory()
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let summary = try await ingest([Fixtures.repositoryRoot + "/scans"], store: store)
        #expect(summary.files == 5)
        #expect(summary.pagesRead == 20)
        #expect(summary.exceptions == [.blankPage: 1])
        let docs = try await store.documents(batch: nil)
        #expect(docs.map(\.serial) == [1, 2, 3, 4, 5])
        #expect(docs.allSatisfy { $0.pages == [1, 2, 3, 4] }, "upside-down and shuffled pages are read too")
        let digits = try #require(try await store.stageHistograms().first { $0.stage == "digits" }, "stage seconds are kept as pages are stored")
        #expect(digits.count == 20 && digits.sum > 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/s.sqlite")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the store holds personal data: owner only")
    }

    @Test func everyKindOfBadInputBecomesAnExceptionWithItsReason() async throws {
        let dir = Fixtures.temporaryDirectory()
        let input = dir + "/in"
        try FileManager.default.createDirectory(atPath: input, withIntermediateDirectories: true)
        // Not an image at all.
        try Data("serial,value\n1,2\n".utf8).write(to: URL(fileURLWithPath: input + "/a-notes.csv"))
        // A TIFF header followed by garbage.
        var corrupt = Data([0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00])
        corrupt.append(Data((0..<2000).map { UInt8(($0 * 37) % 251) }))
        try corrupt.write(to: URL(fileURLWithPath: input + "/b-corrupt.tif"))
        // A real G4 TIFF cut in half.
        try ImageWriter.write([page(1, serial: 1), page(2, serial: 1)], to: dir + "/whole.tif", as: .tiffG4(threshold: 160))
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/whole.tif"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: input + "/c-truncated.tif"))
        // A blank sheet.
        try writePNG(GreyImage(width: 1240, height: 1754, fill: 250, dpi: 150), input + "/d-blank.png")
        // A page of a form nobody loaded.
        var otherYAML = try String(contentsOfFile: Fixtures.rskK4Path, encoding: .utf8)
        otherYAML = otherYAML.replacingOccurrences(of: "form: RSK-K4", with: "form: RSK-X9")
        let other = try TemplateLoader.load(yaml: otherYAML, source: "x.yaml")
        try writePNG(page(1, serial: 5, template: other), input + "/e-unknown-form.png")
        // Two corner marks covered: cannot be registered.
        var covered = page(3, serial: 1)
        let r = Resolution(dpi: 150)
        for mark in template.page(3)!.fiducials.prefix(2) {
            let p = r.pixels(mark.insetBy(-0.5))
            for y in Int(p.minY)..<Int(p.maxY) { for x in Int(p.minX)..<Int(p.maxX) { covered[x, y] = 255 } }
        }
        try writePNG(covered, input + "/f-two-marks-covered.png")

        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let summary = try await ingest([input], store: store)
        let exceptions = try await store.exceptions(batch: nil)
        let byFile = Dictionary(exceptions.map { (($0.path as NSString).lastPathComponent, $0.reason) }, uniquingKeysWith: { a, _ in a })
        #expect(byFile["a-notes.csv"] == .unsupportedFormat)
        #expect(byFile["b-corrupt.tif"] == .undecodable)
        #expect(byFile["c-truncated.tif"] == .truncated)
        #expect(byFile["d-blank.png"] == .blankPage)
        #expect(byFile["e-unknown-form.png"] == .unknownForm)
        #expect(byFile["f-two-marks-covered.png"] == .unregistrable)
        #expect(summary.pagesRead == 1, "the intact first page of the truncated file is read")
        let unknown = try #require(exceptions.first { $0.reason == .unknownForm })
        #expect(unknown.detail.hasPrefix("the page says it is RSK-X9 version 1 page 1, but no template"))
    }

    @Test func anUpsideDownPageAndAPageWithOneMarkMissingAreStillRead() async throws {
        let dir = Fixtures.temporaryDirectory()
        try writePNG(page(2, serial: 12).rotated180(), dir + "/upside-down.png")
        var damaged = page(4, serial: 12)
        let p = Resolution(dpi: 150).pixels(template.page(4)!.fiducials[2].insetBy(-0.5))
        for y in Int(p.minY)..<Int(p.maxY) { for x in Int(p.minX)..<Int(p.maxX) { damaged[x, y] = 255 } }
        try writePNG(damaged, dir + "/one-mark-missing.png")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let summary = try await ingest([dir + "/upside-down.png", dir + "/one-mark-missing.png"], store: store)
        #expect(summary.pagesRead == 2)
        #expect(summary.exceptions.isEmpty)
        let docs = try await store.documents(batch: nil)
        #expect(docs.first?.pages == [2, 4])
        // A blank form: every tick box reads empty, on the turned page too.
        let readings = try await store.readings(form: "RSK-K4", serial: 12)
        let sex = try #require(readings.first { $0.fieldID == "m1.405" })
        #expect(sex.value == nil && sex.boxesJSON.contains("\"state\":\"empty\""))
    }

    @Test func aFileAlreadyStoredIsSkippedAndACopyIsReportedAsDuplicate() async throws {
        let dir = Fixtures.temporaryDirectory()
        try writePNG(page(1, serial: 3), dir + "/a.png")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        _ = try await ingest([dir + "/a.png"], store: store)
        let again = try await ingest([dir + "/a.png"], store: store)
        #expect(again.alreadyStored == 1 && again.pagesRead == 0 && again.exceptions.isEmpty)
        try FileManager.default.copyItem(atPath: dir + "/a.png", toPath: dir + "/copy.png")
        let copy = try await ingest([dir + "/copy.png"], store: store)
        #expect(copy.exceptions == [.duplicateFile: 1])
        let e = try await store.exceptions(batch: nil)
        #expect(e.last?.detail == "same content as \(dir)/a.png (batch t), already stored; not read again")
    }

    @Test func theSamePageInAnotherFileIsADuplicatePage() async throws {
        let dir = Fixtures.temporaryDirectory()
        var image = page(1, serial: 4)
        try writePNG(image, dir + "/first.png")
        image[5, 5] = 0
        try writePNG(image, dir + "/rescan.png")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let summary = try await ingest([dir + "/first.png", dir + "/rescan.png"], store: store)
        #expect(summary.pagesRead + summary.exceptions.values.reduce(0, +) == 2)
        #expect(summary.exceptions == [.duplicatePage: 1])
    }

    @Test func aRunKilledMidwayResumesWithEveryPageStoredOnce() async throws {
        let dir = Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/in", withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.repositoryRoot + "/scans") where name.hasSuffix(".tif") {
            try FileManager.default.copyItem(atPath: Fixtures.repositoryRoot + "/scans/" + name, toPath: dir + "/in/" + name)
        }
        let storePath = dir + "/s.sqlite"
        let store = try SQLiteStore(path: storePath)
        // Killed as soon as the store holds a page: midway through the first file.
        let probe = StoreProbe(path: storePath)
        let killed = try await Fixtures.runPindai(
            ["ingest", dir + "/in", "--store", storePath, "--workers", "1", "--template", Fixtures.rskK4Path], send: .kill, when: { probe.pagesRead() >= 1 })
        #expect(killed.status == 128 + SIGKILL, "\(killed.output)")
        let before = try await store.counts(batch: nil).pages
        #expect(before >= 1 && before < 20, "killed midway")
        let (status, output) = try await Fixtures.runPindai(["ingest", dir + "/in", "--store", storePath, "--template", Fixtures.rskK4Path])
        #expect(status == 0, "\(output)")
        let after = try await store.counts(batch: nil)
        let exceptions = try await store.exceptions(batch: nil)
        #expect(after.pages == 20 && exceptions.map(\.reason) == [.blankPage], "\(exceptions)")
        let docs = try await store.documents(batch: nil)
        #expect(docs.count == 5 && docs.allSatisfy { $0.pages == [1, 2, 3, 4] })
    }
}

extension IngestTests {
    /// The page turned a quarter turn clockwise (`clockwise`) or counter-clockwise.
    func quarterTurned(_ image: GreyImage, clockwise: Bool) -> GreyImage {
        var out = GreyImage(width: image.height, height: image.width, dpi: image.dpi)
        for y in 0..<image.height {
            for x in 0..<image.width {
                if clockwise { out[image.height - 1 - y, x] = image[x, y] } else { out[y, image.width - 1 - x] = image[x, y] }
            }
        }
        return out
    }

    /// A sheet scanned sideways (a landscape image) is turned upright and read.
    @Test func aPageScannedSidewaysIsTurnedUprightAndRead() async throws {
        let dir = Fixtures.temporaryDirectory()
        try writePNG(quarterTurned(page(3, serial: 21), clockwise: true), dir + "/cw.png")
        try writePNG(quarterTurned(page(4, serial: 21), clockwise: false), dir + "/ccw.png")
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let summary = try await ingest([dir + "/cw.png", dir + "/ccw.png"], store: store)
        #expect(summary.pagesRead == 2, "\(summary.exceptions)")
        #expect(try await store.documents(batch: nil).first?.pages == [3, 4])
    }
}
