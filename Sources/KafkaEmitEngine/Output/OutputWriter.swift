@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// The one buffered writer for stdout: result lines are appended to `buffer` and written
/// in large write(2) calls — on a size threshold, when the reporter goes idle, and at the
/// end; per line when stdout is a terminal.
///
/// A write never blocks a thread past a second signal (SPEC §6): unless stdout is a regular
/// file, each write waits in poll(2) for room — on stdout and on `abandonFD`, readable once a
/// second signal came — and then writes at most `PIPE_BUF` bytes, which a pipe with room
/// takes without blocking. A stalled reader is waited on, never spun on; after a second
/// signal, what stdout does not take at once is dropped and counted (`droppedLines`).
package final class OutputWriter {
    package let fd: Int32
    package let buffer: ByteBuffer
    package let isTerminal: Bool
    private let threshold: Int
    private let abandonFD: Int32
    /// stdout is a regular file or a device such as /dev/null (not a terminal): a write there
    /// never waits for a reader, so it goes out whole.
    private let neverStalls: Bool
    package fileprivate(set) var closed = false       // the reader went away (EPIPE)
    package fileprivate(set) var failure: String?     // any other write error
    /// A second signal came while stdout took nothing: every later line is dropped.
    package fileprivate(set) var gaveUp = false
    /// Result lines formatted but never written (stalled stdout, second signal).
    package fileprivate(set) var droppedLines = 0
    /// The progress bar, when stderr is this same terminal: lines are written around it. Set
    /// before any line is written.
    var sharedBar: TerminalBar?

    package init(fd: Int32, threshold: Int = 64 * 1024, abandonFD: Int32 = -1) {
        self.fd = fd
        self.threshold = threshold
        self.abandonFD = abandonFD
        buffer = ByteBuffer(capacity: threshold * 2)
        isTerminal = isatty(fd) == 1
        var st = stat()
        let type = fstat(fd, &st) == 0 ? st.st_mode & S_IFMT : 0
        neverStalls = type == S_IFREG || (type == S_IFCHR && !isTerminal)
    }

    /// Call after appending one line.
    @inline(__always) package func lineDone() {
        // `bytes.count`, not `count`: ByteBuffer's fields read from this module are checked for
        // exclusive access at run time (~60 instructions a line, callgrind).
        if isTerminal || buffer.bytes.count >= threshold { flush() }
    }

    package func flush() {
        guard buffer.count > 0 else { return }
        if let bar = sharedBar {
            bar.around { writeBuffer() }
        } else {
            writeBuffer()
        }
    }

    private func writeBuffer() {
        defer { buffer.removeAll() }
        guard !closed && failure == nil && !gaveUp else {
            if gaveUp { dropLines(from: 0) }
            return
        }
        let (fd, abandonFD, neverStalls) = (self.fd, self.abandonFD, self.neverStalls)
        switch writeEvery(fd, buffer.bytes, chunk: neverStalls ? Int.max : Int(PIPE_BUF),
                          room: { neverStalls || waitForRoom(fd, abandonFD: abandonFD) }) {
        case .done: break
        case .gaveUp(let off):
            gaveUp = true
            dropLines(from: off)
        case .failed(let code, _): noteFailure(code)
        }
    }

    /// A write failed: the reader went away (EPIPE), or stdout is broken otherwise.
    private func noteFailure(_ code: Int32) {
        if code == EPIPE { closed = true } else { failure = String(cString: strerror(code)) }
    }


    /// Counts the lines of `buffer` from `offset` as dropped (a partial line counts once).
    private func dropLines(from offset: Int) {
        guard offset < buffer.count else { return }
        var p = buffer.base + offset
        let end = buffer.base + buffer.count
        var lines = 0
        while p < end, let nl = memchr(p, 0x0A, end - p) {
            lines += 1
            p = nl.assumingMemoryBound(to: UInt8.self) + 1
        }
        if p < end { lines += 1 }
        droppedLines += lines
    }
}

extension OutputWriter {
    /// What is buffered, in pieces stdout takes without blocking (each write waits at most
    /// `timeoutMs` for room, and a pipe with room takes `PIPE_BUF` whole), for at most
    /// `budgetMs` in all: the last flush of a run abandoned by a second signal, which must not
    /// hang on a stalled or trickling reader. The rest is counted as dropped.
    package func flushIfWritable(timeoutMs: Int32 = 100, budgetMs: UInt64 = 300) {
        defer { buffer.removeAll() }
        guard !closed && failure == nil else { return }
        let deadline = Clock.monotonicNanos() + budgetMs * 1_000_000
        let fd = self.fd
        switch writeEvery(fd, buffer.bytes, chunk: Int(PIPE_BUF), room: {
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            return Clock.monotonicNanos() < deadline && poll(&p, 1, timeoutMs) == 1 && p.revents & Int16(POLLOUT) != 0
        }) {
        case .done: break
        case .gaveUp(let off): dropLines(from: off)
        case .failed(let code, let off):
            noteFailure(code)
            dropLines(from: off)
        }
    }
}

/// SPEC §4: an output file that is the same file as an input (`-i data.txt --summary-file
/// data.txt`) would be truncated before it is read. Compared by device and inode, so other
/// spellings of a path (links, `./`) count too; `-` is stdin. Checked before anything is
/// opened for writing; an output that does not exist yet cannot be an input.
package func checkOutputsAreNotInputs(inputs: [(flag: String, path: String)], outputs: [(flag: String, path: String)]) throws(EmitError) {
    func identity(_ path: String) -> (UInt64, UInt64)? {
        var st = stat()
        let rc = path == "-" ? fstat(0, &st) : stat(path, &st)
        guard rc == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return (UInt64(st.st_dev), UInt64(st.st_ino))
    }
    for out in outputs {
        guard let o = identity(out.path) else { continue }
        for input in inputs {
            if let i = identity(input.path), i == o {
                let what = input.path == "-" ? "stdin" : "'\(input.path)'"
                throw .usage("\(out.flag) '\(out.path)' is the same file as the input \(what) (\(input.flag)): writing it would destroy the input; choose another path")
            }
        }
    }
}

/// Opens an output file named on the command line (`--histogram-log`, `--stats-file`,
/// `--summary-file`), created or truncated, or throws exit 66's error naming the flag.
package func openOutputFile(_ flag: String, _ path: String, appending: Bool = false) throws(EmitError) -> Int32 {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | (appending ? O_APPEND : 0), 0o644)
    guard fd >= 0 else { throw .cannotOpen("\(flag) '\(path)': \(String(cString: strerror(errno))); check the path") }
    return fd
}
