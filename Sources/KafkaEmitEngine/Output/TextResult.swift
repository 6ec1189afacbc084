@_spi(Engine) import KafkaEmit

/// `delivered topic=T partition=P offset=O correlation=C` and
/// `failed topic=T correlation=C error="NAME: message"` (`unknown …` when the record may have
/// been stored). A value made only of
/// `[A-Za-z0-9._:/@+-]` is written bare, any other quoted, so one record is one line.
enum TextResult {
    /// `delivered topic=T partition=`: the same bytes for every record of a topic, so the
    /// formatter renders them once per topic and passes them as `head`.
    static func deliveredHead(_ topic: UnsafeRawBufferPointer, into out: ByteBuffer) {
        out.appendLiteral("delivered topic=")
        appendValue(topic, out)
        out.appendLiteral(" partition=")
    }

    @inline(__always) static func append(_ r: borrowing ResultView, head: UnsafeRawBufferPointer, to out: ByteBuffer) {
        if r.delivered {
            out.append(head)
            out.appendDecimal(Int64(r.partition))
            out.appendLiteral(" offset=")
            out.appendDecimal(r.offset)
            if r.transaction >= 0 {
                out.appendLiteral(" txn=")
                out.appendDecimal(r.transaction)
            }
            out.appendLiteral(" correlation=")
            appendCorrelation(r, out)
            out.append(0x0A)
        } else {
            if r.outcome == .unknown { out.appendLiteral("unknown topic=") } else { out.appendLiteral("failed topic=") }
            appendValue(r.topic, out)
            out.appendLiteral(" correlation=")
            appendCorrelation(r, out)
            out.appendLiteral(" error=")
            var message = r.errorName + ": " + r.errorMessage
            message.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), out) }
            out.append(0x0A)
        }
    }

    /// The default `{i}` correlation as digits (always bare), any other as a value.
    @inline(__always) private static func appendCorrelation(_ r: borrowing ResultView, _ out: ByteBuffer) {
        if let n = r.correlationNumber { out.appendDecimal(n) } else { appendValue(r.correlation, out) }
    }

    /// Bare when every byte is in the safe set, else quoted.
    @inline(__always) static func appendValue(_ bytes: UnsafeRawBufferPointer, _ out: ByteBuffer) {
        let bare = bareTable.utf8Start
        var i = 0
        let n = bytes.count
        while i < n {
            if bare[Int(bytes[i])] == 0x30 { appendQuoted(bytes, out); return }
            i += 1
        }
        out.append(bytes)
    }

    /// One byte per byte value: "1" for `[A-Za-z0-9._:/@+-]`, written bare; "0" for the rest.
    private static let bareTable: StaticString = """
        0000000000000000000000000000000000000000000101111111111111100000\
        1111111111111111111111111110000101111111111111111111111111100000\
        0000000000000000000000000000000000000000000000000000000000000000\
        0000000000000000000000000000000000000000000000000000000000000000
        """

    /// `"..."` with `\" \\ \n \r \t` and `\xNN` for other control bytes.
    static func appendQuoted(_ bytes: UnsafeRawBufferPointer, _ out: ByteBuffer) {
        out.append(0x22)
        for b in bytes {
            switch b {
            case 0x22: out.appendLiteral("\\\"")
            case 0x5C: out.appendLiteral("\\\\")
            case 0x0A: out.appendLiteral("\\n")
            case 0x0D: out.appendLiteral("\\r")
            case 0x09: out.appendLiteral("\\t")
            case 0..<0x20, 0x7F: out.appendLiteral("\\x"); out.appendHex(b)
            default: out.append(b)
            }
        }
        out.append(0x22)
    }
}
