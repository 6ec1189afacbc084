/// Lines mode with `--input-format json`: one JSON envelope per line (kcat `-J`), giving
/// each record its own key, value, headers and partition.
final class EnvelopeSource: RecordSource {
    private let reader: LineReader
    private let templates: RecordTemplates
    private let limit: UInt64
    private var lineNumber: UInt64 = 0
    private(set) var index: UInt64 = 0
    private var line = RecordView.noBytes
    private var envelope = Envelope()
    private let headers = HeaderList()
    private let payload = ByteBuffer()
    private let key = ByteBuffer()

    init(reader: LineReader, templates: RecordTemplates, count: UInt64?) {
        self.reader = reader
        self.templates = templates
        limit = count ?? UInt64.max
    }

    func begin(inputDeadlineNanos: UInt64) { reader.deadlineNanos = inputDeadlineNanos }

    func advance() throws(EmitError) -> SourceEvent {
        guard lineNumber < limit else { return .end }
        guard case .record(let l) = try reader.next() else { return .end }
        index = lineNumber
        lineNumber += 1
        line = l
        do {
            envelope = try Envelope.parse(l)
        } catch {
            return .malformed("input line \(index + 1): \(error.message)")
        }
        return .ready
    }

    func record() -> RecordView {
        headers.removeAll()
        for h in envelope.headers { headers.append(name: h.name, value: h.value) }
        payload.removeAll()
        if let p = envelope.payload { payload.append(p) }
        key.removeAll()
        if let k = envelope.key { key.append(k) }
        var record = templates.build(index: index, input: payload.bytes, keyPart: envelope.key == nil ? nil : key.bytes,
                                     inputIsNull: envelope.payload == nil, extra: headers.headers)
        if record.partition < 0, let p = envelope.partition { record.partition = p }
        return record
    }

    func malformedCorrelation() -> UnsafeRawBufferPointer {
        templates.malformedCorrelation(index: index, input: line)
    }
}
