@_spi(Engine) import KafkaEmit

/// `--output-format FMT`: tokens `%t %p %o %c %k %v %h %T %l %e %s`, escapes `\n \t \\`, and `%%`.
final class CustomResultFormat {
    enum Token: Equatable {
        case literal([UInt8])
        case topic, partition, offset, correlation, key, value, headers, timestamp, latency, error, status
    }

    let tokens: [Token]
    /// Where `%h` is rendered before it is quoted as one value.
    private let scratch = ByteBuffer(capacity: 256)

    /// The tokens an `--output-format` string may use, for `--help` and error messages.
    static let help = "%t topic, %p partition, %o offset, %c correlation, %k key, %v value, %h headers, %T timestamp ms, %l latency ms, %e error, %s status, \\n, \\t, %%"

    private static let letters: [UInt8: Token] = [
        UInt8(ascii: "t"): .topic, UInt8(ascii: "p"): .partition, UInt8(ascii: "o"): .offset,
        UInt8(ascii: "c"): .correlation, UInt8(ascii: "k"): .key, UInt8(ascii: "v"): .value, UInt8(ascii: "h"): .headers,
        UInt8(ascii: "T"): .timestamp, UInt8(ascii: "l"): .latency, UInt8(ascii: "e"): .error,
        UInt8(ascii: "s"): .status,
    ]

    /// Parses a format already checked by `validate`.
    init(_ f: String) {
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
                if b[i + 1] == UInt8(ascii: "%") { lit.append(0x25); i += 2; continue }
                if let t = Self.letters[b[i + 1]] { flush(); out.append(t); i += 2; continue }
            }
            lit.append(c)
            i += 1
        }
        flush()
        tokens = out
    }

    /// A usage error naming the first token that is not one of ours.
    static func validate(_ f: String) throws(EmitError) {
        let b = Array(f.utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "%") || letters[b[i + 1]] != nil else {
                    let shown = i + 1 < b.count ? "%" + String(UnicodeScalar(b[i + 1])) : "%"
                    throw .usage("--output-format: unknown token '\(shown)'; use \(help)")
                }
                i += 2
                continue
            }
            i += 1
        }
    }

    func append(_ r: ResultView, to out: ByteBuffer) {
        for t in tokens {
            switch t {
            case .literal(let b): out.append(b)
            case .topic: out.append(r.topic)
            case .partition: out.appendDecimal(Int64(r.partition))
            case .offset: out.appendDecimal(r.delivered ? r.offset : -1)
            // %k %v %c %h %e are quoted as text lines quote them (SPEC §4): a record stays one line.
            case .correlation:
                if r.correlationNumber != nil { r.appendCorrelation(to: out) } else { TextResult.appendValue(r.correlation, out) }
            case .key: if let k = r.key { TextResult.appendValue(k, out) }
            case .value: if let v = r.value { TextResult.appendValue(v, out) }
            case .headers:
                // As kcat's %h: name=value pairs, comma-separated; a null value reads NULL.
                scratch.removeAll()
                var first = true
                r.headers?.forEach { name, value in
                    if !first { scratch.append(0x2C) }
                    first = false
                    scratch.append(name)
                    scratch.append(0x3D)
                    if let value { scratch.append(value) } else { scratch.appendLiteral("NULL") }
                }
                TextResult.appendValue(scratch.bytes, out)
            case .timestamp: out.appendDecimal(r.timestampMillis)
            case .latency: out.appendMilli(r.latencyMicros)
            case .error:
                if !r.delivered {
                    var text = r.errorName + ": " + r.errorMessage
                    text.withUTF8 { TextResult.appendValue(UnsafeRawBufferPointer($0), out) }
                }
            case .status:
                switch r.outcome {
                case .delivered: out.appendLiteral("delivered")
                case .failed: out.appendLiteral("failed")
                case .unknown: out.appendLiteral("unknown")
                }
            }
        }
    }
}
