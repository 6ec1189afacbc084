#if canImport(Glibc)
import Glibc
#endif

/// Checks, before a step that cannot fail gracefully, that the system will grant it the
/// threads and file descriptors it needs. librdkafka 2.0.2's `rd_kafka_mock_cluster_new`
/// aborts the process (an assertion in its own cleanup) when a socket or thread is refused
/// half-way, so `--mock` asks first: it opens the descriptors and starts the threads it is
/// about to need, then gives them back. SPEC §6: exit 71 with a line naming the resource.
enum Headroom {
    static func ensure(threads: Int, descriptors: Int, for what: String) throws(EmitError) {
        try ensureDescriptors(descriptors, for: what)
        try ensureThreads(threads, for: what)
    }

    private static func ensureDescriptors(_ n: Int, for what: String) throws(EmitError) {
        var opened: [Int32] = []
        opened.reserveCapacity(n)
        defer { for fd in opened { close(fd) } }
        while opened.count < n {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                let why = String(cString: strerror(errno))
                var limit = rlimit()
                getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
                throw .resource("not enough file descriptors for \(what): it needs about \(n) free, \(opened.count) were (\(why); ulimit -n is \(limit.rlim_cur)); raise ulimit -n")
            }
            opened.append(fd)
        }
    }

    private static func ensureThreads(_ n: Int, for what: String) throws(EmitError) {
        let gate = makeInternalPipe()
        guard gate.read >= 0 else { throw .resource("cannot create a pipe for \(what): \(String(cString: strerror(errno)))") }
        let readEnd = gate.read
        var started: [WorkerThread] = []
        defer {
            close(gate.write)   // every waiting thread reads EOF and ends
            for t in started { t.join() }
            close(gate.read)
        }
        while started.count < n {
            do {
                started.append(try WorkerThread(name: "kafka-emit-probe") {
                    var pfd = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
                    while poll(&pfd, 1, -1) < 0 && errno == EINTR {}
                })
            } catch {
                throw .resource("cannot create the \(n) threads \(what) needs, only \(started.count) (\(error.message))")
            }
        }
    }
}
