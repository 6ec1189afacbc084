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
    /// A rate that changes over the run (`--rate-profile`); the schedule ends with its last stage.
    case profile([RateStage])
    /// `--replay SPEED`: each record when its own timestamp comes, SPEED times as fast, gaps cut
    /// to `maxGapNanos` (of recorded time).
    case replay(speed: Double, maxGapNanos: UInt64?)

    /// The mean interval of a fixed pace; 0 unpaced, for a profile or a replay.
    package var intervalNanos: Double {
        switch self {
        case .unpaced, .profile, .replay: 0
        case .every(let n): Double(n)
        case .rate(let r): 1e9 / r
        }
    }
}

/// Where the schedule starts and what a late record does to it.
package struct ScheduleOptions: Sendable {
    /// How sends are spread (`--arrivals`).
    package var arrivals = Arrivals.uniform
    /// The schedule is absolute (`--start-at`, `--latency-from intended`): a late record goes out
    /// at once and the ones after it keep their times (catching up), instead of the schedule
    /// shifting so the cadence resumes from now.
    package var absolute = false
    /// Monotonic time the schedule starts at (`--start-at`); nil: when the run can send.
    package var startMonotonic: UInt64?
    /// Receives the stage the schedule is in (`--rate-profile`).
    package var stages: StageCursor?
    package init() {}
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
    /// Rate profiles and Poisson arrivals: record i's offset, computed as the run goes.
    private var variable: VariableSchedule?
    private let absolute: Bool
    private let startMonotonic: UInt64?
    /// The last record waited for, and its due time without the shifts (for `resume`, and the
    /// intended send time of `--latency-from intended`).
    private var lastAsked: UInt64 = .max
    private var lastOffset: UInt64 = 0
    private var waitedForStart = false
    /// `--replay`: the recorded time so far.
    private var replay: ReplayClock?
    /// The next record's recorded timestamp (`--replay`), set by the send loop before it waits.
    package var recordTimestampMillis: Int64?
    /// A wake-up this late means the process was stalled: shift instead of bursting.
    static var stallNanos: UInt64 { 1_000_000_000 }

    package init(_ pacing: Pacing, durationNanos: UInt64?, clock: any PacerClock, recordLateness: ((UInt64) -> Void)? = nil,
                 schedule: ScheduleOptions = ScheduleOptions()) {
        self.clock = clock
        self.recordLateness = recordLateness
        everyNanos = { if case .every(let n) = pacing { n } else { 0 } }()
        intervalNanos = pacing.intervalNanos
        self.durationNanos = durationNanos
        absolute = schedule.absolute
        startMonotonic = schedule.startMonotonic
        switch pacing {
        case .profile(let stages):
            variable = VariableSchedule(stages: stages, arrivals: schedule.arrivals, cursor: schedule.stages)
        case .every, .rate:
            if schedule.arrivals != .uniform {
                let rate = 1e9 / pacing.intervalNanos
                variable = VariableSchedule(stages: [RateStage(.hold(rate), seconds: nil, name: "")], arrivals: schedule.arrivals, cursor: nil)
            }
        case .replay(let speed, let maxGap):
            replay = ReplayClock(speed: speed, maxGapMillis: maxGap.map { Int64(clamping: $0 / 1_000_000) })
        case .unpaced: break
        }
        stats.paced = pacing != .unpaced
        stats.replaying = replay != nil
        stats.intervalNanos = intervalNanos
    }

    var isPaced: Bool { stats.paced }
    /// `--replay`: the send loop hands each record's recorded timestamp over before waiting.
    var replays: Bool { replay != nil }

    /// Starts the schedule (and the `--duration` clock) now, or at `--start-at`.
    package mutating func begin() {
        start = startMonotonic ?? clock.now()
        if let d = durationNanos { durationEnd = start &+ d }
    }

    /// Whether `--duration` has elapsed.
    package var expired: Bool { durationEnd != 0 && clock.now() >= durationEnd }

    /// Record i's offset from the start on the schedule (no shifts); nil once a profile ended.
    @inline(__always) mutating func dueOffset(_ i: UInt64) -> UInt64? {
        if i == lastAsked { return lastOffset }
        let offset: UInt64
        if replay != nil {
            offset = replay!.offset(recordedAt: recordTimestampMillis)
            stats.replayOutOfOrder = replay!.outOfOrder
            stats.replayUntimed = replay!.untimed
        } else if variable != nil {
            // Past ~580 years (or not a number) the schedule has nothing more to send.
            guard let seconds = variable!.offset(of: i), seconds >= 0, seconds < 1.8e10 else { return nil }
            offset = UInt64(seconds * 1e9)
        } else {
            offset = everyNanos > 0 ? i &* everyNanos : UInt64(Double(i) * intervalNanos)
        }
        lastAsked = i
        lastOffset = offset
        return offset
    }

    /// Record i's place on the schedule (ns from its start), without waiting for it (the
    /// fuzz target: the schedule's arithmetic, not its sleeps); nil once a profile ended.
    package mutating func scheduledOffset(_ i: UInt64) -> UInt64? { dueOffset(i) }

    /// The intended send time of the last record waited for (monotonic ns): its place on the
    /// schedule, shifts included (an absolute schedule has none).
    package var intendedNanos: UInt64 { start &+ shift &+ lastOffset }

    /// Waits until record `i` is due. False when the run must end instead: `--duration` is
    /// over (or the record would fall after it), or `shouldStop` turned true while waiting.
    /// `willSleep` is called once before an actual sleep.
    @inline(__always)
    package mutating func waitTurn(_ i: UInt64, shouldStop: () -> Bool, willSleep: () -> Void) -> Bool {
        guard stats.paced else {
            // Unpaced with --start-at: the first record waits for the start.
            if startMonotonic != nil && !waitedForStart {
                waitedForStart = true
                guard sleep(until: start, shouldStop: shouldStop, willSleep: willSleep) != nil else { return false }
            }
            return !expired
        }
        guard let offset = dueOffset(i) else { return false }   // the profile's last stage ended
        let due = start &+ shift &+ offset
        if durationEnd != 0 && due >= durationEnd { return false }
        guard let now = sleep(until: due, shouldStop: shouldStop, willSleep: willSleep) else { return false }
        let late = now - due
        recordLateness?(late / 1000)
        if stats.sent == 0 { stats.firstSendNanos = now; stats.firstIndex = i; stats.firstDueNanos = offset }
        stats.sent += 1
        stats.lastSendNanos = now
        stats.lastIndex = i
        stats.lastDueNanos = offset
        if late > Self.stallNanos && !absolute { shiftBy(late) }
        return true
    }

    /// The sender held record `i` past its deadline: resume the cadence from now (an absolute
    /// schedule keeps its times: the records after it catch up).
    mutating func resume(after i: UInt64) {
        guard stats.paced, !absolute, let offset = dueOffset(i) else { return }
        let now = clock.now(), due = start &+ shift &+ offset
        if now > due { shiftBy(now - due) }
        // Record i went out only now. For the last record so far that matters to the drift:
        // the hold is in `behindNanos`, so it belongs in the send span too.
        if stats.sent > 0 && i == stats.lastIndex { stats.lastSendNanos = now }
    }

    /// Sleeps until `due`; the time then, or nil when `shouldStop` turned true meanwhile.
    @inline(__always)
    private func sleep(until due: UInt64, shouldStop: () -> Bool, willSleep: () -> Void) -> UInt64? {
        var now = clock.now()
        if now < due { willSleep() }
        while now < due {
            if shouldStop() { return nil }
            // In slices, so a stop request that arrives without a signal is still noticed.
            clock.sleep(until: min(due, now &+ 100_000_000))
            now = clock.now()
        }
        return now
    }

    private mutating func shiftBy(_ nanos: UInt64) {
        shift &+= nanos
        stats.behindNanos &+= nanos
    }
}

/// `--replay`: record r is due (ts(r) − ts(first)) / SPEED after the start. Time only moves
/// forward: a timestamp older than the latest one seen (out of order) or none at all sends
/// the record at once, counted; a gap longer than `--max-gap` counts as `--max-gap`.
struct ReplayClock {
    let speed: Double
    let maxGapMillis: Int64?
    private var latest: Int64?
    private var offsetNanos: Double = 0
    private(set) var outOfOrder: UInt64 = 0
    private(set) var untimed: UInt64 = 0

    init(speed: Double, maxGapMillis: Int64?) {
        self.speed = speed
        self.maxGapMillis = maxGapMillis
    }

    mutating func offset(recordedAt ts: Int64?) -> UInt64 {
        guard let ts else {
            untimed += 1
            return UInt64(offsetNanos)
        }
        guard let previous = latest else {
            latest = ts
            return UInt64(offsetNanos)
        }
        if ts < previous {
            outOfOrder += 1
            return UInt64(offsetNanos)
        }
        var gap = ts - previous
        if let m = maxGapMillis, gap > m { gap = m }
        offsetNanos += Double(gap) * 1e6 / speed
        latest = ts
        return offsetNanos < 1.8e19 ? UInt64(offsetNanos) : UInt64.max / 2
    }
}

