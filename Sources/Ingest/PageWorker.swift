import Alignment
import FormTemplate
import Foundation
import Identification
import Imaging
import Reading
import Store
import Vocabulary

/// Takes one page from file to store: decode, identify, register, read, save. Every failure
/// becomes an exception record with the file, the page and what to do.
struct PageWorker {
    let templates: [FormTemplate]
    let identifier: PageIdentifier
    let registrar = PageRegistrar()
    let reader: PageReader
    let store: any CaptureStore
    let batch: String
    let pageStored: (@Sendable (String, Int, Int) async throws -> Void)?
    /// The digit model's identity, recorded with every read page.
    var model: String?
    /// Whether every second image of a file is the back of a sheet.
    var duplex = false
    /// How colour pages become grey.
    var colour = ColourReduction.luminance
    /// Resolutions the reader works at: production scans are 200–600 dpi and are measured at
    /// those; 150 dpi still reads (the test suite's pages) but thumbnails, faxes and photographs
    /// of a page held close do not, so they are exceptions rather than guesses.
    static let readableResolutions = 120.0...700.0
    /// Marks at least this long (mm) are writing, not scanner specks.
    static let strokeLength = 3.0

    init(
        templates: [FormTemplate], reader: PageReader, store: any CaptureStore, batch: String,
        pageStored: (@Sendable (String, Int, Int) async throws -> Void)? = nil
    ) {
        self.pageStored = pageStored
        self.templates = templates
        self.identifier = PageIdentifier(templates: templates)
        self.reader = reader
        self.store = store
        self.batch = batch
    }

    struct Result: Sendable {
        /// What the store took.
        enum Outcome: Sendable {
            case read
            /// The blank back of a duplex sheet: stored as seen, nothing to read.
            case blankBack
            case exception(ExceptionReason)
            /// The page was stored by an earlier run: nothing written, nothing to count.
            case alreadyStored
        }
        var outcome: Outcome = .read
        var accepted = 0
        var queued = 0
        var images = 0
        var timings: [String: Double] = [:]
        var message: String?
    }

    func process(_ job: Ingestor.PageJob) async throws -> Result {
        var timings: [String: Double] = [:]
        var clock = ContinuousClock.now
        func lap(_ stage: String) {
            let now = ContinuousClock.now
            let d = now - clock
            timings[stage, default: 0] += Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            clock = now
        }
        /// Stores the page as an exception; a page that was decoded keeps its image, so that
        /// whoever decides about it sees the sheet without the scan file.
        func fail(_ reason: ExceptionReason, _ detail: String, page: PageRecord? = nil, scan: ScanPage? = nil) async throws -> Result {
            var record = page ?? PageRecord(fileID: job.fileID, pageIndex: job.index, status: .exception)
            record.status = .exception
            if let scan {
                record.image = scan.storedImage()
                lap("image")
            }
            record.timings = timings
            let exception = ExceptionRecord(batch: batch, path: job.path, pageIndex: job.index, reason: reason, detail: detail)
            let outcome = try await store.savePage(record, readings: [], exception: exception)
            if case .alreadyStored = outcome { return Result(outcome: .alreadyStored, timings: timings) }
            return Result(outcome: .exception(reason), timings: timings, message: "\(job.path) page \(job.index + 1): \(reason): \(detail)")
        }

        let page: ScanPage
        do {
            page = try ScanPage.read(job.path, index: job.index, colour: colour)
        } catch {
            lap("decode")
            return try await fail(error.reason.exceptionReason, error.detail)
        }
        lap("decode")

        let isBack = duplex && job.index % 2 == 1
        let identified: IdentifiedPage
        switch identifier.identify(page) {
        case .identified(let p):
            // A back that is a form page (a sheet turned over, a form printed on both sides) is read.
            identified = p
        case _ where isBack:
            lap("identify")
            let strokes = page.strokes(minLength: Self.strokeLength)
            if strokes == 0 {
                var record = PageRecord(fileID: job.fileID, pageIndex: job.index, status: .back)
                record.timings = timings
                let outcome = try await store.savePage(record, readings: [], exception: nil)
                if case .alreadyStored = outcome { return Result(outcome: .alreadyStored, timings: timings) }
                return Result(outcome: .blankBack, timings: timings)
            }
            return try await fail(.inkOnBack,
                "the back of the sheet in image \(job.index) has writing (\(strokes) pencil mark(s) at least \(Int(Self.strokeLength)) mm long); an enumerator may have noted something there: look at it and key what matters", scan: page)
        case .blank(let ink):
            lap("identify")
            return try await fail(.blankPage, "the page is blank (\(percent(ink)) ink); a separator or an empty sheet fed by mistake", scan: page)
        case .unknownForm(let id):
            lap("identify")
            return try await fail(.unknownForm, "the page says it is \(id.form) version \(id.version) page \(id.page), but no template for that form, version and page is loaded; add its template with --template", scan: page)
        case .foreignCode(let text):
            lap("identify")
            return try await fail(.unknownForm, "the page carries a QR code that is not a pindai page code (\(text.prefix(40))); is this one of our forms?", scan: page)
        case .unidentified(let ink):
            lap("identify")
            return try await fail(.noIdentityCode, "no readable identity code (page has \(percent(ink)) ink); the QR code may be damaged or covered: rescan the page, or key its serial", scan: page)
        }
        lap("identify")
        if !Self.readableResolutions.contains(identified.page.dpi) {
            return try await fail(.badResolution,
                String(
                    format: "the page is scanned at %.0f dpi (measured on its code); pindai reads %.0f–%.0f dpi: rescan at 300 dpi",
                    identified.page.dpi, Self.readableResolutions.lowerBound, Self.readableResolutions.upperBound),
                scan: identified.page)
        }
        var record = PageRecord(
            fileID: job.fileID, pageIndex: job.index, status: .read, form: identified.identity.form, version: identified.identity.version,
            pageNumber: identified.identity.page, serial: identified.identity.serial, quarterTurns: identified.quarterTurns)

        let registration: PageRegistration
        do {
            registration = try registrar.register(identified.page, as: identified.templatePage, codeCorners: identified.codeCorners)
        } catch {
            lap("register")
            record.residual = error.residual
            record.marksUsed = error.found
            return try await fail(.unregistrable, error.detail, page: record, scan: identified.page)
        }
        lap("register")
        record.residual = (registration.residual * 1000).rounded() / 1000
        record.marksUsed = registration.marksUsed

        let (readings, readTimings) = reader.read(identified.page, templatePage: identified.templatePage, registration: registration)
        timings["marks"] = readTimings.marks
        timings["digits"] = readTimings.digits
        // The page image is stored once; every field's clip is a rectangle of it.
        timings["image"] = readTimings.clipPlacement
        clock = ContinuousClock.now
        record.image = identified.page.storedImage()
        lap("image")
        let records = readings.map { r in
            ReadingRecord(
                fieldID: r.fieldID, kind: r.kind, value: r.value, confidence: r.confidence.roundedForStorage,
                status: r.status, reason: r.reason, boxesJSON: BoxReading.encode(r.boxes),
                clip: r.clipRect.map(FieldClip.region))
        }
        record.timings = timings
        record.model = model
        let outcome = try await store.savePage(
            record, readings: records, exception: ExceptionRecord(batch: batch, path: job.path, pageIndex: job.index, reason: .duplicatePage, detail: ""))
        lap("store")
        switch outcome {
        case .alreadyStored:
            return Result(outcome: .alreadyStored, timings: timings)
        case .duplicatePage(let otherPath, let otherIndex):
            return Result(
                outcome: .exception(.duplicatePage), timings: timings,
                message: "\(job.path) page \(job.index + 1): duplicate of \(otherPath) page \(otherIndex + 1)")
        case .saved:
            try await pageStored?(identified.identity.form, identified.identity.version, identified.identity.serial)
            var result = Result(timings: timings)
            for r in readings {
                switch r.status {
                case .accepted: result.accepted += 1
                case .queued: result.queued += 1
                case .image: result.images += 1
                case .verified: break
                }
            }
            var notes: [String] = []
            if identified.quarterTurns != 0 { notes.append("turned \(identified.quarterTurns * 90)°") }
            if let declared = identified.declaredDPI {
                notes.append(
                    String(format: "read at %.0f dpi as measured on its code; the file says %@", identified.page.dpi, declared > 0 ? String(format: "%.0f", declared) : "nothing"))
            }
            if !registration.missingMarks.isEmpty { notes.append("corner mark \(registration.missingMarks.map { String($0 + 1) }.joined(separator: ", ")) missing or damaged") }
            if !notes.isEmpty { result.message = "\(job.path) page \(job.index + 1): read (\(notes.joined(separator: "; ")))" }
            return result
        }
    }

    private func percent(_ v: Double) -> String {
        let hundredths = Int((v * 10000).rounded())
        return "\(hundredths / 100).\(String(format: "%02d", hundredths % 100)) %"
    }
}


extension ImagingError.Reason {
    /// The exception a decoding failure is recorded as.
    var exceptionReason: ExceptionReason {
        switch self {
        case .unsupportedFormat: .unsupportedFormat
        case .undecodable, .writeFailed: .undecodable
        case .unreadable: .unreadable
        case .encrypted: .encrypted
        case .truncated: .truncated
        }
    }
}
