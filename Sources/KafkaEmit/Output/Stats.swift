import Histogram

/// Delivered bytes and the delivery-latency distribution of a run (counts live in the send
/// loop). Updated under the report server's sink lock.
final class RunStats {
    // Updated once per record by one thread at a time: no dynamic exclusivity checks.
    @exclusivity(unchecked) private(set) var deliveredBytes: UInt64 = 0
    /// Delivery latency in microseconds.
    @exclusivity(unchecked) private(set) var latency = Histogram<UInt64>(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)

    @inline(__always) func recordDelivered(bytes: Int, latencyMicros: UInt64) {
        deliveredBytes &+= UInt64(bytes)
        _ = latency.record(latencyMicros)
    }
}
