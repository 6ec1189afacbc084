@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// How each record's result is written to stdout (SPEC §4).
package enum OutputFormat: Sendable, Equatable {
    case text
    case json
    case none
    case custom(String)
}

/// One record's result as a formatter sees it; byte views are valid during the call only.
struct ResultView {
    var outcome: RecordOutcome
    /// A pattern, not `==`: for an enum with raw values from another module, `==` went through
    /// the generic RawRepresentable comparison (three calls a JSON line, ~50 instructions each).
    var delivered: Bool { if case .delivered = outcome { true } else { false } }
    var topic: UnsafeRawBufferPointer
    var partition: Int32
    /// -1 when the broker reported none.
    var offset: Int64
    var timestampMillis: Int64
    var latencyMicros: UInt64
    var key: UnsafeRawBufferPointer?
    var value: UnsafeRawBufferPointer?
    /// The correlation's bytes; empty when `correlationNumber` holds it (the default `{i}`
    /// correlation is only a number, written straight into the line).
    var correlation: UnsafeRawBufferPointer
    var correlationNumber: UInt64? = nil
    /// librdkafka's error code (0 when delivered) and its detail (nil: the code's
    /// description); turned into text only for records not delivered.
    var errorCode: Int32 = 0
    var errorDetail: UnsafeRawBufferPointer? = nil
    /// Only read when the format shows them (`%h`).
    var headers: MessageHeaders? = nil
    /// The transaction the record was committed in (-1: none).
    var transaction: Int64 = -1

    /// The correlation as it is (digits need no quoting or escaping).
    @inline(__always) func appendCorrelation(to out: ByteBuffer) {
        if let n = correlationNumber { out.appendDecimal(n) } else { out.append(correlation) }
    }

    var errorName: String { LibrdkafkaInfo.errorName(errorCode) }
    var errorMessage: String { errorDetail.map { String(decoding: $0, as: UTF8.self) } ?? LibrdkafkaInfo.errorDescription(errorCode) }
}

/// Formats result lines into a byte buffer with hand-written number formatting: no
/// allocation per record.
final class ResultFormatter {
    /// The format without its payload: switching on it per record copies nothing.
    private enum Kind { case text, json, custom, none }
    private let kind: Kind
    private let custom: CustomResultFormat?

    /// Whether lines show headers, which then have to be read from each delivered message.
    var showsHeaders: Bool { custom?.tokens.contains(.headers) == true }

    init(format: OutputFormat) {
        switch format {
        case .text: kind = .text
        case .json: kind = .json
        case .none: kind = .none
        case .custom: kind = .custom
        }
        if case .custom(let f) = format { custom = CustomResultFormat(f) } else { custom = nil }
    }

    /// The head of a delivered line for the last topic seen: most runs render it once.
    private let headTopicBytes = ByteBuffer(capacity: 64)
    private let head = ByteBuffer(capacity: 128)
    private var hasHead = false

    @inline(__always) func append(_ r: borrowing ResultView, to out: ByteBuffer) {
        switch kind {
        case .text, .json:
            let topic = r.topic
            // Through `bytes`: ByteBuffer's fields read from this module are checked for
            // exclusive access at run time (two calls a record, ~125 instructions, callgrind).
            let last = headTopicBytes.bytes
            if !hasHead || topic.count != last.count || (topic.count > 0 && memcmp(topic.baseAddress!, last.baseAddress!, topic.count) != 0) {
                renderHead(topic)
            }
            if kind == .text { TextResult.append(r, head: head.bytes, to: out) } else { JSONResult.append(r, head: head.bytes, to: out) }
        case .custom: custom.unsafelyUnwrapped.append(r, to: out)
        case .none: break
        }
    }

    @inline(never) private func renderHead(_ topic: UnsafeRawBufferPointer) {
        head.removeAll()
        if kind == .text { TextResult.deliveredHead(topic, into: head) } else { JSONResult.deliveredHead(topic, into: head) }
        headTopicBytes.removeAll()
        headTopicBytes.append(topic)
        hasHead = true
    }
}
