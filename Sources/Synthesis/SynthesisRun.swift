import Canvas
import Foundation
import FormRendering
import FormTemplate
import Geometry
import HandwrittenDigits
import Imaging
import Raster

/// Makes a batch of filled, "scanned" questionnaires with their ground truth.
///
/// Every document has its own random stream derived from the seed and its serial, so the same
/// seed gives the same bytes regardless of how many workers run or in which order they finish.
package struct SynthesisRun: Sendable {
    /// Output formats scanning rooms produce.
    package enum Format: String, Sendable, CaseIterable {
        /// One multi-page 1-bit CCITT G4 TIFF per document.
        case tiffG4 = "tiff-g4"
        /// One multi-page 8-bit grey TIFF per document.
        case tiffGrey = "tiff-grey"
        /// One multi-page colour TIFF (LZW) per document, on cream paper.
        case tiffColour = "tiff-colour"
        /// One multi-page PDF per document, a CCITT G4 image per page (a scanner's 1-bit PDF).
        case pdfG4 = "pdf-g4"
        /// One multi-page PDF per document, a colour JPEG per page on cream paper.
        case pdfColour = "pdf-colour"
        /// One 8-bit grey PNG per page.
        case png
        /// One 8-bit grey JPEG per page.
        case jpeg
    }

    /// Duplex scanning: a back image after every sheet.
    package struct Duplex: Sendable, Hashable {
        /// Share of backs on which the enumerator wrote something (a note, a sum).
        package var inkedShare: Double

        /// Creates a duplex setting.
        package init(inkedShare: Double) {
            self.inkedShare = inkedShare
        }
    }

    /// The form to fill.
    package var template: FormTemplate
    /// Handwriting to write digits with: one hand per document, drawn from the mix.
    package var digits: DigitMix
    /// Number of documents.
    package var count: Int
    /// Random seed.
    package var seed: UInt64
    /// Serial of the first document.
    package var serialStart: Int
    /// Output folder.
    package var outputDirectory: String
    /// Output format.
    package var format: Format
    /// Skip the scanner simulation (filled pages only).
    package var clean: Bool
    /// Resolution.
    package var dpi: Double
    /// Parallel workers.
    package var workers: Int
    /// The share of families with more than five members, which fill two sets (two documents
    /// with consecutive serials, the second with members 06 onwards). Regsosek expected 5–10 %.
    package var largeFamilyShare: Double = 0.06
    /// Write a back after every sheet, as a duplex scanner does (nil: simplex).
    package var duplex: Duplex?

    /// Creates a run description.
    package init(
        template: FormTemplate, digits: DigitMix, count: Int, seed: UInt64, serialStart: Int = 1,
        outputDirectory: String, format: Format = .tiffG4, clean: Bool = false, dpi: Double = 300,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount
    ) {
        self.template = template
        self.digits = digits
        self.count = count
        self.seed = seed
        self.serialStart = serialStart
        self.outputDirectory = outputDirectory
        self.format = format
        self.clean = clean
        self.dpi = dpi
        self.workers = max(1, workers)
    }

    /// What one document produced.
    package struct DocumentResult: Sendable {
        /// Its serial.
        package var serial: Int
        /// Files written (scans and truth).
        package var files: [String]
        /// Page images written, blank sheets included.
        package var pageImages: Int
    }

    /// Runs the batch; `progress` is called after each document (in serial order).
    package func run(progress: @Sendable (DocumentResult) -> Void = { _ in }) async throws -> [DocumentResult] {
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        var results: [DocumentResult] = []
        let plan = familyPlan()
        try await withThrowingTaskGroup(of: DocumentResult.self) { group in
            var next = 0
            func submit() {
                let serial = serialStart + next
                next += 1
                group.addTask { try self.makeDocument(serial: serial, family: plan[serial] ?? (serial, 1, 1)) }
            }
            while next < min(workers, count) { submit() }
            var done: [Int: DocumentResult] = [:]
            var reported = serialStart
            for try await result in group {
                done[result.serial] = result
                while let r = done.removeValue(forKey: reported) {
                    progress(r)
                    results.append(r)
                    reported += 1
                }
                if next < count { submit() }
            }
        }
        return results
    }

    /// Which record each serial belongs to: the first set's serial, and set k of n (every record
    /// has one set when the form declares no set counter). Drawn from a stream of its own, so a
    /// single-set document's bytes depend only on the seed and its serial.
    package func familyPlan() -> [Int: (first: Int, set: Int, of: Int)] {
        var plan: [Int: (first: Int, set: Int, of: Int)] = [:]
        var rng = SeededGenerator(seed: seed, stream: UInt64.max)
        var serial = serialStart
        let end = serialStart + count
        while serial < end {
            if serial + 1 < end, rng.chance(largeFamilyShare), template.record.sets != nil {
                plan[serial] = (serial, 1, 2)
                plan[serial + 1] = (serial, 2, 2)
                serial += 2
            } else {
                plan[serial] = (serial, 1, 1)
                serial += 1
            }
        }
        return plan
    }

    /// Fills, scans and writes one document.
    package func makeDocument(serial: Int) throws -> DocumentResult {
        try makeDocument(serial: serial, family: familyPlan()[serial] ?? (serial, 1, 1))
    }

    /// Fills, scans and writes one document, set `family.set` of a family of `family.of` sets.
    func makeDocument(serial: Int, family: (first: Int, set: Int, of: Int)) throws -> DocumentResult {
        // Every set of a family draws the same family from the first set's stream.
        var rng = SeededGenerator(seed: seed, stream: UInt64(family.first))
        let values = RecordGenerator(template: template).generate(using: &rng, set: family.set, of: family.of)
        if family.set > 1 { rng = SeededGenerator(seed: seed, stream: UInt64(serial) | 1 << 40) }
        let renderer = FormRenderer(template: template)
        // One hand per family (every set of it is written by the same enumerator), from a stream
        // of its own so that the values drawn above do not depend on the mix.
        var handRNG = SeededGenerator(seed: seed, stream: UInt64(family.first) | 1 << 41)
        let hand = digits.hand(using: &handRNG)
        let filler = PageFiller(hand: hand)
        let scanner = ScannerModel(upsideDownRate: clean ? 0 : 0.04)
        let resolution = Resolution(dpi: dpi)

        var writings: [String: FieldWriting] = [:]
        var scans: [(image: GreyImage, page: Int?, distortion: ScannerModel.Distortion)] = []
        for page in template.pages {
            let canvas = Canvas(width: template.paper.width, height: template.paper.height, resolution: resolution)
            renderer.draw(page: page, serial: serial, on: canvas)
            writings.merge(filler.fill(page: page, values: values, on: canvas, using: &rng)) { a, _ in a }
            let filled = canvas.greyImage()
            if clean {
                scans.append((filled, page.number, .init()))
            } else {
                let (scanned, distortion) = scanner.scan(filled, using: &rng)
                scans.append((scanned, page.number, distortion))
            }
        }
        if !clean {
            if rng.chance(0.05) { scans.shuffle(using: &rng) }
            if rng.chance(0.04), let first = scans.first {
                let blank = scanner.scanBlank(width: first.image.width, height: first.image.height, dpi: dpi, using: &rng)
                scans.insert((blank, nil, .init()), at: Int.random(in: 0...scans.count, using: &rng))
            }
        }
        if let duplex {
            // Backs are drawn from a stream of their own, so simplex and duplex runs of one seed
            // hold the same fronts.
            var backRNG = SeededGenerator(seed: seed, stream: UInt64(serial) | 1 << 42)
            scans = scans.flatMap { front -> [(image: GreyImage, page: Int?, distortion: ScannerModel.Distortion)] in
                var back = scanner.scanBlank(width: front.image.width, height: front.image.height, dpi: dpi, using: &backRNG)
                let inked = backRNG.chance(duplex.inkedShare)
                if inked { scanner.scribble(on: &back, using: &backRNG) }
                return [front, (back, nil, ScannerModel.Distortion(back: inked ? .inked : .blank))]
            }
        }
        let threshold = UInt8(clean ? 160 : rng.uniform(150...175))

        let base = "\(template.id)-\(PageIdentity(form: template.id, version: template.version, page: 1, serial: serial).formattedSerial)"
        var files: [String] = []
        var pageTruths: [PageTruth] = []
        func record(_ file: String, _ index: Int, _ scan: (image: GreyImage, page: Int?, distortion: ScannerModel.Distortion)) {
            let d = scan.distortion
            pageTruths.append(
                PageTruth(
                    file: file, index: index, page: scan.page, upsideDown: d.upsideDown, rotationDegrees: (d.rotationDegrees * 1000).rounded() / 1000,
                    scale: (d.scale * 10000).rounded() / 10000, shiftMillimetres: [(d.shift.x * 100).rounded() / 100, (d.shift.y * 100).rounded() / 100],
                    feedWobbleMillimetres: scan.page == nil || clean ? nil : (d.feedWobble * 100).rounded() / 100,
                    back: d.back))
        }
        func writeAll(_ name: String, _ encoding: ImageWriter.Encoding, colour: Bool = false) throws {
            if colour {
                try ImageWriter.write(colour: scans.map { ScannerModel.onCreamPaper($0.image) }, to: outputDirectory + "/" + name, as: encoding)
            } else {
                try ImageWriter.write(scans.map(\.image), to: outputDirectory + "/" + name, as: encoding)
            }
            files.append(name)
            for (i, scan) in scans.enumerated() { record(name, i, scan) }
        }
        switch format {
        case .tiffG4: try writeAll(base + ".tif", .tiffG4(threshold: threshold))
        case .tiffGrey: try writeAll(base + ".tif", .tiffGrey)
        case .tiffColour: try writeAll(base + ".tif", .tiff(.lzw), colour: true)
        case .pdfG4: try writeAll(base + ".pdf", .pdfG4(threshold: threshold))
        case .pdfColour: try writeAll(base + ".pdf", .pdfJPEG(quality: 85), colour: true)
        case .png, .jpeg:
            for (i, scan) in scans.enumerated() {
                let name = "\(base)-\(i + 1).\(format == .png ? "png" : "jpg")"
                try ImageWriter.write([scan.image], to: outputDirectory + "/" + name, as: format == .png ? .png : .jpeg(quality: 85))
                files.append(name)
                record(name, 0, scan)
            }
        }

        let truth = DocumentTruth(
            form: template.id, version: template.version, serial: serial, seed: seed, pages: pageTruths,
            fields: fieldTruths(values: values, writings: writings, hand: HandTruth(hand)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let truthName = base + ".truth.json"
        try encoder.encode(truth).write(to: URL(fileURLWithPath: outputDirectory + "/" + truthName))
        files.append(truthName)
        return DocumentResult(serial: serial, files: files, pageImages: scans.count)
    }

    private func fieldTruths(values: [String: FieldValue], writings: [String: FieldWriting], hand: HandTruth) -> [String: FieldTruth] {
        var out: [String: FieldTruth] = [:]
        for field in template.fields {
            let value = values[field.id]
            let writing = writings[field.id]
            switch field.kind {
            case .digits:
                guard case .digits(let s)? = value, !s.isEmpty else { continue }
                var t = FieldTruth(kind: "digits", text: s, value: Int(s))
                if case .digits(let d)? = writing {
                    t.digits = d
                    t.hand = hand
                }
                out[field.id] = t
            case .checkbox, .choice:
                var marks: [OptionMark] = []
                if case .marks(let m)? = writing { marks = m }
                let marked = marks.filter { $0.style.selects }.map(\.code)
                guard !marks.isEmpty else { continue }
                var additive = false
                if case .choice(let g) = field.kind { additive = g.additive }
                let numeric: Int? = if case .checkbox = field.kind { marked.isEmpty ? 0 : 1 } else {
                    FieldValue.choice(marked).numeric(additive: additive)
                }
                out[field.id] = FieldTruth(kind: field.kind.name, value: numeric, marked: marked, marks: marks)
            case .text:
                guard case .text(let s)? = value, !s.isEmpty else { continue }
                out[field.id] = FieldTruth(kind: "text", text: s)
            }
        }
        return out
    }
}
