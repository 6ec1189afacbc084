#if canImport(Glibc)
import Glibc
#endif

/// Waits until `fd` takes bytes (or reports an error, which the next write then reads): true;
/// false when `abandonFD` turned readable (a second signal) while it did not.
package func waitForRoom(_ fd: Int32, abandonFD: Int32) -> Bool {
    var fds = [pollfd(fd: fd, events: Int16(POLLOUT), revents: 0),
               pollfd(fd: abandonFD, events: Int16(POLLIN), revents: 0)]
    while true {
        let rc = poll(&fds, abandonFD >= 0 ? 2 : 1, -1)
        if rc < 0 { if errno == EINTR { continue }; return true }
        if fds[0].revents != 0 { return true }
        if fds[1].revents != 0 { return false }
    }
}

/// Readable once a second signal came; the CLI sets it to its stop signal's `abandonFD`
/// before any thread starts. Diagnostics, progress and the summary then give up on a stderr
/// nobody reads (`2>&1 | less`, not scrolling) instead of blocking the run's end.
nonisolated(unsafe) package var diagnosticsAbandonFD: Int32 = -1

/// Writes a whole string to a file descriptor (stderr diagnostics; not for the hot path).
package func writeAll(_ fd: Int32, _ text: String) {
    _ = writeFully(fd, text)
}

/// Writes a whole string; the errno of a write that failed, nil when all of it went out.
/// Each piece of at most `PIPE_BUF` bytes waits in poll(2) for room, and the wait ends
/// (EAGAIN) when `diagnosticsAbandonFD` turns readable while the reader takes nothing.
package func writeFully(_ fd: Int32, _ text: String) -> Int32? {
    var s = text
    return s.withUTF8 { p -> Int32? in
        switch writeEvery(fd, UnsafeRawBufferPointer(p), chunk: Int(PIPE_BUF), room: { waitForRoom(fd, abandonFD: diagnosticsAbandonFD) }) {
        case .done: nil
        case .gaveUp: EAGAIN
        case .failed(let code, _): code
        }
    }
}

/// How `writeEvery` ended; `at` is how many bytes went out before it stopped.
package enum WriteEnd {
    case done
    /// `room` said no: the reader took nothing in time.
    case gaveUp(at: Int)
    /// write(2) failed with this errno (EPIPE: the reader went away).
    case failed(errno: Int32, at: Int)
}

/// The one loop that writes every byte of `bytes` to `fd`: before each write(2) of at most
/// `chunk` bytes it asks `room` whether `fd` takes bytes now (a wait in poll(2), bounded by
/// whatever ends the caller's patience); EINTR and EAGAIN write again.
package func writeEvery(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, chunk: Int, room: () -> Bool) -> WriteEnd {
    var off = 0
    while off < bytes.count {
        guard room() else { return .gaveUp(at: off) }
        let n = write(fd, bytes.baseAddress! + off, min(chunk, bytes.count - off))
        if n < 0 {
            if errno == EINTR || errno == EAGAIN { continue }
            return .failed(errno: errno, at: off)
        }
        off += n
    }
    return .done
}
