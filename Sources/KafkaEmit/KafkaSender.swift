import Synchronization

/// How a `KafkaSender` connects and behaves (Reactor Kafka's `SenderOptions`).
public struct SenderOptions: Sendable {
    /// `host:port[,host:port]`.
    public var bootstrapServers: String
    /// Any librdkafka property, applied after the defaults (`acks=all`, idempotence on).
    public var properties: [String: String]
    /// Most records sent but not yet reported; `send` waits beyond it (backpressure).
    public var maxInFlight: Int
    /// Stop taking records from the sequence after the first failed delivery.
    public var stopOnError: Bool

    public init(bootstrapServers: String, properties: [String: String] = [:], maxInFlight: Int = 100_000, stopOnError: Bool = false) {
        self.bootstrapServers = bootstrapServers
        self.properties = properties
        self.maxInFlight = maxInFlight
        self.stopOnError = stopOnError
    }
}

/// A header of an outgoing record; a nil value is a null header value.
public struct RecordHeader: Sendable, Equatable {
    public var name: String
    public var value: [UInt8]?
    public init(_ name: String, _ value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}

/// One record to send plus correlation metadata that never leaves the process and comes
/// back in its `SenderResult` (Reactor Kafka's `SenderRecord`).
public struct SenderRecord<Correlation: Sendable>: Sendable {
    public var topic: String
    /// nil = librdkafka's partitioner (by key hash).
    public var partition: Int32?
    /// nil = null key.
    public var key: [UInt8]?
    /// nil = null value (a tombstone).
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    public var correlationMetadata: Correlation

    public init(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
                headers: [RecordHeader] = [], correlationMetadata: Correlation) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.correlationMetadata = correlationMetadata
    }
}

/// Where a delivered record landed.
public struct RecordMetadata: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch as the broker reported it (-1 if unknown).
    public var timestamp: Int64
}

/// Why a record was not delivered: librdkafka's error code, name and message.
public struct SendError: Error, Sendable, Equatable {
    public var code: Int32
    public var name: String
    public var message: String
}

/// The outcome of one record: its metadata or its error, plus its correlation metadata
/// (Reactor Kafka's `SenderResult`).
public struct SenderResult<Correlation: Sendable>: Sendable {
    public var correlationMetadata: Correlation
    public var result: Result<RecordMetadata, SendError>
    /// Delivery latency: from handing the record to librdkafka to its delivery report.
    public var latencyMicros: UInt64

    public var recordMetadata: RecordMetadata? { try? result.get() }
    public var error: SendError? { if case .failure(let e) = result { e } else { nil } }
}

/// Totals of one `send` call.
public struct SendSummary: Sendable, Equatable {
    public var delivered = 0
    public var failed = 0
}

/// Sends a sequence of records to Kafka and reports one `SenderResult` per record, each
/// carrying that record's correlation metadata — Reactor Kafka's `KafkaSender` in Swift.
///
/// Threading: `send` runs on the calling thread (it produces; it blocks while
/// `maxInFlight` records are outstanding) and returns once every record it handed over has
/// been reported. `onResult` is called in completion order and never concurrently with
/// itself — on the sender's reporter thread, or on the calling thread for records librdkafka
/// refuses at once (e.g. too large). Concurrent `send` calls on one sender run one after another.
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
public final class KafkaSender: @unchecked Sendable {
    // `@unchecked Sendable`: `send` is documented as one call at a time; the engine's own
    // threading contract covers the rest.
    private let engine: DeliveryEngine
    private let options: SenderOptions
    /// The running `send`'s stop request (a fresh one per call).
    private let currentStop = Mutex<StopSignal?>(nil)

    public init(options: SenderOptions) throws(EmitError) {
        self.options = options
        var props = [ConfigProperty("bootstrap.servers", options.bootstrapServers, origin: "SenderOptions"),
                     ConfigProperty("acks", "all", origin: "default"),
                     ConfigProperty("enable.idempotence", "true", origin: "default"),
                     ConfigProperty("log_level", "2", origin: "default"),
                     ConfigProperty("queue.buffering.max.messages", String(min(10_000_000, max(100_000, options.maxInFlight))), origin: "default")]
        for (k, v) in options.properties.sorted(by: { $0.key < $1.key }) { props.append(ConfigProperty(k, v, origin: "SenderOptions.properties")) }
        let conf = try KafkaConfig.make(props)
        engine = try DeliveryEngine(conf: conf, topic: nil, slots: options.maxInFlight)
    }

    /// Sends every record of `records` (until one fails, with `stopOnError`) and calls
    /// `onResult` once per record sent. Returns when all of them have been reported.
    @discardableResult
    public func send<Correlation: Sendable, Records: Sequence>(
        _ records: Records, onResult: @escaping @Sendable (SenderResult<Correlation>) -> Void
    ) -> SendSummary where Records.Element == SenderRecord<Correlation> {
        send(records, stop: StopSignal(), onResult: onResult)
    }

    /// One send at a time owns the engine (its producing-thread state); others queue here.
    private let sendLock = ServeLock()

    private func send<Correlation: Sendable, Records: Sequence>(
        _ records: Records, stop: StopSignal, onResult: @escaping @Sendable (SenderResult<Correlation>) -> Void
    ) -> SendSummary where Records.Element == SenderRecord<Correlation> {
        sendLock.lock()
        defer { sendLock.unlock() }
        currentStop.withLock { $0 = stop }
        defer { currentStop.withLock { $0 = nil } }
        let sink = SenderSink<Correlation>(slots: engine.slotCount, onResult: onResult, stop: stop, stopOnError: options.stopOnError)
        engine.startReporter(sink)
        let nameBuffer = ByteBuffer()
        var headers: [OutgoingHeader] = []
        for record in records {
            if stop.isStopped { break }
            guard let slot = engine.acquireSlot(shouldStop: { stop.isStopped }) else { break }
            let topic: OpaquePointer
            do { topic = try engine.topicHandle(named: record.topic) } catch {
                sink.store(slot: slot, topic: record.topic, correlation: record.correlationMetadata)
                engine.reportLocalFailure(slot: slot, code: LibrdkafkaInfo.invalidArgCode, message: error.message, key: nil, value: nil, partition: -1)
                continue
            }
            sink.store(slot: slot, topic: record.topic, correlation: record.correlationMetadata)
            // NUL-terminated header names and their values, laid out in one buffer.
            nameBuffer.removeAll()
            var spans: [(Int, Int, Int)] = []
            for h in record.headers {
                let n = nameBuffer.count
                nameBuffer.append(h.name); nameBuffer.append(0)
                let v = nameBuffer.count
                if let value = h.value { nameBuffer.append(value) }
                spans.append((n, v, h.value?.count ?? -1))
            }
            headers.removeAll(keepingCapacity: true)
            for s in spans {
                headers.append(OutgoingHeader(name: UnsafeRawPointer(nameBuffer.base + s.0).assumingMemoryBound(to: CChar.self),
                                              value: s.2 < 0 ? nil : UnsafeRawBufferPointer(start: nameBuffer.base + s.1, count: s.2)))
            }
            let outcome = withBytes(record.key) { key in
                withBytes(record.value) { value in
                    headers.withUnsafeBufferPointer { hs in
                        engine.produce(slot: slot, key: key, value: value, headers: hs, partition: record.partition ?? -1,
                                       topic: topic, shouldStop: { false })
                    }
                }
            }
            switch outcome {
            case .accepted: break
            case .refused(let code, let message):
                engine.reportLocalFailure(slot: slot, code: code, message: message, key: nil, value: nil, partition: record.partition ?? -1)
            case .stopped:
                engine.releaseUnsent(slot)
            }
        }
        _ = engine.drain(abandon: { false })
        engine.stopReporter()
        return engine.waiter.locked { sink.summary }
    }

    /// The same as `send(_:onResult:)`, as an `AsyncStream` of results that finishes when
    /// every record has been reported. Producing runs on a thread of its own.
    public func results<Correlation: Sendable, Records: Sequence & Sendable>(
        for records: Records
    ) -> AsyncStream<SenderResult<Correlation>> where Records.Element == SenderRecord<Correlation> {
        let stop = StopSignal()
        return AsyncStream { continuation in
            // A consumer that stops listening stops the send (records in flight still finish).
            continuation.onTermination = { _ in stop.request(.interrupted) }
            WorkerThread(name: "kafka-sender") { [self] in
                _ = self.send(records, stop: stop) { continuation.yield($0) }
                continuation.finish()
            }.detach()
        }
    }

    /// Asks the running `send` to stop taking records; records in flight still get results.
    /// (A call made while no send runs has no effect.)
    public func requestStop() { currentStop.withLock { $0?.request(.interrupted) } }

    private func withBytes<T>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> T) -> T {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }
}

/// Per-slot topic and correlation of a generic send, written before produce and read on the
/// reporter thread when the delivery report arrives (see `DeliveryEngine` for the hand-off).
private final class SenderSink<Correlation: Sendable>: DeliveryHandler, @unchecked Sendable {
    private let slots: UnsafeMutablePointer<(topic: String, correlation: Correlation)?>
    private let slotCount: Int
    private let onResult: @Sendable (SenderResult<Correlation>) -> Void
    private let stop: StopSignal
    private let stopOnError: Bool
    var summary = SendSummary()

    init(slots: Int, onResult: @escaping @Sendable (SenderResult<Correlation>) -> Void, stop: StopSignal, stopOnError: Bool) {
        self.slots = .allocate(capacity: slots)
        self.slots.initialize(repeating: nil, count: slots)
        slotCount = slots
        self.onResult = onResult
        self.stop = stop
        self.stopOnError = stopOnError
    }

    deinit {
        slots.deinitialize(count: slotCount)
        slots.deallocate()
    }

    func store(slot: Int, topic: String, correlation: Correlation) {
        slots[slot] = (topic, correlation)
    }

    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        for r in reports {
            guard let entry = slots[r.slot] else { continue }
            slots[r.slot] = nil
            let latency = r.latencyMicros(now: nowNanos)
            let result: Result<RecordMetadata, SendError>
            if r.succeeded {
                summary.delivered += 1
                result = .success(RecordMetadata(topic: entry.topic, partition: r.partition, offset: r.offset, timestamp: r.timestampMillis))
            } else {
                summary.failed += 1
                result = .failure(SendError(code: r.errorCode, name: r.errorName, message: r.errorMessage))
                if stopOnError { stop.request(.deliveryFailed) }
            }
            onResult(SenderResult(correlationMetadata: entry.correlation, result: result, latencyMicros: latency))
        }
    }

    func idle() {}
    func clientError(code: Int32, message: String, fatal: Bool) {}
}
