/// Where each record's result goes: the CLI's result lines and statistics, or the library's
/// callback. Calls other than `willSend` come in completion order, one at a time, holding the
/// report server's sink lock (see "Threads" in SendLoop.swift).
package protocol ResultSink: AnyObject, Sendable {
    /// Producing thread, before the record is handed over: keep what its result needs
    /// (correlation, topic) under `slot`.
    func willSend(slot: Int, record: RecordView, topic: TopicID)
    /// Results of a batch of records. `reports[k].detail` already carries the reason for
    /// records the run purged.
    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64)
    /// No report is waiting: flush buffered output.
    func idle()
}
