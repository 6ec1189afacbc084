/// What `SendLoop` needs from a producer: librdkafka's (`ProducerHandle`), or one that sends
/// nowhere (`NowhereProducer`, the CLI's `--dry-run`). Both serve their reports to the loop
/// through a `ReportServer`, so every record ends in one result either way.
protocol RecordProducer: AnyObject, Sendable {
    /// The server that hands this producer's delivery reports to the loop.
    func makeReportServer(slots: InFlightSlots) throws(EmitError) -> ReportServer
    func topic(named name: String) throws(EmitError) -> TopicID
    /// Hands one record over, tagged with `slot` (producing thread).
    func produce(slot: Int, record: borrowing RecordView, topic: TopicID) -> ProduceOutcome
    func purge(inFlight: Bool)
    var anyBrokerAnswered: Bool { get }
    func checkReachable(topic: TopicID?, deadlineNanos: UInt64, delivered: () -> Bool,
                        shouldStop: () -> Bool, pause: (UInt64) -> Void) -> Reachability
    var transactionGiveUpNanos: UInt64 { get }
    func initTransactions(timeoutMs: Int32) -> TransactionResult
    func beginTransaction() -> TransactionResult
    func commitTransaction(timeoutMs: Int32) -> TransactionResult
    func abortTransaction(timeoutMs: Int32) -> TransactionResult
}

extension ProducerHandle: RecordProducer {
    func makeReportServer(slots: InFlightSlots) throws(EmitError) -> ReportServer {
        try ReportServer(producer: self, slots: slots)
    }
}

/// A producer that sends nowhere (`--dry-run`): each record is delivered at once, on the
/// producing thread, before `produce` returns — through the report server's local path, so
/// the sink gets it as it gets any result. No librdkafka handle, no broker, no reporter
/// thread; the send loop skips the reachability watch for it, and it runs no transactions.
///
/// `@unchecked Sendable` — invariant: the producing thread alone calls it; `reports` is set
/// once, by `makeReportServer`, before the run starts.
final class NowhereProducer: RecordProducer, @unchecked Sendable {
    private var reports: ReportServer?
    private var topicIDs: [String: TopicID] = [:]

    func makeReportServer(slots: InFlightSlots) -> ReportServer {
        let server = ReportServer(localOnly: slots)
        reports = server
        return server
    }

    /// Any name: no broker is asked, and a dry run shows the records as the input gives them.
    func topic(named name: String) -> TopicID {
        if let id = topicIDs[name] { return id }
        let id = TopicID(index: topicIDs.count)
        topicIDs[name] = id
        return id
    }

    func produce(slot: Int, record: borrowing RecordView, topic: TopicID) -> ProduceOutcome {
        reports?.reportLocalDelivery(slot: slot, record: record)
        return .accepted
    }

    /// Nothing is ever queued: each record was reported before `produce` returned.
    func purge(inFlight: Bool) {}
    var anyBrokerAnswered: Bool { false }
    func checkReachable(topic: TopicID?, deadlineNanos: UInt64, delivered: () -> Bool,
                        shouldStop: () -> Bool, pause: (UInt64) -> Void) -> Reachability { .cancelled }
    var transactionGiveUpNanos: UInt64 { 0 }
    func initTransactions(timeoutMs: Int32) -> TransactionResult { .ok }
    func beginTransaction() -> TransactionResult { .ok }
    func commitTransaction(timeoutMs: Int32) -> TransactionResult { .ok }
    func abortTransaction(timeoutMs: Int32) -> TransactionResult { .ok }
}
