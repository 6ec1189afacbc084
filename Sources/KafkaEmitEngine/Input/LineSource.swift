@_spi(Engine) import KafkaEmit

/// Lines mode with `--input-format lines`: one record per delimited unit of the input; with
/// `-K` the unit is split at the first key delimiter into key and value.
final class LineSource: RecordSource {
    private let reader: LineReader
    private let templates: RecordTemplates
    private let keyDelimiter: [UInt8]?
    private let limit: UInt64
    @exclusivity(unchecked) private var lineNumber: UInt64 = 0
    @exclusivity(unchecked) private(set) var index: UInt64 = 0
    var inputEpoch: UInt64 { reader.stream.fills }
    @exclusivity(unchecked) private var line = UnsafeRawBufferPointer.noBytes
    @exclusivity(unchecked) private var value = UnsafeRawBufferPointer.noBytes
    @exclusivity(unchecked) private var keyPart: UnsafeRawBufferPointer?

    init(reader: LineReader, templates: RecordTemplates, keyDelimiter: [UInt8]?, count: UInt64?) {
        self.reader = reader
        self.templates = templates
        self.keyDelimiter = keyDelimiter
        limit = count ?? UInt64.max
    }

    func begin(inputDeadlineNanos: UInt64) { reader.deadlineNanos = inputDeadlineNanos }

    @inline(__always) func advance() throws(EmitError) -> SourceEvent {
        guard lineNumber < limit else { return .end }
        let next = try reader.next()
        index = lineNumber
        switch next {
        case .end: return .end
        case .oversized:
            lineNumber += 1
            line = UnsafeRawBufferPointer.noBytes
            return .failed(code: LibrdkafkaInfo.msgSizeTooLargeCode, message: Self.oversizedMessage(line: index, limit: reader.maxRecordBytes))
        case .record(let l):
            lineNumber += 1
            line = l
        }
        value = line
        keyPart = nil
        if let kd = keyDelimiter, let (k, v) = Self.split(line, at: kd) {
            keyPart = k
            value = v
        }
        return .ready
    }

    @inline(__always) func record() -> RecordView {
        templates.build(index: index, input: value, keyPart: keyPart)
    }

    func malformedCorrelation() -> UnsafeRawBufferPointer {
        templates.malformedCorrelation(index: index, input: line)
    }

    static func oversizedMessage(line: UInt64, limit: Int) -> String {
        "\(inputPosition("line", line)): too large: more than message.max.bytes (\(limit)) bytes; skipped to the next delimiter (raise -X message.max.bytes to send it)"
    }

    /// Splits at the first occurrence of `d`, or nil when `d` does not occur.
    static func split(_ line: UnsafeRawBufferPointer, at d: [UInt8]) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer)? {
        guard let base = line.baseAddress, line.count >= d.count else { return nil }
        guard let k = d.withUnsafeBytes({ findBytes(line, $0) }) else { return nil }
        return (UnsafeRawBufferPointer(start: base, count: k),
                UnsafeRawBufferPointer(start: base + k + d.count, count: line.count - k - d.count))
    }
}
