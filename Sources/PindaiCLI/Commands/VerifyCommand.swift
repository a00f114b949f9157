import ArgumentParser
import Clips
import Evaluation
import Foundation
import Imaging
import Raster
import Store
import Terminal
import Verification

/// `pindai verify`: the verifier's terminal program.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify the doubtful fields in a full-screen terminal program, with each field's image beside the reading.",
        discussion: """
            Several verifiers can work at once, each in their own terminal: an item is never given to two, \
            and a crashed verifier's items come back after their claim expires (5 minutes). The w key \
            (Ctrl-W when keying) widens the picture: the field's surroundings, the whole page, the field again.

            --keying works the other queue: every handwritten name and address, typed from its image \
            (stored in capitals, single-spaced). In it letters are text and the commands are control \
            keys: Ctrl-X illegible, Ctrl-E empty on paper, Ctrl-U undo, Ctrl-W wider, Ctrl-K skip, Ctrl-R refer, \
            Ctrl-G help, Ctrl-Q quit. A family reaches the core store once its doubts are verified and \
            its text fields keyed. With --simulate-truth and neither --keying, --referred nor --field, \
            the simulated person works the doubts and then keys the text.

            Examples:
              pindai verify --as ana
              pindai verify --as ana --field 403          (group verification: every doubtful NIK in a row)
              pindai verify --as ana --double-entry 403,114
              pindai verify --as boss --referred          (the supervisor's queue)
              pindai verify --as sri --keying --field 402 (every member's name in a row)
              pindai verify --as sri --keying --double-entry 402,108
            """
    )

    @Option(name: .customLong("as"), help: "Your name, stored with every decision.")
    var verifier: String = ProcessInfo.processInfo.environment["USER"] ?? "verifier"

    @Option(help: "Only this field (its id in the template, e.g. 403), across documents.")
    var field: String?

    @Option(help: "Only documents of this batch.")
    var batch: String?

    @Option(help: "Fields keyed twice, blind (comma-separated ids, e.g. 403,114); disagreement goes to a supervisor.")
    var doubleEntry: String?

    @Flag(help: "Work the items referred to a supervisor.")
    var referred = false

    @Flag(help: "Key text fields (names, addresses) from their images instead of checking doubtful readings.")
    var keying = false

    @Option(help: "Benchmark: instead of a person, a simulated verifier types synth's ground truth from this folder.")
    var simulateTruth: String?

    @Option(help: "With --simulate-truth: milliseconds the simulated person looks at each item before the first key.")
    var simulateThinkMs: Int = 0

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var coreOptions: CoreOptions
    @OptionGroup var templateOptions: TemplateOptions

    func validate() throws {
        guard !(keying && referred) else { throw ValidationError("--keying and --referred are two different queues: choose one") }
    }

    func run() async throws {
        let store = try await storeOptions.open()
        let review = DocumentReview(templates: try templateOptions.load(), store: store, core: try await coreOptions.open(beside: store))
        let doubles = Set((doubleEntry ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let session = VerificationSession(
            store: store, review: review, verifier: verifier, fieldFilter: field, batch: batch, doubleEntry: doubles, queue: referred ? .referred : keying ? .keying : .doubts)
        if let simulateTruth {
            try await simulate(session, review: review, truth: simulateTruth)
            if !keying, !referred, field == nil {
                let keyer = VerificationSession(
                    store: store, review: review, verifier: verifier, batch: batch, doubleEntry: doubles, queue: .keying)
                try await simulate(keyer, review: review, truth: simulateTruth)
            }
            return
        }
        let terminal: RawTerminal
        do {
            terminal = try RawTerminal()
        } catch {
            throw CLIError(error.message)
        }
        defer { terminal.restore() }
        try await session.loadNext()
        let cutter = ClipCutter { try await store.pageImage(id: $0) }
        while true {
            let clip = try await Self.currentClip(session, store, cutter: cutter)
            let depth = try await store.queueDepth().open
            let size = terminal.size
            terminal.draw(VerifierScreen.render(session, clip: clip, columns: size.columns, rows: size.rows, queueDepth: depth))
            guard let key = terminal.readKey(keying: session.queue == .keying), try await session.handle(key) else { break }
        }
        terminal.restore()
        print("\(verifier): \(session.decided) item(s) decided" + (session.decided > 0 ? ", \(String(format: "%.2f", Double(session.totalKeystrokes) / Double(session.decided))) keys per item" : ""))
    }

    func simulate(_ session: VerificationSession, review: DocumentReview, truth: String) async throws {
        var simulator = try SimulatedVerifier(truthDirectory: truth)
        simulator.thinkTime = .milliseconds(simulateThinkMs)
        let report = try await simulator.run(session)
        print("simulated verifier \(verifier): \(report.items) item(s), \(report.keystrokes) keys, \(String(format: "%.2f", Double(report.keystrokes) / Double(max(1, report.items)))) keys per item")
        print("  digit field items: \(report.digitItems), \(String(format: "%.2f", Double(report.digitKeystrokes) / Double(max(1, report.digitItems)))) keys each; items confirmed with one key: \(report.oneKeyItems)")
        if report.textItems > 0 {
            print(
                "  text fields keyed: \(report.textItems), \(report.textCharacters) characters, "
                    + String(format: "%.2f keys per character", Double(report.textKeystrokes) / Double(max(1, report.textCharacters))))
        }
        print("  next item on screen: mean \(String(format: "%.1f", report.meanNextItemMs)) ms, slowest \(String(format: "%.1f", report.slowestNextItemMs)) ms")
        for template in review.templates {
            let c = try await simulator.compareRecords(review.core, template: template, seen: report.fieldsSeen)
            guard c.families > 0 else { continue }
            print("  core store, \(template.id): \(c.families) \(template.record.name) record(s); fields the verifier saw right: \(c.seenRight) of \(c.seen); all fields right: \(c.allRight) of \(c.all) (\(String(format: "%.2f", Double(c.allRight) / Double(max(1, c.all)) * 100)) %)")
        }
    }

    /// The picture of the field in focus, as wide as the session's view asks, cut from its
    /// stored page image.
    static func currentClip(_ session: VerificationSession, _ store: any ReviewQueue, cutter: ClipCutter) async throws -> GreyImage? {
        guard let item = session.item, session.edits.indices.contains(session.focus),
            let image = try await store.fieldImage(form: item.form, serial: item.serial, fieldID: session.edits[session.focus].field.id)
        else { return nil }
        switch session.view {
        case .field: return try await cutter.clip(image)
        case .surroundings: return try await cutter.surroundings(image, marginMM: ClipView.surroundingsMM)
        case .page: return try await cutter.surroundings(image, marginMM: nil)
        }
    }
}

/// `--core PATH|URL`: where promoted records go (default: the capture store's own database).
struct CoreOptions: ParsableArguments {
    @Option(help: "The core store for clean records (default: the same database as --store).")
    var core: String?

    /// The core store named by `--core`, else the one in `store`'s database.
    func open(beside store: any PindaiStore) async throws -> any CoreRecords {
        guard core != nil else { return try store.coreRecords() }
        return try await open(default: store.location)
    }

    /// The core store named by `--core`, else the one at `location`.
    func open(default location: String) async throws -> any CoreRecords {
        let target = core ?? location
        do {
            return try await StoreLocation.openCore(target)
        } catch let error as StoreError {
            throw CLIError(error.description)
        } catch {
            throw CLIError("\(target): cannot open the core store: \(error)")
        }
    }
}
