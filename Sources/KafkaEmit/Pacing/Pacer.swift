/// Monotonic time the pacer reads and sleeps on; tests inject a fake one.
package protocol PacerClock {
    func now() -> UInt64
    /// Sleeps until `deadline` (absolute, monotonic ns), or less when a signal interrupts.
    func sleep(until deadline: UInt64)
}

/// The real monotonic clock.
package struct SystemClock: PacerClock {
    package init() {}
    @inline(__always) package func now() -> UInt64 { Clock.monotonicNanos() }
    package func sleep(until deadline: UInt64) { Clock.sleep(untilMonotonic: deadline) }
}

/// How fast records go out (SPEC §1).
package enum Pacing: Sendable, Equatable {
    case unpaced
    /// Record i at start + i×interval.
    case every(nanos: UInt64)
    /// R records per second.
    case rate(Double)

    package var intervalNanos: Double {
        switch self {
        case .unpaced: 0
        case .every(let n): Double(n)
        case .rate(let r): 1e9 / r
        }
    }
}

/// The schedule: record i is due at start + i×interval on absolute monotonic deadlines, so
/// nothing drifts; `--duration` ends it. When the sender held a record back (no free slot,
/// librdkafka's queue full, cluster not ready) or the process stalled, the schedule shifts so
/// the cadence resumes from now: never a burst to catch up.
///
/// Not generic over its clock: the send loop lives in the library and the command's engine
/// in another module, where a `Pacer<C>` made the loop ask the runtime for `Pacer<C>`'s
/// metadata twice a record (13 % of a run's instructions, callgrind). One existential call to
/// read the clock costs less.
package struct Pacer {
    private let clock: any PacerClock
    private let everyNanos: UInt64
    private let intervalNanos: Double
    private let durationNanos: UInt64?
    private var start: UInt64 = 0
    private var shift: UInt64 = 0
    package private(set) var durationEnd: UInt64 = 0
    package private(set) var stats = PacingStats()
    /// Gets each paced record's lateness in microseconds (the CLI's summary keeps them in a
    /// histogram; the library keeps none).
    private let recordLateness: ((UInt64) -> Void)?
    /// A wake-up this late means the process was stalled: shift instead of bursting.
    static var stallNanos: UInt64 { 1_000_000_000 }

    package init(_ pacing: Pacing, durationNanos: UInt64?, clock: any PacerClock, recordLateness: ((UInt64) -> Void)? = nil) {
        self.clock = clock
        self.recordLateness = recordLateness
        everyNanos = { if case .every(let n) = pacing { n } else { 0 } }()
        intervalNanos = pacing.intervalNanos
        self.durationNanos = durationNanos
        stats.paced = pacing != .unpaced
        stats.intervalNanos = intervalNanos
    }

    var isPaced: Bool { stats.paced }

    /// Starts the schedule (and the `--duration` clock) now.
    package mutating func begin() {
        start = clock.now()
        if let d = durationNanos { durationEnd = start &+ d }
    }

    /// Whether `--duration` has elapsed.
    package var expired: Bool { durationEnd != 0 && clock.now() >= durationEnd }

    @inline(__always) func deadline(_ i: UInt64) -> UInt64 {
        let offset = everyNanos > 0 ? i &* everyNanos : UInt64(Double(i) * intervalNanos)
        return start &+ shift &+ offset
    }

    /// Waits until record `i` is due. False when the run must end instead: `--duration` is
    /// over (or the record would fall after it), or `shouldStop` turned true while waiting.
    /// `willSleep` is called once before an actual sleep.
    @inline(__always)
    mutating func waitTurn(_ i: UInt64, shouldStop: () -> Bool, willSleep: () -> Void) -> Bool {
        guard stats.paced else { return !expired }
        let due = deadline(i)
        if durationEnd != 0 && due >= durationEnd { return false }
        var now = clock.now()
        if now < due { willSleep() }
        while now < due {
            if shouldStop() { return false }
            // In slices, so a stop request that arrives without a signal is still noticed.
            clock.sleep(until: min(due, now &+ 100_000_000))
            now = clock.now()
        }
        let late = now - due
        recordLateness?(late / 1000)
        if stats.sent == 0 { stats.firstSendNanos = now; stats.firstIndex = i }
        stats.sent += 1
        stats.lastSendNanos = now
        stats.lastIndex = i
        if late > Self.stallNanos { shiftBy(late) }
        return true
    }

    /// The sender held record `i` past its deadline: resume the cadence from now.
    mutating func resume(after i: UInt64) {
        guard stats.paced else { return }
        let now = clock.now(), due = deadline(i)
        if now > due { shiftBy(now - due) }
        // Record i went out only now. For the last record so far that matters to the drift:
        // the hold is in `behindNanos`, so it belongs in the send span too.
        if stats.sent > 0 && i == stats.lastIndex { stats.lastSendNanos = now }
    }

    private mutating func shiftBy(_ nanos: UInt64) {
        shift &+= nanos
        stats.behindNanos &+= nanos
    }
}

