/// A record's outcome (SPEC §4). `unknown`: librdkafka reports a failure, but the record may
/// have been stored — it was in flight when it timed out or was purged, or its connection
/// went away with the request out (`rd_kafka_message_status` = possibly persisted).
package enum RecordOutcome: UInt8, Sendable {
    case delivered, failed, unknown
}

/// A delivery report copied out of librdkafka's message before the event is destroyed.
/// `key` and `value` point into the message and are valid only during the handler call.
/// Trivial (no references), so a batch of them costs no retain/release.
package struct DeliveryReport {
    /// The in-flight slot the record occupied; index into the sink's per-record state.
    package var slot: Int
    /// 0 on success, else a librdkafka `rd_kafka_resp_err_t` code.
    package var errorCode: Int32
    package var partition: Int32
    /// The broker's offset, or -1 when it reported none (acks=0, acknowledged implicitly).
    package var offset: Int64
    package var timestampMillis: Int64
    package var key: UnsafeRawBufferPointer?
    package var value: UnsafeRawBufferPointer?
    /// Monotonic time the record was handed to librdkafka.
    var sentNanos: UInt64
    /// librdkafka's message or our reason (UTF-8, NUL bytes kept), valid during the handler
    /// call; nil means the description of `errorCode`.
    package var detail: UnsafeRawBufferPointer?
    /// The record's headers, read only when a sink asked for them (`%h`); valid during the
    /// handler call.
    package var headers: MessageHeaders? = nil
    /// The transaction it was committed in (-1: none).
    package var transaction: Int64 = -1
    /// Failed because its transaction aborted or could not commit (the window's outcome).
    var transactionFailed = false
    /// Reported before librdkafka took it (refused, malformed input): its slot was never
    /// counted as sent.
    var local = false
    /// Failed, but possibly persisted (see `RecordOutcome.unknown`).
    var possiblyPersisted = false

    var succeeded: Bool { errorCode == 0 }
    package var outcome: RecordOutcome { errorCode == 0 ? .delivered : possiblyPersisted ? .unknown : .failed }

    /// Microseconds from handing the record to librdkafka to `nowNanos`.
    @inline(__always) package func latencyMicros(now nowNanos: UInt64) -> UInt64 {
        nowNanos > sentNanos ? (nowNanos - sentNanos) / 1000 : 0
    }
    var errorName: String { LibrdkafkaInfo.errorName(errorCode) }
    var errorMessage: String { detail.map { String(decoding: $0, as: UTF8.self) } ?? LibrdkafkaInfo.errorDescription(errorCode) }
}

/// Receives delivery reports, in completion order, one call at a time (the report server's
/// locks serialise them; see "Threads" in SendLoop.swift).
protocol DeliveryHandler: AnyObject, Sendable {
    /// A batch of reports; `nowNanos` is one monotonic reading for the batch.
    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64)
    /// The reporter is about to block: flush buffered output.
    func idle()
    /// An ERROR event from librdkafka (broker down, fatal idempotence error, ...).
    func clientError(code: Int32, message: String, fatal: Bool)
    /// librdkafka's statistics JSON (`statistics.interval.ms`), valid during the call. The only
    /// call not made holding the sink lock.
    func statistics(_ json: UnsafeRawBufferPointer)
}
