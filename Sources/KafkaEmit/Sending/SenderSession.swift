import Synchronization

/// One record as a caller handed it over, without its correlation (which stays with whoever
/// waits for the result).
struct OutgoingRecord: Sendable {
    var topic: String
    var partition: Int32?
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [RecordHeader]
    var timestampMillis: Int64?

    init<C>(_ r: consuming SenderRecord<C>) {
        topic = r.topic; partition = r.partition; key = r.key; value = r.value
        headers = r.headers; timestampMillis = r.timestampMillis
    }
}

/// One record's result on its way to a receiver; `token` says which of its records.
struct ReceivedResult {
    var token: Int
    var result: Result<RecordMetadata, KafkaSenderError>
    var latency: Duration
}

/// Takes results for many records of one caller (a results stream, a blocking send), a batch
/// at a time (one lock per batch, not per record). Called in completion order holding the
/// report server's sink lock: must not block.
protocol ResultReceiver: AnyObject, Sendable {
    func receive(_ batch: [ReceivedResult])
}

extension ResultReceiver {
    func receive(token: Int, _ result: Result<RecordMetadata, KafkaSenderError>, latency: Duration) {
        receive([ReceivedResult(token: token, result: result, latency: latency)])
    }
}

/// Who waits for one record's result: a task suspended in `send(_:)`, or a receiver.
///
/// The task's continuation is an `UnsafeContinuation`: it is frozen (a `CheckedContinuation`
/// is resilient, so every copy, move and `Optional` test of a waiter went through the
/// runtime's generic witnesses: ~10 % of a stream's CPU, perf). Each is resumed exactly once:
/// by `resolve` or by the session's `deliveries`, whichever holds the waiter it was moved to.
enum ResultWaiter: Sendable {
    case task(UnsafeContinuation<Result<RecordMetadata, KafkaSenderError>, Never>)
    case receiver(any ResultReceiver, token: Int)

    func resolve(_ result: Result<RecordMetadata, KafkaSenderError>, latency: Duration) {
        switch self {
        case .task(let c): c.resume(returning: result)
        case .receiver(let r, let token): r.receive([ReceivedResult(token: token, result: result, latency: latency)])
        }
    }
}

/// What callers put in the engine's mailbox.
enum Submission: Sendable {
    case record(OutgoingRecord, ResultWaiter)
    /// A `sendTransactionally` window ends here.
    case endOfWindow
}

/// The send loop's source and sink for a `KafkaSender`: records come from the engine's
/// mailbox, filled by any number of callers at once; each result goes back to whoever waits
/// for it. One session is one `SendLoop.run` on the sender's producing thread.
///
/// `@unchecked Sendable` — invariant: the source half (`advance`, `record`, `willSend`,
/// `batch`, `current`) runs on the producing thread only; `deliveries` runs holding the
/// report server's sink lock and reads a slot's entry only after its record was handed over
/// (librdkafka's queues order it); `leftovers` runs after the loop ended.
final class SenderSession: RecordSource, ResultSink, @unchecked Sendable {
    private let engine: SenderEngine
    private let stop: StopSignal
    private var batch: [Submission] = []
    private var nextInBatch = 0
    private var current: Entry?
    /// Records handed to librdkafka, given back to the engine at the next take (`State.spent`).
    private var spent: [OutgoingRecord] = []
    /// Taken from the mailbox, not yet handed to the loop's `willSend` (the loop may stop between).
    private var currentPending = false
    private(set) var index: UInt64 = 0
    private(set) var inputEpoch: UInt64 = 0
    private let key = ByteBuffer()
    private let value = ByteBuffer()
    private let topic = ByteBuffer(capacity: 64)
    private var topicName = ""
    private let headers = HeaderList()
    /// A record taken from the mailbox, and who waits for it. A struct, not a tuple: a tuple
    /// holding an enum goes through the runtime's generic tuple witnesses on every copy.
    private struct Entry {
        var record: OutgoingRecord
        var waiter: ResultWaiter
    }
    /// By slot: the topic (for the metadata) and who waits, from `willSend` to the result.
    private struct Waiting {
        var topic: String
        var waiter: ResultWaiter
    }
    private let entries: UnsafeMutablePointer<Waiting?>
    private let slotCount: Int
    /// Before the producing thread parks for want of records: hands report serving back.
    var willWait: () -> Void = {}
    /// Why the loop purged records: its stop reason, as a cause.
    /// and, for a fatal error, what librdkafka said of it (the purge's own words say only
    /// "purged"). Called holding the sink lock.
    var purgeCause: () -> (cause: KafkaSenderError.Cause, why: String?) = { (.stopped, nil) }

    init(engine: SenderEngine, stop: StopSignal, slots: Int) {
        self.engine = engine
        self.stop = stop
        slotCount = slots
        entries = .allocate(capacity: slots)
        entries.initialize(repeating: nil, count: slots)
    }

    deinit {
        entries.deinitialize(count: slotCount)
        entries.deallocate()
    }

    // MARK: source (producing thread)

    func advance() throws(EmitError) -> SourceEvent {
        while true {
            if nextInBatch < batch.count {
                // Moved out, not copied (a copy retains every field): the slot keeps a marker.
                var s = Submission.endOfWindow
                swap(&s, &batch[nextInBatch])
                nextInBatch += 1
                switch s {
                case .endOfWindow: return .endOfWindow
                case .record(let r, let w):
                    if let done = current.take() {
                        index += 1
                        spent.append(done.record)
                    }
                    current = Entry(record: r, waiter: w)
                    currentPending = true
                    return .ready
                }
            }
            batch.removeAll(keepingCapacity: true)
            nextInBatch = 0
            inputEpoch &+= 1
            guard engine.take(into: &batch, returning: &spent, stop: stop, willWait: willWait) else { return .end }
        }
    }

    func record() -> RecordView {
        // Read in place (a `let` copy of the record retained each of its fields).
        if current!.record.topic != topicName {   // equal strings usually share storage: a pointer compare
            topicName = current!.record.topic
            topic.removeAll(); topic.append(topicName)
        }
        headers.removeAll()
        if !current!.record.headers.isEmpty {
            for h in current!.record.headers { headers.append(name: Array(h.name.utf8), value: h.value) }
        }
        return RecordView(index: index, key: copy(current!.record.key, into: key), value: copy(current!.record.value, into: value),
                          headers: headers.headers, partition: current!.record.partition ?? -1,
                          timestampMillis: current!.record.timestampMillis ?? 0, topic: topic.bytes, correlation: RecordView.noBytes)
    }

    private func copy(_ bytes: [UInt8]?, into buffer: ByteBuffer) -> UnsafeRawBufferPointer? {
        guard let bytes else { return nil }
        buffer.removeAll()
        buffer.append(bytes)
        return buffer.bytes
    }

    func malformedCorrelation() -> UnsafeRawBufferPointer { RecordView.noBytes }

    // MARK: sink

    func willSend(slot: Int, record: RecordView, topic: TopicID) {
        entries[slot] = Waiting(topic: current!.record.topic, waiter: current!.waiter)
        currentPending = false
    }

    /// Results for one receiver, handed over together (sink lock held).
    private var pending: [ReceivedResult] = []
    private var pendingReceiver: (any ResultReceiver)?

    private func flushPending() {
        guard let receiver = pendingReceiver, !pending.isEmpty else { return }
        receiver.receive(pending)
        pending.removeAll(keepingCapacity: true)
        pendingReceiver = nil
    }

    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        defer { flushPending() }
        for r in reports {
            guard let entry = entries[r.slot] else { continue }
            entries[r.slot] = nil
            let result: Result<RecordMetadata, KafkaSenderError>
            if r.succeeded {
                result = .success(RecordMetadata(topic: entry.topic, partition: r.partition, offset: r.offset, timestamp: r.timestampMillis,
                                                 transaction: r.transaction >= 0 ? r.transaction : nil))
            } else {
                var cause = KafkaSenderError.cause(ofCode: r.errorCode)
                var message = r.errorMessage
                if r.transactionFailed {
                    cause = .transactionFailed
                } else if cause == .stopped {
                    let purge = purgeCause()
                    cause = purge.cause
                    if let why = purge.why { message += ": \(why)" }
                }
                result = .failure(KafkaSenderError(cause: cause, code: r.errorCode, name: r.errorName, message: message,
                                                   possiblyPersisted: r.possiblyPersisted))
            }
            let latency = Duration.nanoseconds(Int64(clamping: r.latencyMicros(now: nowNanos) * 1000))
            switch entry.waiter {
            case .task(let c): c.resume(returning: result)
            case .receiver(let receiver, let token):
                if let current = pendingReceiver, current !== receiver { flushPending() }
                pendingReceiver = receiver
                pending.append(ReceivedResult(token: token, result: result, latency: latency))
            }
        }
    }

    func idle() {}

    /// After the loop ended: whoever still waits for a record the loop never took.
    func leftovers() -> [ResultWaiter] {
        var out: [ResultWaiter] = []
        if currentPending, let c = current { out.append(c.waiter) }
        for s in batch[nextInBatch...] { if case .record(_, let w) = s { out.append(w) } }
        batch.removeAll()
        // Handed to `willSend` but never to librdkafka (a stop during a queue-full retry).
        for slot in 0..<slotCount { if let e = entries[slot] { out.append(e.waiter); entries[slot] = nil } }
        return out
    }
}
