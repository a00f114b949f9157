import Foundation

/// Tesseract's own command-line training tools (`tesseract … lstm.train`, `lstmtraining`,
/// `combine_tessdata`), run as child processes with one OpenMP thread each: they are the
/// maintained way to fine-tune an LSTM model, and libtesseract exposes no training API.
package struct TrainingTools: Sendable {
    /// Folder holding the tools.
    package var binDirectory: String

    /// Finds the tools on `PATH` (Debian's `tesseract-ocr` package installs them in /usr/bin).
    package static func locate() throws(LearningError) -> TrainingTools {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/bin"]
        where FileManager.default.isExecutableFile(atPath: dir + "/lstmtraining") && FileManager.default.isExecutableFile(atPath: dir + "/tesseract") {
            return TrainingTools(binDirectory: dir)
        }
        throw LearningError("Tesseract's training tools (lstmtraining, tesseract) are not installed; run scripts/setup (apt package tesseract-ocr)")
    }

    /// The full path of `program` on `PATH` (for `python3`), or nil.
    package static func find(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `tool` (a name in ``binDirectory``, or an absolute path) with `arguments`; each line it prints goes to `line` (stdout and stderr
    /// together, as lstmtraining reports on stderr). Throws with the tail of its output when it
    /// fails. `deadline`: the process is stopped then (and that is not a failure).
    @discardableResult
    package func run(_ tool: String, _ arguments: [String], deadline: Date? = nil, line: (@Sendable (String) -> Void)? = nil) throws(LearningError) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : binDirectory + "/" + tool)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_THREAD_LIMIT"] = "1"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let tail = OutputTail()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            for text in tail.append(data) { line?(text) }
        }
        do {
            try process.run()
        } catch {
            throw LearningError("cannot start \(tool): \(error)")
        }
        var stopped = false
        if let deadline {
            while process.isRunning {
                if Date() >= deadline {
                    process.terminate()
                    stopped = true
                    // A child that ignores SIGTERM (a Python pool stuck at exit) is killed.
                    let grace = Date().addingTimeInterval(10)
                    while process.isRunning, Date() < grace { Thread.sleep(forTimeInterval: 0.1) }
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    break
                }
                Thread.sleep(forTimeInterval: 0.2)
            }
        }
        process.waitUntilExit()
        pipe.fileHandleForReading.readabilityHandler = nil
        if let rest = tail.flush() { line?(rest) }
        if stopped { return process.terminationStatus }
        guard process.terminationStatus == 0 else {
            throw LearningError("\(tool) failed (exit \(process.terminationStatus)):\n\(tail.last(8).joined(separator: "\n"))")
        }
        return 0
    }
}

/// Splits a child's output into lines and keeps the last few for error messages.
private final class OutputTail: @unchecked Sendable {
    // @unchecked: every access holds `lock`; the pipe's handler runs on its own queue.
    private let lock = NSLock()
    private var pending = Data()
    private var lines: [String] = []

    func append(_ data: Data) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        pending.append(data)
        var out: [String] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
            pending.removeSubrange(pending.startIndex...newline)
            out.append(text)
        }
        lines.append(contentsOf: out)
        if lines.count > 50 { lines.removeFirst(lines.count - 50) }
        return out
    }

    func flush() -> String? {
        lock.lock()
        defer { lock.unlock() }
        guard !pending.isEmpty else { return nil }
        let text = String(decoding: pending, as: UTF8.self)
        pending = Data()
        lines.append(text)
        return text
    }

    func last(_ n: Int) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return Array(lines.suffix(n))
    }
}
