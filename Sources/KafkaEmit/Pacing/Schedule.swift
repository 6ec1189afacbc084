import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One stage of a `--rate-profile` (SPEC §2c): a rate that is a function of the time since
/// the stage began, for a duration (the last stage may be open-ended: the run then ends by
/// `--count`, `--duration` or a signal).
package struct RateStage: Sendable, Equatable {
    package enum Shape: Sendable, Equatable {
        /// A constant rate (records/s); 0 is a pause.
        case hold(Double)
        /// From one rate to another, linearly.
        case ramp(from: Double, to: Double)
        /// mean + amplitude × sin(2πt / period); amplitude ≤ mean.
        case sine(mean: Double, amplitude: Double, periodSeconds: Double)
        /// Each period starts with `burstSeconds` at `rate`, then `base` for the rest: bursts
        /// at 0, P, 2P, … of the stage.
        case burst(rate: Double, burstSeconds: Double, periodSeconds: Double, base: Double)
    }
    package var shape: Shape
    /// nil: until the run ends otherwise.
    package var seconds: Double?
    /// As the summary and progress lines name it (`ramp 0..2000 30s`).
    package var name: String

    package init(_ shape: Shape, seconds: Double?, name: String) {
        self.shape = shape
        self.seconds = seconds
        self.name = name
    }

    /// Records due in the first `t` seconds of the stage (the integral of the rate).
    func count(at t: Double) -> Double {
        switch shape {
        case .hold(let r): return r * t
        case .ramp(let a, let b):
            guard let d = seconds, d > 0 else { return a * t }
            return a * t + (b - a) * t * t / (2 * d)
        case .sine(let m, let amp, let p):
            return m * t + amp * p / (2 * Double.pi) * (1 - cos(2 * Double.pi * t / p))
        case .burst(let r, let d, let p, let base):
            let perPeriod = r * d + base * (p - d)
            let periods = (t / p).rounded(.down)
            let inPeriod = t - periods * p
            let partial = inPeriod <= d ? r * inPeriod : r * d + base * (inPeriod - d)
            return periods * perPeriod + partial
        }
    }

    /// The time within the stage at which `n` records are due; `from` is a time at or before
    /// the answer (the previous record's), for the shapes solved numerically.
    func time(ofCount n: Double, from: Double) -> Double {
        switch shape {
        case .hold(let r): return n / r
        case .ramp(let a, let b):
            if n <= 0 { return 0 }
            guard let d = seconds, d > 0 else { return n / a }
            // (k/2)t² + a·t − n = 0 with k = (b − a)/d, in the form that stays exact when a = 0
            // or k → 0: t = 2n / (a + √(a² + 2kn)).
            let k = (b - a) / d
            let root = (a * a + 2 * k * n).squareRoot()
            return a + root > 0 ? 2 * n / (a + root) : d
        case .sine(let m, _, _):
            // Newton on count(t) − n, kept inside [lo, hi] (bisection when a step leaves it):
            // count is increasing because amplitude ≤ mean.
            var lo = from, hi = max(from, n / max(m, 1e-9) + 1)
            while count(at: hi) < n { hi *= 2 }
            var t = min(max(from, n / m), hi)
            for _ in 0..<60 {
                let f = count(at: t) - n
                if abs(f) < 1e-9 { break }
                if f > 0 { hi = t } else { lo = t }
                let slope = rate(at: t)
                var next = slope > 0 ? t - f / slope : (lo + hi) / 2
                if !(next > lo && next < hi) { next = (lo + hi) / 2 }
                if abs(next - t) < 1e-12 { t = next; break }
                t = next
            }
            return t
        case .burst(let r, let d, let p, let base):
            let perPeriod = r * d + base * (p - d)
            let periods = (n / perPeriod).rounded(.down)
            let rest = n - periods * perPeriod
            if rest <= r * d { return periods * p + rest / r }
            return periods * p + d + (rest - r * d) / base
        }
    }

    func rate(at t: Double) -> Double {
        switch shape {
        case .hold(let r): return r
        case .ramp(let a, let b): return seconds.map { a + (b - a) * t / $0 } ?? a
        case .sine(let m, let amp, let p): return m + amp * sin(2 * Double.pi * t / p)
        case .burst(let r, let d, let p, let base):
            return t - (t / p).rounded(.down) * p < d ? r : base
        }
    }
}

/// How sends are spread in time (SPEC §2c `--arrivals`).
package enum Arrivals: Sendable, Equatable {
    /// Evenly spaced: record i when i records are due.
    case uniform
    /// Exponential gaps with the same mean (a Poisson process; with a profile, one whose rate
    /// follows it: unit-rate arrival times mapped through the profile's cumulative count).
    case poisson(seed: UInt64)
}

/// The stage the producing thread is sending in, for the result sink (which stamps each
/// record's slot with it) and the progress lines (which name it).
package final class StageCursor: Sendable {
    package let names: [String]
    private let current = Atomic<Int>(0)
    package init(names: [String]) { self.names = names }
    @inline(__always) package var stage: Int { current.load(ordering: .relaxed) }
    func enter(_ stage: Int) { current.store(stage, ordering: .relaxed) }
}

/// Record i's offset from the schedule's start, for the schedules that are not a fixed
/// interval: rate profiles and Poisson arrivals. Asked for increasing i (shards skip some);
/// keeps where it is, so each record costs O(1) (a few Newton steps for a sine).
struct VariableSchedule {
    private let stages: [RateStage]
    private var poisson: UInt64?   // the generator's state, for Poisson arrivals
    /// Stage k begins at `stageStart` seconds, with `stageCount` records due before it.
    private var stage = 0
    private var stageStart = 0.0
    private var stageCount = 0.0
    private var lastTime = 0.0
    /// Arrival "number" so far: i for uniform arrivals, the sum of i unit exponentials else.
    private var arrival = 0.0
    private var arrivalIndex: UInt64 = 0
    let cursor: StageCursor?

    init(stages: [RateStage], arrivals: Arrivals, cursor: StageCursor?) {
        self.stages = stages
        if case .poisson(let seed) = arrivals { poisson = seed }
        self.cursor = cursor
    }

    /// Seconds from the start at which record `i` is due; nil when the profile has ended.
    mutating func offset(of i: UInt64) -> Double? {
        let n = count(of: i)
        while stage < stages.count {
            let s = stages[stage]
            if let d = s.seconds {
                let inStage = s.count(at: d)
                if n >= stageCount + inStage {
                    stage += 1
                    stageStart += d
                    stageCount += inStage
                    lastTime = 0
                    continue
                }
            }
            cursor?.enter(stage)
            let t = s.time(ofCount: n - stageCount, from: lastTime)
            lastTime = t
            return stageStart + t
        }
        return nil
    }

    /// Arrival number of record i: i itself, or the sum of i unit exponential gaps.
    private mutating func count(of i: UInt64) -> Double {
        guard var state = poisson else { return Double(i) }
        while arrivalIndex < i {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            let u = (Double(z >> 11) + 1) / 9_007_199_254_740_992   // (0, 1]
            arrival += -log(u)
            arrivalIndex += 1
        }
        poisson = state
        return arrival
    }
}
