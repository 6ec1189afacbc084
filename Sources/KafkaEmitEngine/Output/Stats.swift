@_spi(Engine) import KafkaEmit
import Histogram

/// Delivered bytes and the delivery-latency distributions of a run (counts live in the send
/// loop): the whole run's, and the current window's (`--stats-interval`, `--histogram-log`),
/// which the stats ticker takes and resets. Updated under the report server's sink lock.
final class RunStats {
    /// Records numbered below this are warm-up: sent, but kept out of the latency figures.
    let warmup: UInt64
    /// Whether the current window's distribution is kept (a ticker reads it).
    let keepsWindows: Bool
    // Updated once per record by one thread at a time: no dynamic exclusivity checks.
    @exclusivity(unchecked) private(set) var deliveredBytes: UInt64 = 0
    @exclusivity(unchecked) private(set) var warmupExcluded = 0
    /// Delivery latency in microseconds.
    @exclusivity(unchecked) private(set) var latency = RunStats.histogram()
    /// The exact sum of what `latency` holds: its mean without walking the histogram (which
    /// costs ~2M instructions, an eighth of a one-record run).
    @exclusivity(unchecked) private(set) var latencySumMicros: UInt64 = 0
    @exclusivity(unchecked) private(set) var window = RunStats.histogram()
    /// With `--rate-profile`: the same, per stage (a record counts in the stage it was sent in).
    @exclusivity(unchecked) private(set) var stageLatency: [Histogram<UInt64>]
    @exclusivity(unchecked) private(set) var stageSumMicros: [UInt64]
    @exclusivity(unchecked) private(set) var stageWindow: [Histogram<UInt64>]

    init(warmup: UInt64 = 0, keepsWindows: Bool = false, stages: Int = 0) {
        self.warmup = warmup
        self.keepsWindows = keepsWindows
        stageLatency = (0..<stages).map { _ in RunStats.histogram() }
        stageSumMicros = [UInt64](repeating: 0, count: stages)
        stageWindow = keepsWindows ? (0..<stages).map { _ in RunStats.histogram() } : []
    }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
    }

    /// `stage`: the `--rate-profile` stage the record was sent in (ignored without one).
    @inline(__always) func recordDelivered(index: UInt64, bytes: Int, latencyMicros: UInt64, stage: Int = 0) {
        deliveredBytes &+= UInt64(bytes)
        if index < warmup {
            warmupExcluded += 1
            return
        }
        _ = latency.record(latencyMicros)
        latencySumMicros &+= latencyMicros
        if keepsWindows { _ = window.record(latencyMicros) }
        if stage < stageLatency.count {
            _ = stageLatency[stage].record(latencyMicros)
            stageSumMicros[stage] &+= latencyMicros
            if keepsWindows { _ = stageWindow[stage].record(latencyMicros) }
        }
    }

    /// The window so far, and a fresh one from now (the ticker, holding the sink lock); with
    /// a rate profile, each stage's part of it too.
    func takeWindow() -> (all: Histogram<UInt64>, stages: [Histogram<UInt64>]) {
        defer {
            window.reset()
            for k in stageWindow.indices { stageWindow[k].reset() }
        }
        return (window, stageWindow)
    }
}
