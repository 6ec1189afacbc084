import Histogram

/// Counts and latency distribution of a run. Updated under the engine's lock (by the
/// reporter, and by the producing thread for produce-time failures).
public final class RunStats {
    public private(set) var delivered = 0
    public private(set) var failed = 0
    public private(set) var deliveredBytes: UInt64 = 0
    /// Delivery latency in microseconds.
    public private(set) var latency = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)

    public init() {}

    @inline(__always) func recordDelivered(bytes: Int, latencyMicros: UInt64) {
        delivered += 1
        deliveredBytes &+= UInt64(bytes)
        _ = latency.record(latencyMicros)
    }

    func recordFailed() {
        failed += 1
    }

    public var total: Int { delivered + failed }
}

/// Pacing figures: how late records went out against their schedule.
public struct PacingStats: Sendable {
    public var latenessMicros = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
    /// Total time the schedule was shifted because the sender could not keep up.
    public var behindNanos: UInt64 = 0
    public var paced = false
    /// Monotonic send times of the first and last record, the last record's number and the
    /// schedule's interval: what drift and achieved rate are computed from.
    public var firstSendNanos: UInt64 = 0
    public var lastSendNanos: UInt64 = 0
    public var lastIndex: UInt64 = 0
    public var intervalNanos: Double = 0
    public init() {}

    /// Actual first-to-last send span minus the ideal one (and minus deliberate shifts), in ns.
    public var driftNanos: Double {
        guard lastIndex > 0 else { return 0 }
        return Double(lastSendNanos - firstSendNanos) - Double(lastIndex) * intervalNanos - Double(behindNanos)
    }

    /// Records per second actually achieved between the first and the last send.
    public var achievedRate: Double {
        guard lastIndex > 0, lastSendNanos > firstSendNanos else { return 0 }
        return Double(lastIndex) / (Double(lastSendNanos - firstSendNanos) / 1e9)
    }
}

/// Fixed-point formatting without Foundation.
public enum Fmt {
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let v = (abs(x) * scale).rounded()
        guard v < 9e18 else { return "\(x)" }
        let n = UInt64(v)
        let whole = n / UInt64(scale)
        let frac = n % UInt64(scale)
        var s = (x < 0 && n != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            var f = String(frac)
            while f.count < digits { f = "0" + f }
            s += "." + f
        }
        return s
    }

    /// Microseconds as milliseconds with adaptive precision.
    public static func millis(micros: UInt64) -> String {
        let ms = Double(micros) / 1000
        return ms < 10 ? fixed(ms, 2) : ms < 100 ? fixed(ms, 1) : fixed(ms, 0)
    }

    public static func seconds(nanos: UInt64) -> String {
        fixed(Double(nanos) / 1e9, Double(nanos) < 10e9 ? 3 : 1) + "s"
    }
}
