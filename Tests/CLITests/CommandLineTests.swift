import Foundation
import TestSupport
import Testing

/// The exact text users see from the command line.
@Suite(.serialized) struct CommandLineTests {
    @Test func checkingTheBundledTemplateSummarisesIt() async throws {
        let (status, output) = try await Fixtures.runPindai(["template", "check", "form-templates/rsk-k4.yaml"])
        #expect(status == 0)
        #expect(output == "form-templates/rsk-k4.yaml: ok: form RSK-K4 v1, 4 pages, 348 fields, 788 boxes, 35 cross-field rules\n"
            + "  record: family over set.k of set.n sets, 5 member(s) a set, 3 record rule(s); core tables family_rsk_k4_v1, member_rsk_k4_v1\n")
    }

    @Test func checkingABrokenTemplateListsEveryErrorAndExitsOne() async throws {
        let dir = Fixtures.temporaryDirectory()
        let yaml = """
            form: T-1
            version: 1
            pages:
              - page: 1
                content:
                  - {id: "a", kind: digits, boxes: 2, at: [20, 40]}
                  - {id: "a", kind: digitz, at: [50, 40]}
            """
        try yaml.write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        let (status, output) = try await Fixtures.runPindai(["template", "check", "bad.yaml"], in: dir)
        #expect(status == 1)
        #expect(output == """
            bad.yaml:7:25: error: field a: unknown field kind 'digitz' (did you mean 'digits'?)
            1 error

            """)
    }

    @Test func renderingWritesThePrintables() async throws {
        let dir = Fixtures.temporaryDirectory()
        let (status, output) = try await Fixtures.runPindai(["template", "render", "form-templates/rsk-k4.yaml", "--out", dir, "--dpi", "20"])
        #expect(status == 64)
        #expect(output.hasPrefix("Error: --dpi must be between 50 and 1200\n"))
        let ok = try await Fixtures.runPindai(["template", "render", "form-templates/rsk-k4.yaml", "--out", dir, "--dpi", "60", "--serial-start", "41"])
        #expect(ok.status == 0)
        #expect(ok.output.hasSuffix("rendered 1 document(s), 4 page(s) into \(dir)\n"))
        #expect(FileManager.default.fileExists(atPath: dir + "/RSK-K4-v1-0000000041-p4.png"))
    }

    @Test func synthRejectsAnUnknownFormatWithTheChoices() async throws {
        let (status, output) = try await Fixtures.runPindai(["synth", "--template", "form-templates/rsk-k4.yaml", "--count", "1", "--seed", "1", "--out", "/tmp/x", "--format", "gif"])
        #expect(status == 64)
        #expect(output.hasPrefix("Error: --format must be one of tiff-g4, tiff-grey, tiff-colour, pdf-g4, pdf-colour, png, jpeg\n"))
    }

    @Test func synthWritesScansAndTruthAndSaysSo() async throws {
        let dir = Fixtures.temporaryDirectory()
        let (status, output) = try await Fixtures.runPindai(["synth", "--template", "form-templates/rsk-k4.yaml", "--count", "1", "--seed", "5", "--out", dir, "--dpi", "100", "--format", "png", "--clean"])
        #expect(status == 0)
        let lines = output.split(separator: "\n")
        #expect(lines.first == "wrote RSK-K4-0000000001-1.png, RSK-K4-0000000001-2.png, RSK-K4-0000000001-3.png, RSK-K4-0000000001-4.png, RSK-K4-0000000001.truth.json (4 page images)")
        #expect(lines.last?.hasPrefix("synthesised 1 document(s), 4 page images into \(dir) in ") == true)
    }

    static let commands = [
        ["template", "check"], ["template", "render"], ["synth"], ["ingest"], ["exceptions"], ["export"], ["export", "records"], ["eval"],
        ["bench"], ["read", "digits"], ["read", "marks"], ["calibrate"], ["verify"], ["audit"], ["lost"], ["batch", "create"], ["reference", "load"], ["status"],
        ["serve"], ["store", "push"], ["learn"], ["model", "list"], ["model", "use"], ["reread"],
    ]

    static let snapshots = Snapshot(mask: masked)

    /// Help text with the defaults that depend on the machine or the user masked.
    @Sendable static func masked(_ help: String) -> String {
        help.replacingOccurrences(of: "(default: \(ProcessInfo.processInfo.activeProcessorCount))", with: "(default: CORES)")
            .replacingOccurrences(
                of: "stored with every decision\\. \\(default:\\s+[^)]+\\)", with: "stored with every decision. (default: $USER)",
                options: .regularExpression)
    }

    @Test func helpListsEverySubcommandWithAnExample() async throws {
        let (_, output) = try await Fixtures.runPindai(["--help"])
        for sub in ["template", "synth", "ingest", "verify", "lost", "status", "serve"] { #expect(output.contains("  \(sub) ")) }
        for args in Self.commands.map({ $0 + ["--help"] }) {
            let (_, help) = try await Fixtures.runPindai(args)
            #expect(help.contains("Example"), "\(args.joined(separator: " ")) --help needs an example")
        }
    }

    /// The exact text of every command's `--help`, as users read it; a changed option, default
    /// or example shows up here. Delete a snapshot to record it anew.
    @Test(arguments: commands)
    func helpTextMatchesItsSnapshot(command: [String]) async throws {
        let (status, help) = try await Fixtures.runPindai(command + ["--help"])
        #expect(status == 0)
        try Self.snapshots.expect(help, equals: "help-" + command.joined(separator: "-"))
    }
}
