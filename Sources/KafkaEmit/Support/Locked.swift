#if canImport(Glibc)
import Glibc
#endif

/// A value behind a pthread mutex. Used instead of `Synchronization.Mutex` where threads
/// meet often: on Linux that Mutex is a priority-inheritance futex (a syscall whenever it is
/// contended), and ThreadSanitizer cannot see it — `make sanitize` reported every access
/// under it as a race. A pthread mutex is both cheaper under contention and visible.
///
/// `@unchecked Sendable`: `value` is only touched inside `withLock`, holding the mutex.
final class Locked<Value>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always) func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
