import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// A clock that only moves when the pacer sleeps (plus a fixed oversleep, like a real
/// timer's slack) or when a test advances it.
final class FakeClock: PacerClock, @unchecked Sendable {
    // Tests run the pacer on one thread.
    var nanos: UInt64 = 1_000_000_000
    var oversleep: UInt64 = 0
    var sleeps = 0
    func now() -> UInt64 { nanos }
    func sleep(until deadline: UInt64) {
        sleeps += 1
        if deadline > nanos { nanos = deadline + oversleep }
    }
    func advance(_ n: UInt64) { nanos += n }
}

@Suite struct PacerTests {
    /// Sends records 0..<n through the pacer; returns each one's send time.
    func sendTimes(_ pacer: inout Pacer, _ n: UInt64, clock: FakeClock, work: UInt64 = 0) -> [UInt64] {
        var times: [UInt64] = []
        for i in 0..<n {
            guard pacer.waitTurn(i, shouldStop: { false }, willSleep: {}) else { break }
            times.append(clock.nanos)
            clock.advance(work)
        }
        return times
    }

    @Test func everyIsAFixedScheduleOnAbsoluteDeadlines() {
        let clock = FakeClock()
        clock.oversleep = 50_000   // every sleep wakes 50 us late...
        var pacer = Pacer(.every(nanos: 100_000_000), durationNanos: nil, clock: clock)
        pacer.begin()
        let start = clock.nanos
        let times = sendTimes(&pacer, 100, clock: clock, work: 20_000)
        #expect(times.count == 100)
        // ...but deadlines are absolute, so the lateness never accumulates.
        for (i, t) in times.enumerated() {
            let due = start + UInt64(i) * 100_000_000
            #expect(t >= due && t - due <= 50_000, "record \(i) at +\(t - due) ns")
        }
        #expect(pacer.stats.behindNanos == 0)
        #expect(abs(pacer.stats.driftNanos) <= 50_000)
    }

    @Test func rateSpacesRecordsByItsInterval() {
        let clock = FakeClock()
        var pacer = Pacer(.rate(250), durationNanos: nil, clock: clock)
        pacer.begin()
        let times = sendTimes(&pacer, 1000, clock: clock)
        #expect(times.last! - times.first! == 999 * 4_000_000)
        #expect(abs(pacer.stats.achievedRate - 250) < 0.01)
    }

    @Test func rateAboveTimerResolutionSendsSeveralPerTick() {
        // 1M records/s while every sleep oversleeps by 60 us: records whose deadline has
        // passed go out at once, so the rate holds without one sleep per record.
        let clock = FakeClock()
        clock.oversleep = 60_000
        var pacer = Pacer(.rate(1_000_000), durationNanos: nil, clock: clock)
        pacer.begin()
        let start = clock.nanos
        let times = sendTimes(&pacer, 100_000, clock: clock, work: 200)
        #expect(times.count == 100_000)
        let elapsed = Double(times.last! - start) / 1e9
        #expect(abs(elapsed - 0.1) < 0.001, "100k records at 1M/s took \(elapsed) s")
        #expect(clock.sleeps < 5_000, "\(clock.sleeps) sleeps for 100k records")
        // Never ahead of schedule.
        for (i, t) in times.enumerated() where i % 997 == 0 { #expect(t >= start + UInt64(i) * 1000) }
    }

    @Test func durationEndsTheSchedule() {
        let clock = FakeClock()
        var pacer = Pacer(.every(nanos: 100_000_000), durationNanos: 1_000_000_000, clock: clock)
        pacer.begin()
        // Records 0..9 fall inside 1 s; record 10 is due exactly at the end, so it is not sent.
        #expect(sendTimes(&pacer, 1000, clock: clock).count == 10)
    }

    @Test func unpacedOnlyWatchesTheDuration() {
        let clock = FakeClock()
        var pacer = Pacer(.unpaced, durationNanos: 5_000, clock: clock)
        pacer.begin()
        let ok = pacer.waitTurn(0, shouldStop: { false }, willSleep: {})
        #expect(ok)
        clock.advance(5_000)
        let ended = !pacer.waitTurn(1, shouldStop: { false }, willSleep: {})
        #expect(ended)
        #expect(clock.sleeps == 0)
    }

    @Test func aWaitShiftsTheScheduleInsteadOfBursting() {
        let clock = FakeClock()
        var pacer = Pacer(.every(nanos: 10_000_000), durationNanos: nil, clock: clock)
        pacer.begin()
        let start = clock.nanos
        #expect(sendTimes(&pacer, 5, clock: clock).count == 5)
        // Record 4 was held 95 ms by backpressure (slot wait) after its turn.
        clock.advance(95_000_000)
        pacer.resume(after: 4)
        var times: [UInt64] = []
        for i in UInt64(5)..<10 {
            let ok = pacer.waitTurn(i, shouldStop: { false }, willSleep: {})
            #expect(ok)
            times.append(clock.nanos)
        }
        // The cadence resumes from the held record: 10 ms apart, no catch-up burst.
        let resumedAt = start + 40_000_000 + 95_000_000
        #expect(times == (1...5).map { resumedAt + UInt64($0) * 10_000_000 })
        #expect(pacer.stats.behindNanos == 95_000_000)
        #expect(abs(pacer.stats.driftNanos) < 1)
    }

    @Test func aHoldOnTheLastRecordIsNoDrift() {
        // A transaction commit (or a full window) holds the last record after its turn: the
        // schedule shift and the send span both include the hold, so the drift stays 0.
        let clock = FakeClock()
        var pacer = Pacer(.every(nanos: 1_000_000), durationNanos: nil, clock: clock)
        pacer.begin()
        #expect(sendTimes(&pacer, 200, clock: clock).count == 200)
        clock.advance(1_500_000)
        pacer.resume(after: 199)
        #expect(pacer.stats.behindNanos == 1_500_000)
        #expect(abs(pacer.stats.driftNanos) < 1)
    }

    @Test func theSummaryAlwaysSignsTheDrift() {
        var r = RunResult()
        r.pacing.paced = true
        _ = r.latenessMicros.record(80)
        (r.pacing.sent, r.pacing.firstIndex, r.pacing.lastIndex, r.pacing.intervalNanos) = (200, 0, 199, 1_000_000)
        (r.pacing.firstDueNanos, r.pacing.lastDueNanos) = (0, 199_000_000)
        r.pacing.firstSendNanos = 1_000_000_000
        for (span, sign) in [(UInt64(199_000_000) - 400, "drift +0.000ms"), (199_000_000 + 400, "drift +0.000ms"),
                             (199_000_000 - 2_000, "drift -0.002ms"), (199_000_000 + 2_000, "drift +0.002ms")] {
            r.pacing.lastSendNanos = r.pacing.firstSendNanos + span
            #expect(Summary.text(r).contains(sign), "\(Summary.text(r))")
        }
    }

    /// Issue 21: rates count delivered records only; a terminal gets the outcome and the
    /// latency on two lines, a script one line; unknown and never-sent are named.
    @Test func theSummaryIsOneLineForScriptsAndTwoOnATerminal() {
        var r = RunResult()
        (r.delivered, r.failed, r.unknown, r.requested, r.attempted) = (6, 2, 2, 12, 10)
        r.elapsedNanos = 2_000_000_000
        r.latency = RunStats.histogram()
        _ = r.latency?.record(5_000)
        r.latencySumMicros = 5_000
        let one = Summary.text(r)
        #expect(one.hasPrefix("kafka-emit: 6 delivered, 2 failed, 2 unknown (possibly stored), 2 never sent in 2.000s (3.0 records/s, "), "\(one)")
        #expect(!one.contains("\n") && one.contains("; latency ms mean=5.00"))
        let two = Summary.text(r, terminal: true).split(separator: "\n")
        #expect(two.count == 2)
        #expect(two.first?.hasSuffix("MB/s)") == true, "\(two)")
        #expect(two.last?.hasPrefix("kafka-emit: latency ms mean=5.00 ") == true, "\(two)")
        r.latency = nil
        #expect(!Summary.text(r, terminal: true).contains("\n"), "no second line without latency")
    }

    @Test func aStalledProcessResumesWithoutBurst() {
        let clock = FakeClock()
        var pacer = Pacer(.every(nanos: 10_000_000), durationNanos: nil, clock: clock)
        pacer.begin()
        _ = sendTimes(&pacer, 3, clock: clock)
        clock.advance(5_000_000_000)   // SIGSTOP for 5 s
        var times: [UInt64] = []
        for i in UInt64(3)..<6 {
            let ok = pacer.waitTurn(i, shouldStop: { false }, willSleep: {})
            #expect(ok)
            times.append(clock.nanos)
        }
        #expect(times[1] - times[0] == 10_000_000 && times[2] - times[1] == 10_000_000)
        #expect(pacer.stats.behindNanos > 4_000_000_000)
    }

    @Test func aStopRequestEndsTheWait() {
        let clock = FakeClock()
        var pacer = Pacer(.every(nanos: 10_000_000_000), durationNanos: nil, clock: clock)
        pacer.begin()
        let ok = pacer.waitTurn(0, shouldStop: { false }, willSleep: {})
        #expect(ok)
        var asked = 0
        let stopped = !pacer.waitTurn(1, shouldStop: { asked += 1; return asked > 2 }, willSleep: {})
        #expect(stopped)
        #expect(clock.sleeps == 2)
    }
}
