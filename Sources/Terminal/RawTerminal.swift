import Foundation
import Verification

/// The terminal in raw mode on the alternate screen, restored on exit: keys arrive one by one and
/// the whole screen is redrawn per key. Plain ANSI escapes; works inside tmux.
package final class RawTerminal {
    private var original = termios()
    private var active = false

    /// Enters raw mode; fails when standard input is not a terminal.
    package init() throws(TerminalError) {
        guard isatty(STDIN_FILENO) == 1 else {
            throw TerminalError(message: "pindai verify needs a terminal (run it in a terminal or tmux, not through a pipe)")
        }
        tcgetattr(STDIN_FILENO, &original)
        var raw = original
        raw.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL)
        raw.c_oflag &= ~tcflag_t(OPOST)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        active = true
        write("\u{1B}[?1049h\u{1B}[?25l")
    }

    /// Leaves raw mode and the alternate screen.
    package func restore() {
        guard active else { return }
        write("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &original)
        active = false
    }

    deinit { restore() }

    /// Columns and rows.
    package var size: (columns: Int, rows: Int) {
        var w = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 { return (Int(w.ws_col), Int(w.ws_row)) }
        return (100, 30)
    }

    /// Replaces the screen with `lines`.
    package func draw(_ lines: [String]) {
        var out = "\u{1B}[H\u{1B}[2J"
        out += lines.joined(separator: "\r\n")
        write(out)
    }

    private func write(_ s: String) {
        let bytes = Array(s.utf8)
        bytes.withUnsafeBufferPointer { _ = Foundation.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    private func readByte() -> UInt8? {
        var b: UInt8 = 0
        return read(STDIN_FILENO, &b, 1) == 1 ? b : nil
    }

    /// The next key (blocking); `nil` at end of input. In `keying` mode letters are text and
    /// the commands move to control keys (see ``keyingKey(_:next:)``).
    package func readKey(keying: Bool = false) -> VerifierKey? {
        while let b = readByte() {
            if let key = keying ? Self.keyingKey(b, next: readByte) : Self.key(b, next: readByte) { return key }
        }
        return nil
    }

    /// Keying a name: every printable character is text; Enter accepts, and the commands are
    /// control keys: Ctrl-X illegible, Ctrl-E empty on paper, Ctrl-U undo, Ctrl-W wider view,
    /// Ctrl-K skip, Ctrl-R refer, Ctrl-G help, Ctrl-Q or Ctrl-C quit.
    static func keyingKey(_ b: UInt8, next: () -> UInt8?) -> VerifierKey? {
        switch b {
        case 24: return .illegible
        case 5: return .leftEmpty
        case 21: return .undo
        case 23: return .wider
        case 11: return .skip
        case 18: return .refer
        case 7: return .help
        case 17, 3: return .quit
        case 32: return .space
        case 33...126: return .character(Character(UnicodeScalar(b)))
        default: return key(b, next: next)
        }
    }

    /// Decodes a key from its first byte, reading more for escape sequences.
    static func key(_ b: UInt8, next: () -> UInt8?) -> VerifierKey? {
        switch b {
        case 13, 10: return .enter
        case 9: return .tab
        case 127, 8: return .backspace
        case 32: return .space
        case 3: return .quit
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return .digit(Int(b - UInt8(ascii: "0")))
        case UInt8(ascii: "u"): return .undo
        case UInt8(ascii: "w"): return .wider
        case UInt8(ascii: "s"): return .skip
        case UInt8(ascii: "r"): return .refer
        case UInt8(ascii: "?"): return .help
        case UInt8(ascii: "q"): return .quit
        case 27:
            guard next() == UInt8(ascii: "[") else { return .other }
            switch next() {
            case UInt8(ascii: "A"): return .up
            case UInt8(ascii: "B"): return .down
            case UInt8(ascii: "C"): return .right
            case UInt8(ascii: "D"): return .left
            case UInt8(ascii: "Z"): return .backTab
            default: return .other
            }
        default: return .other
        }
    }
}

/// The terminal cannot be used.
package struct TerminalError: Error, Sendable, CustomStringConvertible {
    /// What to do.
    package var message: String
    /// The message.
    package var description: String { message }
}
