/// How each record's result is written to stdout (SPEC §4).
package enum OutputFormat: Sendable, Equatable {
    case text
    case json
    case none
    case custom(String)
}

/// One record's result as a formatter sees it; byte views are valid during the call only.
struct ResultView {
    var delivered: Bool
    var topic: UnsafeRawBufferPointer
    var partition: Int32
    /// -1 when the broker reported none.
    var offset: Int64
    var timestampMillis: Int64
    var latencyMicros: UInt64
    var key: UnsafeRawBufferPointer?
    var value: UnsafeRawBufferPointer?
    var correlation: UnsafeRawBufferPointer
    var errorName: String
    var errorMessage: String
    /// Only read when the format shows them (`%h`).
    var headers: MessageHeaders? = nil
    /// The transaction the record was committed in (-1: none).
    var transaction: Int64 = -1
}

/// Formats result lines into a byte buffer with hand-written number formatting: no
/// allocation per record.
final class ResultFormatter {
    private let format: OutputFormat
    private let custom: CustomResultFormat?

    /// Whether lines show headers, which then have to be read from each delivered message.
    var showsHeaders: Bool { custom?.tokens.contains(.headers) == true }

    init(format: OutputFormat) {
        self.format = format
        if case .custom(let f) = format { custom = CustomResultFormat(f) } else { custom = nil }
    }

    @inline(__always) func append(_ r: ResultView, to out: ByteBuffer) {
        switch format {
        case .text: TextResult.append(r, to: out)
        case .json: JSONResult.append(r, to: out)
        case .custom: custom!.append(r, to: out)
        case .none: break
        }
    }
}
