#if canImport(Glibc)
import Glibc
#endif

private final class ThreadBody: @unchecked Sendable {
    // Handed to exactly one new thread and released there; never shared.
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}

/// A joinable POSIX thread that blocks the signals kafka-emit handles, so they land on the
/// producing thread, whose sleeps and waits they are meant to interrupt.
package struct WorkerThread: Sendable {
    private let handle: pthread_t

    /// Throws `.resource` when the system refuses a thread (`ulimit -u`, memory for its
    /// stack): SPEC §6 wants exit 71 and a message, never a crash.
    package init(name: String, _ body: @escaping @Sendable () -> Void) throws(EmitError) {
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGUSR1, SIGPIPE] { sigaddset(&set, s) }
        var old = sigset_t()
        pthread_sigmask(SIG_BLOCK, &set, &old)
        defer { pthread_sigmask(SIG_SETMASK, &old, nil) }
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var tid = pthread_t()
        let rc = pthread_create(&tid, nil, { raw in
            let box = Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, context)
        guard rc == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(context).release()
            throw .resource("cannot create a thread (\(name)): \(String(cString: strerror(rc))); \(WorkerThread.limitHint)")
        }
        handle = tid
    }

    /// What to raise when the system refuses a thread.
    package static let limitHint = "raise the process limit (ulimit -u) or the memory limit (ulimit -v)"

    package func join() {
        pthread_join(handle, nil)
    }

    /// For a thread nobody will join: its resources are freed when it ends.
    package func detach() {
        pthread_detach(handle)
    }
}

/// A mutex + condition variable for the rare waits (backpressure, drain).
/// `@unchecked Sendable`: every access to the pthread objects goes through them,
/// and pthread mutexes/conditions are made for cross-thread use.
final class Waiter: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let cond: UnsafeMutablePointer<pthread_cond_t>

    init() {
        mutex = .allocate(capacity: 1)
        cond = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        var attr = pthread_condattr_t()
        pthread_condattr_init(&attr)
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)
        pthread_cond_init(cond, &attr)
        pthread_condattr_destroy(&attr)
    }

    deinit {
        pthread_cond_destroy(cond)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        cond.deallocate()
    }

    /// Waits up to `nanos` or until signalled, unless `ready()` (checked under the lock) holds.
    func wait(nanos: UInt64, unless ready: () -> Bool) {
        pthread_mutex_lock(mutex)
        if !ready() {
            let deadline = Clock.monotonicNanos() + nanos
            var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            pthread_cond_timedwait(cond, mutex, &ts)
        }
        pthread_mutex_unlock(mutex)
    }

    func signal() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(cond)
        pthread_mutex_unlock(mutex)
    }

}

/// A plain mutex with try-lock.
/// `@unchecked Sendable`: a pthread mutex is made for cross-thread use.
package final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always) func lock() { pthread_mutex_lock(mutex) }
    @inline(__always) package func tryLock() -> Bool { pthread_mutex_trylock(mutex) == 0 }
    @inline(__always) package func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always) package func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}
