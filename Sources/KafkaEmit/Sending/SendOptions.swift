/// How a send loop behaves, whoever runs it (CLI or `KafkaSender`).
package struct SendOptions {
    /// The topic of records that name none (`-t`); nil when every record names its own.
    package var defaultTopic: String?
    package var connectTimeoutNanos: UInt64 = 10_000_000_000
    /// Stop taking records after the first failed one (records in flight still report).
    package var stopOnError = true
    /// Serve reports on the producing thread between records (bulk and fast-paced sends);
    /// slower paces leave them to the reporter, which answers each report at once.
    package var servesReportsOnProducer = true
    /// Diagnostics for a person (fatal client errors; broker events when verbose). Called
    /// holding the sink lock.
    package var diagnostic: (@Sendable (String) -> Void)?
    package var verbose = false
    /// Send in transactions (the producer has a `transactional.id`).
    package var transactions: TransactionOptions?
    /// Gets how long each commit took, in microseconds (producing thread).
    package var recordCommit: ((UInt64) -> Void)?
    /// Send only records i with i mod count = index (`--shard K/N`).
    package var shard: (index: UInt64, count: UInt64)?
    /// Where librdkafka's statistics JSON goes (`--stats-file`); called on the serving thread,
    /// not necessarily holding the sink lock, so it orders its own writes.
    package var statistics: (@Sendable (UnsafeRawBufferPointer) -> Void)?

    /// Latency from each record's place on the schedule rather than from its hand-over to
    /// librdkafka (`--latency-from intended`; the pacer's schedule is then absolute).
    package var latencyFromIntended = false
    /// `--rebase-timestamps`: records keep no timestamp of their own (librdkafka stamps the send).
    package var rebaseTimestamps = false

    package init() {}
}
