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

    init(warmup: UInt64 = 0, keepsWindows: Bool = false) {
        self.warmup = warmup
        self.keepsWindows = keepsWindows
    }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
    }

    @inline(__always) func recordDelivered(index: UInt64, bytes: Int, latencyMicros: UInt64) {
        deliveredBytes &+= UInt64(bytes)
        if index < warmup {
            warmupExcluded += 1
            return
        }
        _ = latency.record(latencyMicros)
        latencySumMicros &+= latencyMicros
        if keepsWindows { _ = window.record(latencyMicros) }
    }

    /// The window so far, and a fresh one from now (the ticker, holding the sink lock).
    func takeWindow() -> Histogram<UInt64> {
        defer { window.reset() }
        return window
    }
}
