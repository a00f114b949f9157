import Foundation
import TestSupport
import Testing

/// The real `pindai verify` under tmux, as a person sees it.
@Suite(.serialized) struct VerifierScreenTests {
    static let snapshots = Snapshot(mask: masked)

    func tmux(_ args: [String]) async throws -> String {
        // A server of the tests' own (-L), started by the first new session and gone with the last;
        // the new session leaves that server behind, so its output is not collected.
        try await Fixtures.run("/usr/bin/env", ["tmux", "-L", "pindai-tests"] + args, detachedOutput: args.first == "new-session").output
    }

    func screen(_ session: String) async throws -> String {
        let lines = try await tmux(["capture-pane", "-p", "-t", session]).components(separatedBy: "\n").map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        var trimmed = lines
        while trimmed.last?.isEmpty == true { trimmed.removeLast() }
        return trimmed.joined(separator: "\n") + "\n"
    }

    func waitFor(_ text: String, in session: String) async throws -> String {
        try await waitFor(session) { $0.contains(text) }
    }

    /// The screen once `ready` holds for it (or after 10 s).
    func waitFor(_ session: String, until ready: (String) -> Bool) async throws -> String {
        for _ in 0..<200 {
            let s = try await screen(session)
            if ready(s) { return s }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await screen(session)
    }

    /// A wider view drawn whole: its title and, below the picture, the keys.
    func waitForView(_ title: String, in session: String) async throws -> String {
        try await waitFor(session) { $0.contains(title) && $0.contains("q quit") }
    }

    /// The screen with what the digit model decides masked: how many items wait, which document
    /// comes first, why it was queued, the digits read and which boxes are doubtful all follow
    /// the model's confidence, which a retrained model changes; the screen's layout, wording,
    /// labels and keys are what is checked here.
    @Sendable static func masked(_ text: String) -> String {
        let rules: [(String, String)] = [
            ("· [0-9]+ item\\(s\\) waiting ·", "· N item(s) waiting ·"),
            ("document [0-9]{10}", "document NNNNNNNNNN"),
            ("low confidence \\([0-9]+ %\\)", "low confidence (P %)"),
            ("(?m)^(› [0-9]+ .{0,26}?…?) [ 0-9\\[\\]·_]+$", "$1 <boxes>"),
            ("(?m)^ +[\\^ ]*\\^[\\^ ]*$", "<doubtful boxes>"),
        ]
        return rules.reduce(text) { $0.replacingOccurrences(of: $1.0, with: $1.1, options: .regularExpression) }
    }

    func assertSnapshot(_ screen: String, _ name: String) throws {
        try Self.snapshots.expect(screen, equals: name)
    }

    @Test func theVerifierShowsTheFieldImageTheReadingAndTheKeysAndAcceptsWithEnter() async throws {
        let (dir, store, _) = try await sampleStore()
        let session = "pindai-\(UUID().uuidString.prefix(8))"
        let command = "\(Fixtures.pindaiExecutable) verify --as ana --store \(dir)/s.sqlite --template \(Fixtures.rskK4Path) --field 114; sleep 5"
        _ = try await tmux(["new-session", "-d", "-x", "110", "-y", "30", "-s", session, command])
        do {
            try await workTheFirstItem(session)
        } catch {
            _ = try? await tmux(["kill-session", "-t", session])
            throw error
        }
        _ = try? await tmux(["kill-session", "-t", session])
        #expect(try await store.queueDepth().open > 0)
    }

    func workTheFirstItem(_ session: String) async throws {
        let first = try await waitFor("Enter accept", in: session)
        try assertSnapshot(first, "verify-first-item")
        _ = try await tmux(["send-keys", "-t", session, "?"])
        try assertSnapshot(try await waitFor("Press any key", in: session), "verify-help")
        _ = try await tmux(["send-keys", "-t", session, "x"])
        _ = try await waitFor("Enter accept", in: session)
        // Wider views, cut from the stored page image: they cost the verifier no keystroke.
        _ = try await tmux(["send-keys", "-t", session, "w"])
        try assertSnapshot(try await waitForView("Wider view: 25 mm", in: session), "verify-surroundings")
        _ = try await tmux(["send-keys", "-t", session, "w"])
        try assertSnapshot(try await waitForView("Wider view: the whole page", in: session), "verify-page")
        _ = try await tmux(["send-keys", "-t", session, "w"])
        let back = try await waitFor(session) { !$0.contains("Wider view") && $0.contains("q quit") }
        #expect(back == first, "a third w is the field again")
        _ = try await tmux(["send-keys", "-t", session, "Enter"])
        let second = try await waitFor("1 decided", in: session)
        #expect(second.contains("1 decided, 1.0 keys per item"))
        _ = try await tmux(["send-keys", "-t", session, "q"])
        let end = try await waitFor("item(s) decided", in: session)
        #expect(end.contains("ana: 1 item(s) decided, 1.00 keys per item"))
    }
}

extension VerifierScreenTests {
    /// Keying a name: letters are text, the commands are control keys, Enter stores the text
    /// normalised, and the audit trail never shows what was typed.
    @Test func aKeyerTypesANameFromItsImageAndTheTrailKeepsItsLengthOnly() async throws {
        let (dir, store, _) = try await sampleStore()
        let session = "pindai-\(UUID().uuidString.prefix(8))"
        let command = "\(Fixtures.pindaiExecutable) verify --as sri --keying --field 402 --store \(dir)/s.sqlite --template \(Fixtures.rskK4Path); sleep 5"
        _ = try await tmux(["new-session", "-d", "-x", "120", "-y", "40", "-s", session, command])
        defer { Task { _ = try? await tmux(["kill-session", "-t", session]) } }
        let first = try await waitFor("Type the text as written", in: session)
        try assertSnapshot(first, "keying-first-item")
        #expect(first.contains("why: key the text from its image"))
        _ = try await tmux(["send-keys", "-t", session, "-l", "budi"])
        #expect(try await waitFor("\"BUDI▏\"", in: session).contains("\"BUDI▏\""), "typed in capitals as the form asks")
        _ = try await tmux(["send-keys", "-t", session, "C-x"])
        #expect(try await waitFor("[illegible]", in: session).contains("[illegible]"))
        _ = try await tmux(["send-keys", "-t", session, "-l", "ana  sari "])
        _ = try await tmux(["send-keys", "-t", session, "Enter"])
        let after = try await waitFor("1 decided", in: session)
        #expect(after.contains("1 decided"))
        _ = try await tmux(["send-keys", "-t", session, "C-q"])
        let end = try await waitFor("item(s) decided", in: session)
        #expect(end.contains("sri: 1 item(s) decided"), "\(end)")
        let keyed = try await store.decisions(form: nil, serial: 1).filter { $0.action == .keyed }
            + (try await store.decisions(form: nil, serial: 2).filter { $0.action == .keyed })
        let decision = try #require(keyed.first, "one keyed decision in the first documents")
        #expect(decision.after == "ANA SARI", "stored in capitals, single-spaced")
        let audit = try await Fixtures.runPindai(["audit", String(decision.serial), "--store", dir + "/s.sqlite"])
        #expect(audit.output.contains("sri  keyed  \(decision.fieldID): blank → ‹text, 8 characters›"), "\(audit.output)")
        #expect(!audit.output.contains("ANA SARI"))
    }
}
