import Foundation

/// Steps as lines, and one live progress line redrawn in place on a terminal (printed now and
/// then when the output is a file), for commands that run for minutes.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: the mutable state is guarded by `lock`; updates arrive from a child's reader thread.
    private let lock = NSLock()
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private var drawn = false
    private var last = Date.distantPast

    /// Prints a step on its own line.
    func say(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if drawn { print("\r\u{1B}[K", terminator: "") }
        print(text)
        drawn = false
        fflush(nil)
    }

    /// Shows the current progress: redrawn at most five times a second on a terminal, printed
    /// every 30 s otherwise.
    func update(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if isTerminal {
            guard now.timeIntervalSince(last) > 0.2 else { return }
            print("\r\u{1B}[K" + text, terminator: "")
            drawn = true
        } else {
            guard now.timeIntervalSince(last) > 30 else { return }
            print(text)
        }
        last = now
        fflush(nil)
    }

    /// Ends the live line.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { print("") }
        drawn = false
    }
}
