#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking, close-on-exec pipe whose descriptors are never 0, 1 or 2: with a standard
/// stream closed, a new pipe would otherwise take its number and receive result lines.
package func makeInternalPipe() -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return (-1, -1) }
    for k in 0..<2 {
        if fds[k] <= 2 {
            let moved = fcntl(fds[k], F_DUPFD_CLOEXEC, 3)
            close(fds[k])
            fds[k] = moved
        }
        _ = fcntl(fds[k], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[k], F_SETFL, O_NONBLOCK)
    }
    return (fds[0], fds[1])
}

/// `makeInternalPipe`, or exit 71's error when no descriptor is left (`ulimit -n`): a pipe
/// that silently failed would leave a waiter nobody can wake.
package func makeInternalPipe(for what: String) throws(EmitError) -> (read: Int32, write: Int32) {
    let p = makeInternalPipe()
    guard p.read >= 0 && p.write >= 0 else {
        let why = String(cString: strerror(errno))
        if p.read >= 0 { close(p.read) }
        if p.write >= 0 { close(p.write) }
        throw .resource("no file descriptor left for \(what) (\(why)); raise the limit (ulimit -n)")
    }
    return p
}
