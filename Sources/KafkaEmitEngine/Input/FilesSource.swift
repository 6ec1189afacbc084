@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Files mode (kcat's `-P FILE...`): each file is one record, its whole content the value and
/// `{file}` its name, in the order given. A file larger than `message.max.bytes` is a failed
/// record, not read.
final class FilesSource: RecordSource {
    private let paths: [String]
    private let templates: RecordTemplates
    private let maxRecordBytes: Int
    private let wakeFD: Int32
    private let limit: UInt64
    private var next = 0
    private(set) var index: UInt64 = 0
    /// Every file is read when its record is made.
    var inputEpoch: UInt64 { index }
    private let content = ByteBuffer(capacity: 64 << 10)
    private let name = ByteBuffer(capacity: 256)
    private var deadline: UInt64 = 0

    init(paths: [String], templates: RecordTemplates, count: UInt64?, maxRecordBytes: Int, wakeFD: Int32) {
        self.paths = paths
        self.templates = templates
        self.maxRecordBytes = maxRecordBytes
        self.wakeFD = wakeFD
        limit = count ?? UInt64.max
    }

    func begin(inputDeadlineNanos: UInt64) { deadline = inputDeadlineNanos }

    func advance() throws(EmitError) -> SourceEvent {
        guard next < paths.count, UInt64(next) < limit else { return .end }
        let path = paths[next]
        index = UInt64(next)
        next += 1
        name.removeAll()
        name.append(path)
        content.removeAll()
        let stream = try InputStream.open(path: path, wakeFD: wakeFD, flag: "FILE")
        stream.limit = maxRecordBytes &+ 1
        stream.deadlineNanos = deadline
        while true {
            switch try stream.fill() {
            case .more: continue
            case .full:
                return .failed(code: LibrdkafkaInfo.msgSizeTooLargeCode,
                               message: "file '\(path)': larger than message.max.bytes (\(maxRecordBytes)); raise -X message.max.bytes to send it")
            case .stopped: return .end
            case .eof:
                content.append(stream.bytes)
                return .ready
            }
        }
    }

    func record() -> RecordView {
        templates.build(index: index, input: content.bytes, keyPart: nil, file: name.bytes)
    }

    func malformedCorrelation() -> UnsafeRawBufferPointer {
        templates.malformedCorrelation(index: index, input: UnsafeRawBufferPointer.noBytes)
    }
}
