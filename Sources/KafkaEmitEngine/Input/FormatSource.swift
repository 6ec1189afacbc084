@_spi(Engine) import KafkaEmit

/// Lines mode with `--input-format FORMAT`: records read from the input as an rpk layout says
/// (`%t %k %v`, sizes, `%h{...}` headers, `%p`, `%d`). Fields point into the input buffer or,
/// when decoded (`{hex}`, `{base64}`), into reused buffers.
final class FormatSource: RecordSource {
    private let stream: InputStream
    private let layout: InputLayout
    private let templates: RecordTemplates
    private let limit: UInt64
    private let routesTopics: Bool
    private var next: UInt64 = 0
    private(set) var index: UInt64 = 0
    var inputEpoch: UInt64 { stream.fills }
    private var parsed = FormatRecord()
    private var ended = false
    /// After a malformed record: skip to the next record delimiter before reading on.
    private var resync = false

    init(stream: InputStream, layout: InputLayout, templates: RecordTemplates, count: UInt64?, maxRecordBytes: Int, routesTopics: Bool) {
        self.stream = stream
        self.layout = layout
        self.templates = templates
        limit = count ?? UInt64.max
        self.routesTopics = routesTopics
        stream.limit = max(maxRecordBytes, 0) &+ (64 << 10)
    }

    func begin(inputDeadlineNanos: UInt64) { stream.deadlineNanos = inputDeadlineNanos }

    func advance() throws(EmitError) -> SourceEvent {
        guard next < limit, !ended else { return .end }
        if resync {
            resync = false
            // Without a record delimiter the input cannot be resynchronised.
            guard let t = layout.terminator, try FormatReader.skip(stream: stream, past: t) else { return .end }
        }
        index = next
        var reader = FormatReader(stream: stream, record: parsed)
        let outcome = try reader.read(layout.steps, terminator: layout.terminator)
        parsed = reader.record
        switch outcome {
        case .end: return .end
        case .stopped:
            ended = true
            return .end
        case .record(let length):
            next += 1
            parsed.finish(base: stream.base + stream.start)
            stream.consume(length)
            if routesTopics && parsed.topic == nil {
                return .malformed("\(inputPosition("record", index)): no %t topic; give -t")
            }
            return .ready
        case .malformed(let why):
            next += 1
            resync = true
            return .malformed("\(inputPosition("record", index)): \(why)")
        }
    }

    var inputTimestampMillis: Int64? { parsed.timestamp }

    func record() -> RecordView {
        var record = templates.build(index: index, input: parsed.value ?? UnsafeRawBufferPointer.noBytes, keyPart: parsed.key,
                                     inputIsNull: parsed.value == nil, extra: parsed.headers.headers,
                                     timestamp: parsed.timestamp ?? 0)
        if record.partition < 0, let p = parsed.partition { record.partition = p }
        if routesTopics { record.topic = parsed.topic }
        return record
    }

    func malformedCorrelation() -> UnsafeRawBufferPointer {
        templates.malformedCorrelation(index: index, input: UnsafeRawBufferPointer.noBytes)
    }
}

/// The fields of one record as the reader found them: spans relative to the record's start
/// (the buffer may move while reading), or decoded bytes.
struct FormatRecord {
    enum Span { case none, input(Int, Int), decoded(ByteBuffer) }
    var topicSpan = Span.none, keySpan = Span.none, valueSpan = Span.none
    var topic: UnsafeRawBufferPointer?
    var key: UnsafeRawBufferPointer?
    var value: UnsafeRawBufferPointer?
    var partition: Int32?
    var timestamp: Int64?
    let headers = HeaderList()
    let decoded = (ByteBuffer(), ByteBuffer(), ByteBuffer())

    mutating func reset() {
        topicSpan = .none; keySpan = .none; valueSpan = .none
        partition = nil; timestamp = nil
        headers.removeAll()
    }

    /// Turns the spans into views once the record is complete (its bytes no longer move).
    mutating func finish(base: UnsafeMutablePointer<UInt8>) {
        func view(_ s: Span) -> UnsafeRawBufferPointer? {
            switch s {
            case .none: nil
            case .input(let at, let n): UnsafeRawBufferPointer(start: base + at, count: n)
            case .decoded(let b): b.bytes
            }
        }
        topic = view(topicSpan)
        key = view(keySpan)
        value = view(valueSpan)
    }
}
