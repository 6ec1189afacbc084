/// How a send loop behaves, whoever runs it (CLI or `KafkaSender`).
struct SendOptions {
    /// The topic of records that name none (`-t`); nil when every record names its own.
    var defaultTopic: String?
    var connectTimeoutNanos: UInt64 = 10_000_000_000
    /// Stop taking records after the first failed one (records in flight still report).
    var stopOnError = true
    /// Serve reports on the producing thread between records (bulk and fast-paced sends);
    /// slower paces leave them to the reporter, which answers each report at once.
    var servesReportsOnProducer = true
    /// Diagnostics for a person (fatal client errors; broker events when verbose). Called
    /// holding the sink lock.
    var diagnostic: (@Sendable (String) -> Void)?
    var verbose = false
    /// Send in transactions (the producer has a `transactional.id`).
    var transactions: TransactionOptions?
    /// Send only records i with i mod count = index (`--shard K/N`).
    var shard: (index: UInt64, count: UInt64)?
    /// Where librdkafka's statistics JSON goes (`--stats-file`); called on the serving thread.
    var statistics: (@Sendable (UnsafeRawBufferPointer) -> Void)?
}
