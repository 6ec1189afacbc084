@_spi(Engine) import KafkaEmit

/// Lines mode with `--input-format json`: one JSON envelope per line (kcat `-J`, or
/// kafka-emit's own `--dry-run -o json`), giving each record its own key, value, headers,
/// partition, timestamp and — when no `-t` is given — topic.
final class EnvelopeSource: RecordSource {
    private let reader: LineReader
    private let templates: RecordTemplates
    private let limit: UInt64
    /// Without `-t`, each envelope's `topic` routes its record (a copy with `-t` never writes
    /// back to the topic it was read from).
    private let routesTopics: Bool
    private var lineNumber: UInt64 = 0
    private(set) var index: UInt64 = 0
    var inputEpoch: UInt64 { reader.stream.fills }
    private var line = UnsafeRawBufferPointer.noBytes
    private let envelope = Envelope()

    init(reader: LineReader, templates: RecordTemplates, count: UInt64?, routesTopics: Bool) {
        self.reader = reader
        self.templates = templates
        limit = count ?? UInt64.max
        self.routesTopics = routesTopics
    }

    func begin(inputDeadlineNanos: UInt64) { reader.deadlineNanos = inputDeadlineNanos }

    func advance() throws(EmitError) -> SourceEvent {
        guard lineNumber < limit else { return .end }
        let next = try reader.next()
        index = lineNumber
        line = UnsafeRawBufferPointer.noBytes
        switch next {
        case .end: return .end
        case .oversized:
            lineNumber += 1
            return .failed(code: LibrdkafkaInfo.msgSizeTooLargeCode, message: LineSource.oversizedMessage(line: index, limit: reader.maxRecordBytes))
        case .record(let l):
            lineNumber += 1
            line = l
        }
        do {
            try envelope.parse(line)
        } catch {
            return .malformed("\(inputPosition("line", index)): \(error.message)")
        }
        if routesTopics && !envelope.hasTopic {
            return .malformed("\(inputPosition("line", index)): no \"topic\" field; add one, or give -t")
        }
        return .ready
    }

    func record() -> RecordView {
        var record = templates.build(index: index, input: envelope.value.bytes, keyPart: envelope.hasKey ? envelope.key.bytes : nil,
                                     inputIsNull: !envelope.hasValue, extra: envelope.headers.headers,
                                     timestamp: envelope.timestampMillis ?? 0)
        if record.partition < 0, let p = envelope.partition { record.partition = p }
        if routesTopics { record.topic = envelope.topic.bytes }
        return record
    }

    var inputTimestampMillis: Int64? { envelope.timestampMillis }

    func malformedCorrelation() -> UnsafeRawBufferPointer {
        templates.malformedCorrelation(index: index, input: line)
    }
}
