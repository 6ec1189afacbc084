#if canImport(Glibc)
import Glibc
#endif

/// Monotonic and wall clocks without Foundation: one vDSO call each.
package enum Clock {
    @inline(__always) package static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    @inline(__always) package static func wallMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    /// Sleeps until an absolute monotonic deadline, so a schedule of deadlines never drifts.
    /// Returns early (false) when a signal interrupts the sleep.
    @discardableResult
    package static func sleep(untilMonotonic deadline: UInt64) -> Bool {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == 0
    }

    package static func sleep(nanos: UInt64) {
        sleep(untilMonotonic: monotonicNanos() + nanos)
    }
}
