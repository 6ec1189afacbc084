/// How each record's result is written to stdout (SPEC §4).
public enum OutputFormat: Sendable, Equatable {
    case text
    case json
    case none
    case custom(String)
}

/// One record's result as the formatter sees it; byte views are valid during the call only.
public struct ResultView {
    public var delivered: Bool
    public var partition: Int32
    public var offset: Int64
    public var timestampMillis: Int64
    public var latencyMicros: UInt64
    public var key: UnsafeRawBufferPointer?
    public var value: UnsafeRawBufferPointer?
    public var correlation: UnsafeRawBufferPointer
    public var errorName: String
    public var errorMessage: String
}

/// Formats result lines into a byte buffer with hand-written integer formatting.
public final class ResultFormatter {
    private let format: OutputFormat
    private let topicBytes: [UInt8]
    private let topicJSON: [UInt8]
    private let deliveredPrefix: [UInt8]
    private let failedPrefix: [UInt8]
    private let tokens: [Token]

    enum Token: Equatable {
        case literal([UInt8])
        case topic, partition, offset, correlation, key, value, timestamp, latency, error, status
    }

    public init(format: OutputFormat, topic: String) {
        self.format = format
        topicBytes = Array(topic.utf8)
        topicJSON = topicBytes.withUnsafeBytes { raw in
            let b = ByteBuffer()
            Self.appendJSONString(b, raw)
            return b.array
        }
        deliveredPrefix = Array("delivered topic=\(topic) partition=".utf8)
        failedPrefix = Array("failed topic=\(topic) correlation=".utf8)
        if case .custom(let f) = format { tokens = Self.parse(f) } else { tokens = [] }
    }

    /// Parses `--format`: `%t %p %o %c %k %v %T %l %e %s`, `\n \t`, `%%`. Unknown `%x` is kept literally.
    static func parse(_ f: String) -> [Token] {
        let b = Array(f.utf8)
        var out: [Token] = []
        var lit: [UInt8] = []
        func flush() { if !lit.isEmpty { out.append(.literal(lit)); lit = [] } }
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\\") && i + 1 < b.count {
                switch b[i + 1] {
                case UInt8(ascii: "n"): lit.append(0x0A); i += 2; continue
                case UInt8(ascii: "t"): lit.append(0x09); i += 2; continue
                case UInt8(ascii: "\\"): lit.append(0x5C); i += 2; continue
                default: break
                }
            }
            if c == UInt8(ascii: "%") && i + 1 < b.count {
                let t: Token?
                switch b[i + 1] {
                case UInt8(ascii: "t"): t = .topic
                case UInt8(ascii: "p"): t = .partition
                case UInt8(ascii: "o"): t = .offset
                case UInt8(ascii: "c"): t = .correlation
                case UInt8(ascii: "k"): t = .key
                case UInt8(ascii: "v"): t = .value
                case UInt8(ascii: "T"): t = .timestamp
                case UInt8(ascii: "l"): t = .latency
                case UInt8(ascii: "e"): t = .error
                case UInt8(ascii: "s"): t = .status
                case UInt8(ascii: "%"): lit.append(0x25); i += 2; continue
                default: t = nil
                }
                if let t { flush(); out.append(t); i += 2; continue }
            }
            lit.append(c)
            i += 1
        }
        flush()
        return out
    }

    /// The tokens a `--format` string may use, for `--help` and error messages.
    public static let formatTokens = "%t topic, %p partition, %o offset, %c correlation, %k key, %v value, %T timestamp ms, %l latency ms, %e error, %s status, \\n, \\t, %%"

    /// Whether `--format` names tokens we know (an error for one that has none is friendlier).
    public static func validate(format f: String) throws(EmitError) {
        let b = Array(f.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 1 < b.count, "tpockvTles%".utf8.contains(b[i + 1]) else {
                    let shown = i + 1 < b.count ? "%" + String(UnicodeScalar(b[i + 1])) : "%"
                    throw .usage("--format: unknown token '\(shown)'; use \(formatTokens)")
                }
                i += 2
                continue
            }
            i += 1
        }
    }

    @inline(__always) public func append(_ r: ResultView, to out: ByteBuffer) {
        switch format {
        case .text: appendText(r, out)
        case .json: appendJSON(r, out)
        case .custom: appendCustom(r, out)
        case .none: break
        }
    }

    @inline(__always) private func appendText(_ r: ResultView, _ out: ByteBuffer) {
        if r.delivered {
            deliveredPrefix.withUnsafeBytes { out.append($0) }
            out.appendDecimal(Int64(r.partition))
            out.append(Self.offsetEq)
            out.appendDecimal(r.offset)
            out.append(Self.correlationEq)
            out.append(r.correlation)
            out.append(0x0A)
        } else {
            failedPrefix.withUnsafeBytes { out.append($0) }
            out.append(r.correlation)
            out.appendLiteral(" error=\"")
            Self.appendQuotedText(out, r.errorName + ": " + r.errorMessage)
            out.append(0x22)
            out.append(0x0A)
        }
    }

    // Views of static string literals: immutable for the life of the process.
    nonisolated(unsafe) private static let offsetEq = UnsafeRawBufferPointer(staticString: " offset=")
    nonisolated(unsafe) private static let correlationEq = UnsafeRawBufferPointer(staticString: " correlation=")

    private func appendJSON(_ r: ResultView, _ out: ByteBuffer) {
        if r.delivered { out.appendLiteral("{\"status\":\"delivered\",\"topic\":") } else { out.appendLiteral("{\"status\":\"failed\",\"topic\":") }
        topicJSON.withUnsafeBytes { out.append($0) }
        out.appendLiteral(",\"partition\":"); out.appendDecimal(Int64(r.partition))
        if r.delivered { out.appendLiteral(",\"offset\":"); out.appendDecimal(r.offset) }
        out.appendLiteral(",\"correlation\":"); Self.appendJSONString(out, r.correlation)
        out.appendLiteral(",\"key\":")
        if let k = r.key { Self.appendJSONString(out, k) } else { out.appendLiteral("null") }
        if r.timestampMillis >= 0 { out.appendLiteral(",\"timestamp\":"); out.appendDecimal(r.timestampMillis) }
        out.appendLiteral(",\"latency_ms\":"); out.appendMilli(r.latencyMicros)
        if !r.delivered {
            out.appendLiteral(",\"error\":")
            Self.appendJSONString(out, r.errorMessage)
            out.appendLiteral(",\"error_code\":")
            Self.appendJSONString(out, r.errorName)
        }
        out.appendLiteral("}\n")
    }

    private func appendCustom(_ r: ResultView, _ out: ByteBuffer) {
        for t in tokens {
            switch t {
            case .literal(let b): b.withUnsafeBytes { out.append($0) }
            case .topic: topicBytes.withUnsafeBytes { out.append($0) }
            case .partition: out.appendDecimal(Int64(r.partition))
            case .offset: out.appendDecimal(r.delivered ? r.offset : -1)
            case .correlation: out.append(r.correlation)
            case .key: if let k = r.key { out.append(k) }
            case .value: if let v = r.value { out.append(v) }
            case .timestamp: out.appendDecimal(r.timestampMillis)
            case .latency: out.appendMilli(r.latencyMicros)
            case .error: if !r.delivered { out.append(r.errorName + ": " + r.errorMessage) }
            case .status: out.append(r.delivered ? "delivered" : "failed")
            }
        }
    }

    /// Text-mode error messages: keep them on one line and quotes escaped.
    static func appendQuotedText(_ out: ByteBuffer, _ s: String) {
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            default: out.append(b)
            }
        }
    }

    static func appendJSONString(_ out: ByteBuffer, _ s: String) {
        var copy = s
        copy.withUTF8 { appendJSONString(out, UnsafeRawBufferPointer($0)) }
    }

    /// A JSON string for arbitrary bytes: valid UTF-8 passes through (escaped as JSON
    /// requires); each byte of an invalid sequence becomes U+FFFD, so the output always parses.
    static func appendJSONString(_ out: ByteBuffer, _ bytes: UnsafeRawBufferPointer) {
        out.append(0x22)
        var i = 0
        let n = bytes.count
        while i < n {
            // Copy a run of bytes that need no escaping in one go.
            var j = i
            while j < n {
                let c = bytes[j]
                if c < 0x20 || c == 0x22 || c == 0x5C || c >= 0x7F { break }
                j += 1
            }
            if j > i {
                out.append(UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
                i = j
                if i == n { break }
            }
            let b = bytes[i]
            if b < 0x80 {
                switch b {
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
                case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
                case 0..<0x20, 0x7F:
                    out.appendLiteral("\\u00"); out.appendHex(b)
                default: out.append(b)
                }
                i += 1
                continue
            }
            let len = utf8SequenceLength(bytes, i)
            if len == 0 {
                out.appendLiteral("\\ufffd")
                i += 1
            } else {
                for k in 0..<len { out.append(bytes[i + k]) }
                i += len
            }
        }
        out.append(0x22)
    }

    /// Length of a well-formed UTF-8 sequence at `i`, or 0 if ill-formed.
    static func utf8SequenceLength(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int {
        let n = b.count
        let c = b[i]
        func cont(_ k: Int) -> Bool { i + k < n && b[i + k] & 0xC0 == 0x80 }
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1) && b[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1) && b[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xF0: return cont(1) && b[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1) && b[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }
}

extension UnsafeRawBufferPointer {
    init(staticString s: StaticString) {
        self.init(start: s.utf8Start, count: s.utf8CodeUnitCount)
    }
}
