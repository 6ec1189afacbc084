#if canImport(Glibc)
import Glibc
#endif

/// The one buffered writer for stdout: result lines are appended to `buffer` and written
/// in large write(2) calls — on a size threshold, when the reporter goes idle, and at the
/// end; per line when stdout is a terminal. A stdout that does not take bytes (a stalled
/// reader, a non-blocking descriptor) is waited on in poll(2), never spun on, and given up
/// when `abandoned` turns true (a second signal).
package final class OutputWriter {
    package let fd: Int32
    package let buffer: ByteBuffer
    package let isTerminal: Bool
    private let threshold: Int
    private let abandoned: @Sendable () -> Bool
    package fileprivate(set) var closed = false       // the reader went away (EPIPE)
    package fileprivate(set) var failure: String?     // any other write error

    package init(fd: Int32, threshold: Int = 64 * 1024, abandoned: @escaping @Sendable () -> Bool = { false }) {
        self.fd = fd
        self.threshold = threshold
        self.abandoned = abandoned
        buffer = ByteBuffer(capacity: threshold * 2)
        isTerminal = isatty(fd) == 1
    }

    /// Call after appending one line.
    @inline(__always) package func lineDone() {
        if isTerminal || buffer.count >= threshold { flush() }
    }

    package func flush() {
        guard buffer.count > 0 else { return }
        defer { buffer.removeAll() }
        guard !closed && failure == nil else { return }
        var off = 0
        while off < buffer.count {
            let n = write(fd, buffer.base + off, buffer.count - off)
            if n < 0 {
                // A signal interrupted a write to a full pipe: a second one gives the output up.
                if errno == EINTR { if abandoned() { return }; continue }
                if errno == EAGAIN {
                    // Non-blocking and full: wait until it takes bytes again.
                    if abandoned() { return }
                    var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 100)
                    continue
                }
                if errno == EPIPE { closed = true } else { failure = String(cString: strerror(errno)) }
                return
            }
            off += n
        }
    }
}

extension OutputWriter {
    /// What is buffered, in pieces stdout takes without blocking (each write waits at most
    /// `timeoutMs` for room, and a pipe with room takes 4 KiB whole): the last flush of a run
    /// abandoned by a second signal, which must not hang on a stalled reader.
    package func flushIfWritable(timeoutMs: Int32 = 100) {
        defer { buffer.removeAll() }
        guard !closed && failure == nil else { return }
        var off = 0
        while off < buffer.count {
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&p, 1, timeoutMs) == 1, p.revents & Int16(POLLOUT) != 0 else { return }
            let n = write(fd, buffer.base + off, min(4096, buffer.count - off))
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == EPIPE { closed = true } else { failure = String(cString: strerror(errno)) }
                return
            }
            off += n
        }
    }
}

/// Writes a whole string to a file descriptor (stderr diagnostics; not for the hot path).
package func writeAll(_ fd: Int32, _ text: String) {
    var s = text
    s.withUTF8 { p in
        var off = 0
        while off < p.count {
            let n = write(fd, p.baseAddress! + off, p.count - off)
            if n < 0 { if errno == EINTR { continue }; return }
            off += n
        }
    }
}
