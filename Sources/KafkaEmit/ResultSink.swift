/// Turns delivery reports into result lines and statistics. Runs on the reporter thread or the
/// producing thread (see `DeliveryHandler`), always under the engine's lock.
/// `@unchecked Sendable`: that lock serialises every call into it; the run reads its
/// stats only after the reporter thread has been joined.
final class ResultSink: DeliveryHandler, @unchecked Sendable {
    let writer: OutputWriter
    let formatter: ResultFormatter
    let stats = RunStats()
    private let correlations: CorrelationStore
    private let scratch = ByteBuffer(capacity: 64)
    private let stop: StopSignal
    private let stopOnError: Bool
    private let verbose: Bool
    private let stderrFD: Int32
    private let formatsResults: Bool
    private var reportedFatal = false
    /// Last error event seen from librdkafka (for the unreachable-broker message).
    private(set) var lastClientError: String?
    /// Why records were purged, shown instead of librdkafka's "Purged in queue".
    var purgeReason: String?

    init(writer: OutputWriter, formatter: ResultFormatter, correlations: CorrelationStore, stop: StopSignal,
         stopOnError: Bool, verbose: Bool, stderrFD: Int32, formatsResults: Bool) {
        self.writer = writer
        self.formatter = formatter
        self.correlations = correlations
        self.stop = stop
        self.stopOnError = stopOnError
        self.verbose = verbose
        self.stderrFD = stderrFD
        self.formatsResults = formatsResults
    }

    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        let buffer = writer.buffer
        for r in reports {
            let latencyMicros = r.latencyMicros(now: nowNanos)
            if r.errorCode == 0 {
                stats.recordDelivered(bytes: (r.key?.count ?? 0) + (r.value?.count ?? 0), latencyMicros: latencyMicros)
            } else {
                stats.recordFailed()
                if stopOnError { stop.request(.deliveryFailed) }
            }
            guard formatsResults else { continue }
            let delivered = r.errorCode == 0
            let purged = r.errorCode == Self.purgeQueue || r.errorCode == Self.purgeInflight
            let view = ResultView(
                delivered: delivered, partition: r.partition, offset: r.offset,
                timestampMillis: r.timestampMillis, latencyMicros: latencyMicros,
                key: r.key, value: r.value,
                correlation: correlations.correlation(slot: r.slot, scratch: scratch),
                errorName: delivered ? "" : r.errorName,
                errorMessage: delivered ? "" : (purged ? purgeReason ?? r.errorMessage : r.errorMessage))
            formatter.append(view, to: buffer)
            writer.lineDone()
        }
        checkWriter()
    }

    private static let purgeQueue = LibrdkafkaInfo.purgeQueueCode
    private static let purgeInflight = LibrdkafkaInfo.purgeInflightCode

    func idle() {
        writer.flush()
        checkWriter()
    }

    @inline(__always) private func checkWriter() {
        if writer.closed { stop.request(.outputClosed) } else if writer.failure != nil { stop.request(.outputError) }
    }

    func clientError(code: Int32, message: String, fatal: Bool) {
        lastClientError = message
        if fatal && !reportedFatal {
            reportedFatal = true
            writeAll(stderrFD, "kafka-emit: fatal producer error: \(message)\n")
            stop.request(.deliveryFailed)
        } else if verbose {
            writeAll(stderrFD, "kafka-emit: broker: \(LibrdkafkaInfo.errorName(code)): \(message)\n")
        }
    }
}
