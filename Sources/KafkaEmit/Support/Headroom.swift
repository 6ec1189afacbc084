#if canImport(Glibc)
import Glibc
#endif

/// Checks, before a step that cannot fail gracefully, that the system will grant it the
/// threads and file descriptors it needs. librdkafka 2.0.2's mock cluster constructor
/// aborts the process (an assertion in its own cleanup) when a socket or thread is refused
/// half-way, so `--mock` asks first: it opens the descriptors and starts the threads it is
/// about to need, then gives them back. SPEC §6: exit 71 with a line naming the resource.
package enum Headroom {
    /// The least address space (`ulimit -v`) a run is started with. Below it, glibc cannot
    /// reserve the per-thread malloc arenas (64 MiB of address space each) and thread stacks
    /// librdkafka and kafka-emit need, and an allocation fails somewhere no code can recover
    /// from (the Swift runtime stops the process). Measured: runs crash now and then at
    /// 80 MB and pass at 120 MB; 256 MB leaves room for records in flight.
    package static let minimumAddressSpace: UInt64 = 256 << 20

    /// Exit 71's error when `ulimit -v` is below `minimumAddressSpace`.
    package static func ensureAddressSpace() throws(EmitError) {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
              UInt64(limit.rlim_cur) < minimumAddressSpace else { return }
        throw .resource("the address space is limited to \(limit.rlim_cur >> 20) MB (ulimit -v \(limit.rlim_cur >> 10)); kafka-emit needs at least \(minimumAddressSpace >> 20) MB: raise the memory limit (ulimit -v)")
    }

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
                throw .resource("cannot start \(what): it needs about \(n) free file descriptors and \(opened.count) were (\(why); ulimit -n is \(limit.rlim_cur)); raise the open-file limit (ulimit -n)")
            }
            opened.append(fd)
        }
    }

    private static func ensureThreads(_ n: Int, for what: String) throws(EmitError) {
        let gate = try makeInternalPipe(for: what)
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
                throw .resource("cannot start \(what): it needs about \(n) threads and the system gave \(started.count); \(WorkerThread.limitHint)")
            }
        }
    }
}
