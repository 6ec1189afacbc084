import Synchronization

/// Sends a sequence of records to Kafka and reports one `SenderResult` per record, each
/// carrying that record's correlation metadata — Reactor Kafka's `KafkaSender` in Swift.
///
/// Threading: `send` runs on the calling thread (it produces; it blocks while `maxInFlight`
/// records are outstanding) and returns once every record it handed over has been reported.
/// `onResult` is called in completion order and never concurrently with itself — on the
/// sender's reporter thread, or on the calling thread (records librdkafka refuses at once,
/// and reports it serves between records while sending in bulk). Concurrent `send` calls on
/// one sender run one after another.
///
/// It is the same send loop as the `kafka-emit` command: a broker that does not answer
/// within `connectTimeout`, a fatal producer error, or a cancelled `results` stream ends the
/// send, fails what is still queued, and says why in `SendSummary.stoppedBy`.
///
/// Ownership: the sender owns one librdkafka producer, destroyed with the sender; there is
/// nothing to flush, since `send` returns only after every record has its result.
///
/// ```swift
/// let sender = try KafkaSender(options: SenderOptions(bootstrapServers: "localhost:9092"))
/// let records = orders.map { SenderRecord(topic: "orders", key: Array($0.id.utf8), value: $0.json, correlationMetadata: $0.id) }
/// let summary = sender.send(records) { result in
///     if let e = result.error { print("order \(result.correlationMetadata) failed: \(e.message)") }
/// }
/// ```
public final class KafkaSender: Sendable {
    private let producer: ProducerHandle
    private let options: SenderOptions
    /// The running `send`'s stop request (a fresh one per call).
    private let currentStop = Mutex<StopSignal?>(nil)
    /// One send at a time uses the producer's producing-thread state; others queue here.
    private let sendLock = Lock()

    public init(options: SenderOptions) throws(EmitError) {
        self.options = options
        var props = [ConfigProperty("bootstrap.servers", options.bootstrapServers, origin: "SenderOptions")]
        props += KafkaConfig.defaults()
        props.append(KafkaConfig.queueSize(forInFlight: options.maxInFlight, origin: "SenderOptions.maxInFlight"))
        if let id = options.transactionalID { props.append(ConfigProperty("transactional.id", id, origin: "SenderOptions.transactionalID")) }
        for (k, v) in options.properties.sorted(by: { $0.key < $1.key }) {
            props.append(ConfigProperty(k, v, origin: "SenderOptions.properties"))
        }
        producer = try ProducerHandle(properties: props)
    }

    /// Sends every record of `records` (until one fails, with `stopOnError`) and calls
    /// `onResult` once per record sent. Returns when all of them have been reported.
    @discardableResult
    public func send<Correlation: Sendable, Records: Sequence>(
        _ records: Records, onResult: @escaping @Sendable (SenderResult<Correlation>) -> Void
    ) -> SendSummary where Records.Element == SenderRecord<Correlation> {
        var iterator = records.makeIterator()
        return send(stop: StopSignal(), transactional: false, onResult: onResult) { iterator.next().map { .record($0) } }
    }

    /// Reactor Kafka's `sendTransactionally`: each window of records is one transaction
    /// (`SenderOptions.transactionalID` must be set). A record's result comes once its window
    /// committed — `RecordMetadata.transaction` numbers it — or, when the window aborted, as a
    /// failure naming the transaction; with `stopOnError` an aborted window ends the send.
    @discardableResult
    public func sendTransactionally<Correlation: Sendable, Windows: Sequence>(
        _ windows: Windows, onResult: @escaping @Sendable (SenderResult<Correlation>) -> Void
    ) -> SendSummary where Windows.Element: Sequence, Windows.Element.Element == SenderRecord<Correlation> {
        guard options.transactionalID != nil else {
            return SendSummary(stoppedBy: SendError(code: LibrdkafkaInfo.invalidArgCode, name: "_INVALID_ARG",
                                                    message: "sendTransactionally needs SenderOptions.transactionalID"))
        }
        var outer = windows.makeIterator()
        var inner: Windows.Element.Iterator?
        return send(stop: StopSignal(), transactional: true, onResult: onResult) {
            while true {
                if inner != nil {
                    if let r = inner!.next() { return .record(r) }
                    inner = nil
                    return .endOfWindow
                }
                guard let w = outer.next() else { return nil }
                inner = w.makeIterator()
            }
        }
    }

    private func send<Correlation: Sendable>(
        stop: StopSignal, transactional: Bool, onResult: @escaping @Sendable (SenderResult<Correlation>) -> Void,
        next: @escaping () -> SenderChannel<Correlation>.Item?
    ) -> SendSummary {
        sendLock.lock()
        defer { sendLock.unlock() }
        currentStop.withLock { $0 = stop }
        defer { currentStop.withLock { $0 = nil } }
        let slots = max(1, options.maxInFlight)
        let channel = SenderChannel(slots: slots, onResult: onResult, next: next)
        var loopOptions = SendOptions()
        loopOptions.stopOnError = options.stopOnError
        loopOptions.connectTimeoutNanos = Self.nanos(options.connectTimeout)
        if let id = options.transactionalID, transactional {
            loopOptions.transactions = TransactionOptions(transactionalID: id, maxRecords: Int.max, maxNanos: nil, callerWindows: true)
        }
        let loop: SendLoop<SenderChannel<Correlation>>
        do {
            loop = try SendLoop(producer: producer, slots: slots, sink: channel, stop: stop, options: loopOptions)
        } catch {
            return SendSummary(stoppedBy: SendError(code: LibrdkafkaInfo.invalidArgCode, name: "_INVALID_ARG", message: error.message))
        }
        var pacer = Pacer(.unpaced, durationNanos: nil, clock: SystemClock())
        let outcome = loop.run(channel, pacer: &pacer)
        var summary = loop.reports.sinkLock.locked { channel.summary }
        summary.stoppedBy = Self.reason(outcome)
        return summary
    }

    private static func reason(_ outcome: SendOutcome) -> SendError? {
        switch outcome.stopReason {
        case .unreachable:
            if case .topicMissing(let why) = outcome.reachability {
                return SendError(code: LibrdkafkaInfo.unknownTopicCode, name: "UNKNOWN_TOPIC_OR_PART", message: "topic does not exist and was not created (\(why))")
            }
            return SendError(code: LibrdkafkaInfo.transportCode, name: "_TRANSPORT",
                             message: "no broker reachable within the connect timeout" + (outcome.lastClientError.map { " (last error: \($0))" } ?? ""))
        case .fatalError:
            return SendError(code: LibrdkafkaInfo.fatalCode, name: "_FATAL", message: outcome.fatalError ?? "fatal producer error")
        case .deliveryFailed where outcome.transactions != nil:
            return SendError(code: LibrdkafkaInfo.purgeQueueCode, name: "_PURGE_QUEUE", message: "a transaction aborted (stopOnError)")
        case .cancelled:
            return SendError(code: LibrdkafkaInfo.purgeQueueCode, name: "_PURGE_QUEUE", message: "the results stream was cancelled")
        case .incompatibleBroker:
            return SendError(code: LibrdkafkaInfo.transportCode, name: "_TRANSPORT",
                             message: outcome.incompatibleBroker ?? "this librdkafka cannot read the broker's replies")
        case .resourceExhausted:
            return SendError(code: LibrdkafkaInfo.critSysResourceCode, name: "_CRIT_SYS_RESOURCE",
                             message: outcome.resourceError ?? "the system refused a thread or a file descriptor")
        default:
            return nil
        }
    }

    private static func nanos(_ d: Duration) -> UInt64 {
        let (s, atto) = d.components
        guard s >= 0 else { return 0 }
        return UInt64(clamping: s) &* 1_000_000_000 &+ UInt64(atto / 1_000_000_000)
    }

    /// The same as `send(_:onResult:)`, as an `AsyncStream` of results that finishes when
    /// every record has been reported. Producing runs on a thread of its own. A consumer that
    /// stops listening cancels the send: records not yet delivered are purged.
    public func results<Correlation: Sendable, Records: Sequence & Sendable>(
        for records: Records
    ) -> AsyncStream<SenderResult<Correlation>> where Records.Element == SenderRecord<Correlation> {
        let stop = StopSignal()
        return AsyncStream { continuation in
            continuation.onTermination = { termination in
                if case .cancelled = termination { stop.request(.cancelled) }
            }
            do {
                try WorkerThread(name: "kafka-sender") { [self] in
                    var iterator = records.makeIterator()
                    _ = self.send(stop: stop, transactional: false, onResult: { continuation.yield($0) }) { iterator.next().map { .record($0) } }
                    continuation.finish()
                }.detach()
            } catch {
                // No thread to send on (ulimit -u): nothing was sent, the stream ends empty.
                continuation.finish()
            }
        }
    }

    /// Asks the running `send` to stop taking records; records in flight still get results.
    /// (A call made while no send runs has no effect.)
    public func requestStop() { currentStop.withLock { $0?.request(.interrupted) } }

    /// Raises a fatal producer error the way librdkafka delivers a real one (tests).
    func injectFatalError(_ reason: String) { producer.injectFatalError(reason) }
}
