/// The library's end of the send loop for one `send` call: the record source over the
/// caller's sequence, and the result sink that hands each `SenderResult` to `onResult`.
///
/// `@unchecked Sendable` — invariant: the source half (`advance`, `record`, `willSend`) runs on
/// the producing thread only; `deliveries` runs holding the report server's sink lock, and
/// reads a slot's entry only after its record was handed over (librdkafka's queues order it).
final class SenderChannel<Correlation: Sendable>: RecordSource, ResultSink, @unchecked Sendable {
    /// What the caller's sequence hands out next.
    enum Item { case record(SenderRecord<Correlation>), endOfWindow }
    private let nextItem: () -> Item?
    private var current: SenderRecord<Correlation>?
    private(set) var index: UInt64 = 0
    /// The caller's sequence may take any time to hand out a record: every record is new.
    var inputEpoch: UInt64 { index }
    private let key = ByteBuffer()
    private let value = ByteBuffer()
    private let topic = ByteBuffer(capacity: 64)
    private let headers = HeaderList()
    private let entries: UnsafeMutablePointer<(topic: String, correlation: Correlation)?>
    private let slotCount: Int
    private let onResult: @Sendable (SenderResult<Correlation>) -> Void
    /// Records taken from the sequence but refused by the loop (never handed over).
    private(set) var summary = SendSummary()

    init(slots: Int, onResult: @escaping @Sendable (SenderResult<Correlation>) -> Void, next: @escaping () -> Item?) {
        nextItem = next
        slotCount = slots
        entries = .allocate(capacity: slots)
        entries.initialize(repeating: nil, count: slots)
        self.onResult = onResult
    }

    deinit {
        entries.deinitialize(count: slotCount)
        entries.deallocate()
    }

    // MARK: source (producing thread)

    func advance() throws(EmitError) -> SourceEvent {
        switch nextItem() {
        case nil: return .end
        case .endOfWindow: return .endOfWindow
        case .record(let next):
            if current != nil { index += 1 }
            current = next
            return .ready
        }
    }

    func record() -> RecordView {
        let r = current!
        // Copies: the loop needs stable bytes for the produce call (librdkafka copies again).
        topic.removeAll(); topic.append(r.topic)
        headers.removeAll()
        for h in r.headers { headers.append(name: Array(h.name.utf8), value: h.value) }
        return RecordView(index: index, key: copy(r.key, into: key), value: copy(r.value, into: value),
                          headers: headers.headers, partition: r.partition ?? -1, topic: topic.bytes,
                          correlation: RecordView.noBytes)
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
        entries[slot] = (current!.topic, current!.correlationMetadata)
    }

    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        for r in reports {
            guard let entry = entries[r.slot] else { continue }
            entries[r.slot] = nil
            let result: Result<RecordMetadata, SendError>
            if r.succeeded {
                summary.delivered += 1
                result = .success(RecordMetadata(topic: entry.topic, partition: r.partition, offset: r.offset, timestamp: r.timestampMillis,
                                                 transaction: r.transaction >= 0 ? r.transaction : nil))
            } else {
                if r.possiblyPersisted { summary.unknown += 1 } else { summary.failed += 1 }
                result = .failure(SendError(code: r.errorCode, name: r.errorName, message: r.errorMessage,
                                            possiblyPersisted: r.possiblyPersisted))
            }
            onResult(SenderResult(correlationMetadata: entry.correlation, result: result, latencyMicros: r.latencyMicros(now: nowNanos)))
        }
    }

    func idle() {}
}
