@_spi(Engine) import KafkaEmit
import KafkaEmitEngine
#if canImport(Glibc)
import Glibc
#endif

/// Descriptors 0, 1 and 2 as the process found them. A closed one is reopened on /dev/null
/// at once, so no pipe or socket opened later (ours or librdkafka's) can take its number and
/// receive result lines; whether stdout was closed is remembered, since result lines then
/// have nowhere to go.
package enum StandardStreams {
    nonisolated(unsafe) package private(set) static var stdoutWasClosed = false

    /// Call first thing, on the main thread.
    package static func prepare() {
        for fd: Int32 in [0, 1, 2] where fcntl(fd, F_GETFD) < 0 && errno == EBADF {
            if fd == 1 { stdoutWasClosed = true }
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd {
                dup2(opened, fd)
                close(opened)
            }
        }
    }

    /// Whether stdin is a pipe or a file someone meant to send (not a terminal, not /dev/null).
    package static var stdinHasData: Bool {
        var st = stat()
        guard fstat(0, &st) == 0 else { return false }
        let kind = st.st_mode & S_IFMT
        return kind == S_IFIFO || (kind == S_IFREG && st.st_size > 0)
    }
}
