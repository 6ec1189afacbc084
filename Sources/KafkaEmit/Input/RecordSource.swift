/// One outgoing header: name and value bytes; a nil value is a null header value.
package struct RecordHeaderView {
    package var name: UnsafeRawBufferPointer
    package var value: UnsafeRawBufferPointer?

    package init(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        self.name = name
        self.value = value
    }
}

/// One record as a source lends it. Every view is valid until the source's next call.
package struct RecordView {
    /// The record's number (`{i}`): generated records count from 0, lines mode counts lines.
    package var index: UInt64
    /// nil = null key.
    package var key: UnsafeRawBufferPointer?
    /// nil = null value (a tombstone).
    package var value: UnsafeRawBufferPointer?
    package var headers: UnsafeBufferPointer<RecordHeaderView>
    /// -1 = librdkafka's partitioner.
    package var partition: Int32 = -1
    /// Milliseconds since the epoch; 0 = librdkafka's (the time of sending).
    package var timestampMillis: Int64 = 0
    /// nil = the run's topic (`-t`).
    package var topic: UnsafeRawBufferPointer? = nil
    /// The correlation id; empty when it is the record number (`{i}`), which the sink keeps
    /// as a number instead.
    package var correlation: UnsafeRawBufferPointer
    /// Why this record could not be built (a `--timestamp` that rendered no timestamp), as
    /// UTF-8 lent like the rest: it is reported like a malformed input unit instead of being
    /// sent. (Bytes, not a `String`: a view with no reference in it is copied bitwise — the
    /// send loop, in another module than the sources, copies it through value witnesses.)
    package var buildError: UnsafeRawBufferPointer? = nil

    package init(index: UInt64, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
                 headers: UnsafeBufferPointer<RecordHeaderView>, partition: Int32 = -1, timestampMillis: Int64 = 0,
                 topic: UnsafeRawBufferPointer? = nil, correlation: UnsafeRawBufferPointer, buildError: UnsafeRawBufferPointer? = nil) {
        (self.index, self.key, self.value, self.headers, self.partition) = (index, key, value, headers, partition)
        (self.timestampMillis, self.topic, self.correlation, self.buildError) = (timestampMillis, topic, correlation, buildError)
    }

    package static var noHeaders: UnsafeBufferPointer<RecordHeaderView> { UnsafeBufferPointer(start: nil, count: 0) }
    package static var noBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: nil, count: 0) }
}

/// What `advance` found.
package enum SourceEvent: Equatable {
    /// A record is ready: read `index`, then build it with `record()`.
    case ready
    /// No more records (input ended, `--count` reached, stopped or past `--duration`).
    case end
    /// The current input unit is not a valid record; the message says why (exit 65, or a
    /// failed result with --continue-on-error).
    case malformed(String)
    /// The current input unit can never be sent (larger than `message.max.bytes`): a failed
    /// result with librdkafka's error code.
    case failed(code: Int32, message: String)
    /// The caller's transaction window ends here (`KafkaSender.sendTransactionally`).
    case endOfWindow
}

/// Where records come from: one type per input kind (generated from templates, delimited
/// lines, JSON envelopes, ...). The send loop asks for one record at a time and never looks
/// at how it was made.
package protocol RecordSource: AnyObject {
    /// The monotonic time at which waiting for input ends the stream (`--duration`); 0 = none.
    func begin(inputDeadlineNanos: UInt64)
    /// Moves to the next record, reading its input. Throws for an input that cannot be read.
    func advance() throws(EmitError) -> SourceEvent
    /// The current record's number, known before it is built (pacing deadlines use it).
    var index: UInt64 { get }
    /// Builds the current record. Called after pacing, so `{ts}` and `{now}` are send times.
    func record() -> RecordView
    /// The current malformed input's correlation, rendered from its raw bytes alone.
    func malformedCorrelation() -> UnsafeRawBufferPointer
    /// Changes whenever the source may have waited for its input (a read, the caller's
    /// sequence). Records made between two changes, sent back to back, share one clock
    /// reading for their send time; a source that never waits keeps it at 0.
    var inputEpoch: UInt64 { get }
    /// The current record's own timestamp in the input (a JSON envelope's `ts`, rpk's `%d`),
    /// known after `advance`: what `--replay` paces by. nil when it has none.
    var inputTimestampMillis: Int64? { get }
}

extension RecordSource {
    package func begin(inputDeadlineNanos: UInt64) {}
    package var inputEpoch: UInt64 { 0 }
    package var inputTimestampMillis: Int64? { nil }
}

/// Where a bad input unit is, for people and for scripts at once: "input line 2 ({i}=1)".
/// Lines count from 1, as editors show them; `{i}` (and the default correlation) from 0, as
/// the template contract says — the message names both, so neither is mistaken for the other.
package func inputPosition(_ unit: String, _ index: UInt64) -> String {
    "input \(unit) \(index + 1) ({i}=\(index))"
}
