import Foundation
import FormTemplate
import HandwrittenDigits
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Paths and helpers shared by the test targets.
package enum Fixtures {
    /// The package root (this file lives in Tests/TestSupport/).
    package static let repositoryRoot: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// The bundled Regsosek template's path.
    package static let rskK4Path = repositoryRoot + "/form-templates/rsk-k4.yaml"

    /// The bundled Regsosek template, loaded once.
    package static let rskK4: FormTemplate = {
        do {
            return try TemplateLoader.load(contentsOf: rskK4Path)
        } catch {
            fatalError("the bundled template must load: \(error)")
        }
    }()

    /// The bundled second form, PK-KEL (a family-data form sharing no field id with RSK-K4).
    package static let pkKeluargaPath = repositoryRoot + "/form-templates/pk-keluarga.yaml"

    /// The PK-KEL template, loaded once.
    package static let pkKeluarga: FormTemplate = {
        do {
            return try TemplateLoader.load(contentsOf: pkKeluargaPath)
        } catch {
            fatalError("the bundled template must load: \(error)")
        }
    }()

    /// The bundled MNIST digits' test part: handwriting the model never trained on, which
    /// needs no data outside the repository.
    package static func mnistTestHand() throws -> DigitMix {
        try DigitMix(source: DigitSource.named("mnist", root: repositoryRoot), part: .test)
    }

    /// A fresh empty temporary folder.
    package static func temporaryDirectory(_ name: String = #function) -> String {
        let clean = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "pindai-tests/\(clean)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The `pindai` executable built next to the test bundle.
    package static var pindaiExecutable: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("pindai").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return repositoryRoot + "/.build/debug/pindai"
    }

    /// Runs `pindai` with `arguments`; returns exit status and the combined output.
    package static func runPindai(_ arguments: [String], in directory: String? = nil) async throws -> (status: Int32, output: String) {
        try await run(pindaiExecutable, arguments, in: directory)
    }

    /// Runs a program; returns exit status and the combined output. With `detachedOutput` the
    /// output is discarded (for programs that leave a daemon behind, like the tmux server, which
    /// would hold an output pipe open).
    ///
    /// swift-subprocess rather than Foundation's `Process`: `Process` learns of a child's exit
    /// through a socket the child inherits, so a daemon forked by the child (tmux's server)
    /// keeps `waitUntilExit` waiting for as long as the daemon lives. Subprocess closes every
    /// other descriptor in the child and waits on the process itself, and it does not block a
    /// thread of the concurrency pool, which has only two threads on a 2-core machine.
    package static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, detachedOutput: Bool = false
    ) async throws -> (status: Int32, output: String) {
        let workingDirectory = FilePath(directory ?? repositoryRoot)
        if detachedOutput {
            let result = try await Subprocess.run(
                .path(FilePath(executable)), arguments: Arguments(arguments), workingDirectory: workingDirectory,
                output: .discarded, error: .discarded)
            return (result.terminationStatus.code, "")
        }
        let result = try await Subprocess.run(
            .path(FilePath(executable)), arguments: Arguments(arguments), workingDirectory: workingDirectory,
            output: .string(limit: 64 << 20), error: .combinedWithOutput)
        return (result.terminationStatus.code, result.standardOutput)
    }
}

extension Fixtures {
    /// How a test stops a running `pindai`.
    package enum Stop: Sendable {
        /// SIGTERM, the stop a service manager sends.
        case terminate
        /// SIGKILL: the process dies where it stands.
        case kill
    }

    /// Runs `pindai` while `body` runs beside it; `body` gets a function that sends the process
    /// a signal. Returns the exit status (128 + the signal for a killed process) and the output.
    package static func runPindai(
        _ arguments: [String], whileRunning body: (_ stop: (Stop) throws -> Void) async throws -> Void
    ) async throws -> (status: Int32, output: String) {
        let configuration = Configuration(
            executable: .path(FilePath(pindaiExecutable)), arguments: Arguments(arguments), workingDirectory: FilePath(repositoryRoot))
        let result = try await Subprocess.run(configuration, input: .none, output: .string(limit: 64 << 20), error: .combinedWithOutput) { execution in
            try await body { stop in try execution.send(signal: stop == .kill ? .kill : .terminate) }
        }
        return (result.terminationStatus.code, result.standardOutput)
    }

    /// Runs `pindai` and sends it `stop` the moment `condition` holds, watched every 5 ms from a
    /// thread of its own (see ``StoreProbe`` for why not from a task). Gives up when the process
    /// ends by itself or after `timeout` seconds; the test then sees a run that was not stopped.
    package static func runPindai(
        _ arguments: [String], send stop: Stop, when condition: @escaping @Sendable () -> Bool, timeout: TimeInterval = 120
    ) async throws -> (status: Int32, output: String) {
        try await runPindai(arguments, when: condition, timeout: timeout) { pid in kill(pid, stop == .kill ? SIGKILL : SIGTERM) }
    }

    /// Runs `pindai` and does `action` (given its pid) once, the moment `condition` holds,
    /// both on a thread of their own (see ``StoreProbe``): to kill it, or to restart the server
    /// it talks to under it. A run still going after `limit` seconds is killed (its status then
    /// says SIGKILL), so a process that hangs fails its test instead of holding up the suite.
    package static func runPindai(
        _ arguments: [String], when condition: @escaping @Sendable () -> Bool, timeout: TimeInterval = 120,
        limit: TimeInterval = 600, do action: @escaping @Sendable (pid_t) -> Void
    ) async throws -> (status: Int32, output: String) {
        let configuration = Configuration(
            executable: .path(FilePath(pindaiExecutable)), arguments: Arguments(arguments), workingDirectory: FilePath(repositoryRoot))
        let result = try await Subprocess.run(configuration, input: .none, output: .string(limit: 64 << 20), error: .combinedWithOutput) { execution in
            let pid = execution.processIdentifier.value
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                let watcher = Thread {
                    let started = Date()
                    var acted = false
                    while isRunning(pid) {
                        let elapsed = Date().timeIntervalSince(started)
                        if elapsed > limit {
                            kill(pid, SIGKILL)
                            break
                        }
                        if !acted, elapsed < timeout, condition() {
                            action(pid)
                            acted = true
                        }
                        usleep(acted ? 50_000 : 5_000)
                    }
                    done.resume()
                }
                watcher.start()
            }
        }
        return (result.terminationStatus.code, result.standardOutput)
    }

    /// Returns once `condition` holds, watched every 5 ms from a thread of its own (see
    /// ``StoreProbe``), or false after `timeout` seconds: to start a process only once another
    /// has reached a point, whatever the machine's load.
    @discardableResult
    package static func waitUntil(timeout: TimeInterval = 120, _ condition: @escaping @Sendable () -> Bool) async -> Bool {
        await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            let watcher = Thread {
                let started = Date()
                while !condition() {
                    if Date().timeIntervalSince(started) > timeout {
                        done.resume(returning: false)
                        return
                    }
                    usleep(5_000)
                }
                done.resume(returning: true)
            }
            watcher.start()
        }
    }

    /// True while `pid` is a live process (not gone, not a zombie waiting to be reaped).
    package static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }
}

extension TerminationStatus {
    /// The exit code, or 128 + the signal number as a shell reports a killed program.
    var code: Int32 {
        switch self {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}
