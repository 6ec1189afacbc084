@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// The live progress bar on stderr's terminal (SPEC §4). When stdout is the same terminal,
/// result lines are written around it — the bar erased first, drawn again after — so no result
/// line ever carries bar bytes. One lock orders drawing and those writes.
///
/// `@unchecked Sendable`: `text` and `shown` are touched holding `lock` only.
package final class TerminalBar: @unchecked Sendable {
    private let lock = Lock()
    private let fd: Int32
    private var text = ""
    private var shown = false
    private static let eraseLine = "\r\u{1B}[K"

    init(fd: Int32) { self.fd = fd }

    /// Draws `line` in place of the bar shown.
    func draw(_ line: String) {
        lock.locked {
            text = line
            shown = true
            writeAll(fd, Self.eraseLine + line)
        }
    }

    /// Erases the bar for good (the summary follows).
    func erase() {
        lock.locked {
            if shown { writeAll(fd, Self.eraseLine) }
            shown = false
        }
    }

    /// Runs `write`, which prints whole lines to the same terminal, with the bar out of the way.
    func around(_ write: () -> Void) {
        lock.locked {
            if shown { writeAll(fd, Self.eraseLine) }
            write()
            if shown { writeAll(fd, Self.eraseLine + text) }
        }
    }

    /// Whether `a` and `b` are the same terminal (stdout and stderr on one screen).
    static func sameTerminal(_ a: Int32, _ b: Int32) -> Bool {
        guard isatty(a) == 1, isatty(b) == 1 else { return false }
        var sa = stat(), sb = stat()
        guard fstat(a, &sa) == 0, fstat(b, &sb) == 0 else { return false }
        return sa.st_rdev == sb.st_rdev
    }
}
