import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// Rate profiles, Poisson arrivals and absolute schedules (SPEC §2c), on a fake clock: each
/// stage's count, the times the cumulative count puts records at, stages as the sink sees
/// them, and what a stall does.
@Suite struct ScheduleTests {
    /// Record send times (ns from the start) until the schedule ends or `limit`.
    func times(_ pacing: Pacing, schedule: ScheduleOptions = ScheduleOptions(), limit: UInt64 = 100_000,
               onSend: (UInt64) -> Void = { _ in }) -> [UInt64] {
        let clock = FakeClock()
        var pacer = Pacer(pacing, durationNanos: nil, clock: clock, schedule: schedule)
        pacer.begin()
        let start = clock.nanos
        var out: [UInt64] = []
        for i in 0..<limit {
            guard pacer.waitTurn(i, shouldStop: { false }, willSleep: {}) else { break }
            out.append(clock.nanos - start)
            onSend(i)
        }
        return out
    }

    @Test func eachStageSendsItsCountAtItsRate() throws {
        let stages = try RateProfileParser.parse("ramp 0..400 1s, hold 400 0.5s, step 100 300 0.5s, sine 200±100 period 0.5s for 1s, burst 1000 for 100ms every 500ms over 50 for 1s")
        #expect(stages.map(\.name) == ["ramp 0..400 1s", "hold 400 0.5s", "step 100 0.5s", "step 300 0.5s",
                                       "sine 200±100 period 0.5s for 1s", "burst 1000 for 100ms every 500ms over 50 for 1s"])
        let cursor = StageCursor(names: stages.map(\.name))
        var o = ScheduleOptions()
        o.stages = cursor
        var perStage = [Int](repeating: 0, count: stages.count)
        let t = times(.profile(stages), schedule: o) { _ in perStage[cursor.stage] += 1 }
        // ∫ rate: 200, 200, 50, 150, 200 (whole periods of the sine), 2 × (100 + 20).
        #expect(perStage == [200, 200, 50, 150, 200, 240])
        #expect(t.count == 1040)
        #expect(zip(t, t.dropFirst()).allSatisfy { $0 <= $1 })
        // The ramp: record i when 400 t²/2 = i.
        for i in [0, 50, 100, 199] {
            let ideal = (Double(2 * i) / 400).squareRoot() * 1e9
            #expect(abs(Double(t[i]) - ideal) < 1000, "ramp record \(i)")
        }
        // The hold starts at 1 s, the steps at 1.5 s and 2 s, the sine at 2.5 s, the burst at 3.5 s.
        #expect(t[200] == 1_000_000_000 && t[400] == 1_500_000_000 && t[450] == 2_000_000_000)
        #expect(t[600] == 2_500_000_000 && t[800] == 3_500_000_000)
        // Bursts open each period: 100 records in its first 100 ms, then 50/s.
        #expect(t[899] - t[800] < 100_000_000 && t[900] - t[800] >= 100_000_000)
        #expect(t.last! < 4_500_000_000)
    }

    @Test func anOpenEndedLastStageRunsOn() throws {
        let stages = try RateProfileParser.parse("hold 1000 1s, hold 10")
        let t = times(.profile(stages), limit: 1100)
        #expect(t.count == 1100)
        #expect(t[1099] - t[1000] == 99 * 100_000_000)
    }

    @Test func poissonGapsAreExponentialWithTheRatesMean() {
        var o = ScheduleOptions()
        o.arrivals = .poisson(seed: 42)
        let t = times(.rate(1000), schedule: o, limit: 20_000)
        let gaps = zip(t, t.dropFirst()).map { Double($1 - $0) / 1e6 }
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        let sd = (gaps.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(gaps.count)).squareRoot()
        #expect(abs(mean - 1) < 0.03, "mean gap \(mean) ms")
        #expect(abs(sd / mean - 1) < 0.05, "coefficient of variation \(sd / mean)")
        // The same seed, the same schedule; another seed, another.
        #expect(times(.rate(1000), schedule: o, limit: 100) == Array(t.prefix(100)))
        o.arrivals = .poisson(seed: 43)
        #expect(times(.rate(1000), schedule: o, limit: 100) != Array(t.prefix(100)))
    }

    @Test func poissonFollowsAProfile() throws {
        var o = ScheduleOptions()
        o.arrivals = .poisson(seed: 7)
        let t = times(.profile(try RateProfileParser.parse("hold 1000 10s, hold 100 10s")), schedule: o)
        let first = t.filter { $0 < 10_000_000_000 }.count, second = t.count - first
        #expect(abs(first - 10_000) < 400 && abs(second - 1000) < 130, "\(first), \(second)")
    }

    @Test func aStallShiftsARelativeScheduleButNotAnAbsoluteOne() {
        for absolute in [false, true] {
            let clock = FakeClock()
            var o = ScheduleOptions()
            o.absolute = absolute
            var pacer = Pacer(.every(nanos: 10_000_000), durationNanos: nil, clock: clock, schedule: o)
            pacer.begin()
            let start = clock.nanos
            var sent: [UInt64] = []
            for i in UInt64(0)..<300 {
                _ = pacer.waitTurn(i, shouldStop: { false }, willSleep: {})
                sent.append(clock.nanos - start)
                if i == 99 { clock.advance(2_000_000_000) }   // a 2 s stall after record 99
            }
            if absolute {
                // Records 100..299 were due by 3 s: they go out at once, then on time.
                #expect(sent[100] == 2_990_000_000 && sent[299] == 2_990_000_000)
                #expect(pacer.stats.behindNanos == 0)
                #expect(pacer.intendedNanos == start + 2_990_000_000)
            } else {
                #expect(sent[100] == 2_990_000_000 && sent[101] == 3_000_000_000 && sent[299] == 4_980_000_000)
                #expect(pacer.stats.behindNanos == 1_990_000_000)
            }
        }
    }

    @Test func replayKeepsTheRecordedGapsAtItsSpeed() {
        // Recorded at 0, 100, 300, 250 (out of order), none, 600, 2600 ms; replayed at 2x with
        // pauses cut to 1 s.
        let stamps: [Int64?] = [5000, 5100, 5300, 5250, nil, 5600, 7600]
        let clock = FakeClock()
        var pacer = Pacer(.replay(speed: 2, maxGapNanos: 1_000_000_000), durationNanos: nil, clock: clock)
        pacer.begin()
        let start = clock.nanos
        var sent: [UInt64] = []
        for (i, ts) in stamps.enumerated() {
            pacer.recordTimestampMillis = ts
            _ = pacer.waitTurn(UInt64(i), shouldStop: { false }, willSleep: {})
            sent.append((clock.nanos - start) / 1_000_000)
        }
        #expect(sent == [0, 50, 150, 150, 150, 300, 800])
        #expect(pacer.stats.replaying && pacer.stats.replayOutOfOrder == 1 && pacer.stats.replayUntimed == 1)
        #expect(abs(pacer.stats.replayDriftNanos) < 1)
    }

    @Test func startAtWaitsForItsTime() {
        let clock = FakeClock()
        var o = ScheduleOptions()
        o.startMonotonic = clock.nanos + 5_000_000_000
        var pacer = Pacer(.unpaced, durationNanos: nil, clock: clock, schedule: o)
        pacer.begin()
        let first = pacer.waitTurn(0, shouldStop: { false }, willSleep: {})
        #expect(first && clock.nanos == o.startMonotonic!)
        let second = pacer.waitTurn(1, shouldStop: { false }, willSleep: {})
        #expect(second && clock.nanos == o.startMonotonic!)
    }

    @Test(arguments: [
        ("ramp 0..2000", "is not a stage; write ramp FROM..TO DURATION"),
        ("ramp 0-10 5s", "is not a stage; write ramp FROM..TO DURATION"),
        ("hold x 5s", "'x' in 'hold x 5s' is not a number of records per second"),
        ("hold 10 5", "'5' has no unit; write 5ms or 5s"),
        ("sine 100±200 period 1s for 5s", "the amplitude 200 is larger than the mean 100"),
        ("burst 10 for 5s every 5s over 1", "must be shorter than its period"),
        ("hold 10, hold 20 5s", "'hold 10' has no end"),
        ("hold 0", "would never send"),
        ("ramp 0..10 1s,", "stage 2 is empty"),
        ("spike 10 1s", "unknown stage 'spike'"),
        ("hold 20000000 1s", "out of range"),
    ])
    func badProfilesSayWhatToWrite(spec: String, says: String) {
        #expect(throws: EmitError.self) { try RateProfileParser.parse(spec) }
        do { _ = try RateProfileParser.parse(spec) } catch {
            #expect(error.message.contains(says), "\(error.message)")
            #expect(error.message.hasPrefix("--rate-profile"))
        }
    }
}
