import Synchronization

/// Sends records to Kafka and reports one result per record, carrying that record's
/// correlation metadata — Reactor Kafka's `KafkaSender` in Swift.
///
/// One sender is one librdkafka producer, shared by every caller: any number of tasks may
/// call ``send(_:)-(SenderRecord<C>)`` at once, and their records travel together in
/// librdkafka's batches, each caller suspended only until its own record's result is back.
/// Streams of records go through ``send(_:bufferSize:)-1n9k0``: a stream of
/// records in, a stream of ``SenderResult``s out, with bounded buffering.
///
/// ```swift
/// let sender = try KafkaSender(options: SenderOptions(bootstrapServers: "localhost:9092"))
/// let metadata = try await sender.send(SenderRecord(topic: "orders", key: "o-1".utf8, value: json.utf8))
///
/// for try await result in sender.send(orders.map { SenderRecord(topic: "orders", key: $0.id.utf8, value: $0.json.utf8, correlationMetadata: $0.id) }) {
///     if let error = result.error { log("order \(result.correlationMetadata): \(error)") }
/// }
/// await sender.close()
/// ```
///
/// Underneath is the `kafka-emit` command's own send loop, on a thread of the sender's: a
/// broker that does not answer within ``SenderOptions/connectTimeout`` fails what was sent
/// meanwhile (``KafkaSenderError/Cause/brokerUnreachable``), a fatal producer error fails
/// everything after it, and every record ends in exactly one result.
///
/// Lifetime: ``close()`` sends what was handed over and waits for every result. A sender
/// released without `close()` still delivers what it holds, on its own thread, unless the
/// process exits first.
public final class KafkaSender: Sendable {
    private let engine: SenderEngine
    private let options: SenderOptions

    /// Creates the producer. Nothing connects until the first record is sent.
    ///
    /// - Throws: ``KafkaSenderError`` with ``KafkaSenderError/Cause/invalidConfiguration``
    ///   when librdkafka refuses a property, ``KafkaSenderError/Cause/resourceExhausted`` when
    ///   the system refuses a thread.
    public init(options: SenderOptions) throws(KafkaSenderError) {
        self.options = options
        var props = [ConfigProperty("bootstrap.servers", options.bootstrapServers, origin: "SenderOptions.bootstrapServers")]
        props += KafkaConfig.defaults()
        props.append(KafkaConfig.queueSize(forInFlight: options.maxInFlight, origin: "SenderOptions.maxInFlight"))
        if let id = options.transactionalID { props.append(ConfigProperty("transactional.id", id, origin: "SenderOptions.transactionalID")) }
        for (k, v) in options.properties.sorted(by: { $0.key < $1.key }) {
            props.append(ConfigProperty(k, v, origin: "SenderOptions.properties"))
        }
        let producer: ProducerHandle
        do {
            producer = try ProducerHandle(properties: props, hints: .library)
        } catch {
            if case .resource(let why) = error { throw KafkaSenderError(cause: .resourceExhausted, message: why) }
            throw KafkaSenderError(cause: .invalidConfiguration, code: LibrdkafkaInfo.invalidArgCode, message: error.message)
        }
        engine = SenderEngine(producer: producer, options: options)
    }

    deinit { engine.close() }

    // MARK: async

    /// Sends one record and returns where it landed. Any number of tasks may call this at
    /// once; their records share the producer's batches.
    ///
    /// - Throws: ``KafkaSenderError`` when the record was not delivered; its
    ///   ``KafkaSenderError/possiblyPersisted`` says whether it may have been stored anyway.
    public func send<C: Sendable>(_ record: SenderRecord<C>) async throws(KafkaSenderError) -> RecordMetadata {
        if options.transactionalID != nil {
            throw KafkaSenderError(cause: .invalidUsage, message: "a transactional sender sends in transactions: use sendTransactionally")
        }
        let outgoing = OutgoingRecord(record)
        let result = await withUnsafeContinuation { (c: UnsafeContinuation<Result<RecordMetadata, KafkaSenderError>, Never>) in
            if let refused = engine.submit(.record(outgoing, .task(c))) { c.resume(returning: .failure(refused)) }
        }
        return try result.get()
    }

    /// Sends every record of `records` and returns their results as they complete, each with
    /// its correlation metadata. At most `bufferSize` (default
    /// ``SenderOptions/streamBufferSize``) records of this stream are in flight or unread.
    public func send<C: Sendable, Records: AsyncSequence & SendableMetatype>(
        _ records: sending Records, bufferSize: Int? = nil
    ) -> SenderResults<C> where Records.Element == SenderRecord<C>, Records.AsyncIterator: SendableMetatype {
        let stream = ResultStream<C>(capacity: bufferSize ?? options.streamBufferSize, stopOnError: options.stopOnError)
        let engine = self.engine
        return feed(stream) {
            var iterator = records.makeAsyncIterator()
            while let r = try await iterator.next() {
                guard let token = await stream.admit(r.correlationMetadata) else { return }
                if let refused = engine.submit(.record(OutgoingRecord(r), .receiver(stream, token: token))) {
                    return stream.refuse([token], refused)
                }
            }
        }
    }

    /// Reads the caller's sequence on a task of its own (`body`), ending the stream when it
    /// returns or throws; cancelling the stream cancels the task.
    private func feed<C>(_ stream: ResultStream<C>, _ body: sending @escaping () async throws -> Void) -> SenderResults<C> {
        let task = Task {
            do {
                try await body()
                stream.inputEnded(nil)
            } catch {
                stream.inputEnded(error)
            }
        }
        stream.feederTask.withLock { $0 = task }
        return SenderResults(stream: stream)
    }

    /// ``send(_:bufferSize:)-1n9k0`` for records already at hand (an array, a lazy sequence).
    public func send<C: Sendable, Records: Sequence & SendableMetatype>(
        _ records: sending Records, bufferSize: Int? = nil
    ) -> SenderResults<C> where Records.Element == SenderRecord<C>, Records.Iterator: SendableMetatype {
        let stream = ResultStream<C>(capacity: bufferSize ?? options.streamBufferSize, stopOnError: options.stopOnError)
        let engine = self.engine
        return feed(stream) {
            // A plain sequence never waits for its next record: records go over in chunks,
            // one admission and one mailbox lock per chunk instead of per record. Each record
            // is taken apart once (its correlation here, its bytes into the submission), not
            // copied field by field into a chunk, then a submission, then the mailbox.
            var iterator = records.makeIterator()
            let size = min(Self.chunk, max(1, stream.capacity / 4))
            var outgoing: [OutgoingRecord] = []
            var correlations: [C] = []
            var items: [Submission] = []
            outgoing.reserveCapacity(size)
            correlations.reserveCapacity(size)
            while true {
                while outgoing.count < size, let r = iterator.next() {
                    correlations.append(r.correlationMetadata)
                    outgoing.append(OutgoingRecord(r))
                }
                if outgoing.isEmpty { return }
                guard let tokens = await stream.admit(correlations, whole: true) else { return }
                correlations.removeAll(keepingCapacity: true)
                items.reserveCapacity(outgoing.count)
                // Moved out from the back (a for-in over the array copied each record: a retain
                // and a release of its four fields).
                outgoing.reverse()
                for token in tokens { items.append(.record(outgoing.removeLast(), .receiver(stream, token: token))) }
                if let refused = engine.submit(handingOver: &items) { return stream.refuse(tokens, refused) }
            }
        }
    }

    /// Records a plain sequence hands over at a time (its results still come one by one).
    private static var chunk: Int { 256 }

    /// Reactor Kafka's `sendTransactionally`: each window of records is one transaction
    /// (``SenderOptions/transactionalID`` must be set). A record's result comes once its window
    /// committed — ``RecordMetadata/transaction`` numbers it — or, when the window aborted,
    /// as a ``KafkaSenderError/Cause/transactionFailed`` error; the rest of a window after a
    /// failed record is not sent.
    public func sendTransactionally<C: Sendable, Windows: AsyncSequence & SendableMetatype>(
        _ windows: sending Windows, bufferSize: Int? = nil
    ) throws(KafkaSenderError) -> SenderResults<C>
    where Windows.Element: Sequence & SendableMetatype, Windows.Element.Element == SenderRecord<C>, Windows.AsyncIterator: SendableMetatype {
        try requireTransactions()
        let stream = ResultStream<C>(capacity: bufferSize ?? options.streamBufferSize, stopOnError: options.stopOnError)
        let engine = self.engine
        return feed(stream) {
            var iterator = windows.makeAsyncIterator()
            while let window = try await iterator.next() {
                let records = Array(window)
                guard let tokens = await stream.admit(records.map(\.correlationMetadata)) else { return }
                if let refused = engine.submit(Self.submissions(records, tokens, stream)) {
                    return stream.refuse(tokens, refused)
                }
            }
        }
    }

    /// Sends what was handed over, waits for every result, and ends the sender: later sends
    /// fail with ``KafkaSenderError/Cause/closed``.
    public func close() async { await engine.waitUntilClosed() }

    /// Stops taking records: streams end, records not yet sent fail with
    /// ``KafkaSenderError/Cause/stopped``, records in flight still get their real results.
    /// Sends made afterwards run again.
    public func requestStop() { engine.requestStop() }

    // MARK: blocking

    /// Sends every record of `records` (until one fails, with `stopOnError`) on the calling
    /// thread and calls `onResult` once per record taken, in completion order, never
    /// concurrently with itself. Returns when all of them have been reported.
    @available(*, noasync, message: "blocks its thread until every result is back; use send(_:) or send(_:bufferSize:)")
    @discardableResult
    public func send<C: Sendable, Records: Sequence>(
        _ records: Records, onResult: @escaping @Sendable (SenderResult<C>) -> Void
    ) -> SendSummary where Records.Element == SenderRecord<C> {
        let receiver = CallbackReceiver(capacity: options.maxInFlight, stopOnError: options.stopOnError, onResult: onResult)
        for r in records {
            guard let token = receiver.admit([r.correlationMetadata])?.first else { break }
            if let refused = engine.submit(.record(OutgoingRecord(r), .receiver(receiver, token: token))) {
                receiver.refuse([token], refused)
                break
            }
        }
        return receiver.finish()
    }

    /// The blocking ``sendTransactionally(_:bufferSize:)``: each window is one transaction.
    @available(*, noasync, message: "blocks its thread until every result is back; use sendTransactionally(_:bufferSize:)")
    @discardableResult
    public func sendTransactionally<C: Sendable, Windows: Sequence>(
        _ windows: Windows, onResult: @escaping @Sendable (SenderResult<C>) -> Void
    ) throws(KafkaSenderError) -> SendSummary where Windows.Element: Sequence, Windows.Element.Element == SenderRecord<C> {
        try requireTransactions()
        let receiver = CallbackReceiver(capacity: options.maxInFlight, stopOnError: options.stopOnError, onResult: onResult)
        for window in windows {
            let records = Array(window)
            guard let tokens = receiver.admit(records.map(\.correlationMetadata)) else { break }
            if let refused = engine.submit(Self.submissions(records, tokens, receiver)) {
                receiver.refuse(tokens, refused)
                break
            }
        }
        return receiver.finish()
    }

    // MARK: -

    private func requireTransactions() throws(KafkaSenderError) {
        guard options.transactionalID != nil else {
            throw KafkaSenderError(cause: .invalidUsage, message: "sendTransactionally needs SenderOptions.transactionalID")
        }
    }

    private static func submissions<C>(_ records: [SenderRecord<C>], _ tokens: [Int], _ receiver: any ResultReceiver) -> [Submission] {
        var out = zip(records, tokens).map { Submission.record(OutgoingRecord($0), .receiver(receiver, token: $1)) }
        out.append(.endOfWindow)
        return out
    }

    /// Raises a fatal producer error the way librdkafka delivers a real one (tests).
    func injectFatalError(_ reason: String) { engine.producer.injectFatalError(reason) }
}
