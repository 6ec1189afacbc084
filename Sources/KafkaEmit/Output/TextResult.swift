/// `delivered topic=T partition=P offset=O correlation=C` and
/// `failed topic=T correlation=C error="NAME: message"`. A value made only of
/// `[A-Za-z0-9._:/@+-]` is written bare, any other quoted, so one record is one line.
enum TextResult {
    @inline(__always) static func append(_ r: ResultView, to out: ByteBuffer) {
        if r.delivered {
            out.appendLiteral("delivered topic=")
            appendValue(r.topic, out)
            out.appendLiteral(" partition=")
            out.appendDecimal(Int64(r.partition))
            out.appendLiteral(" offset=")
            out.appendDecimal(r.offset)
            if r.transaction >= 0 {
                out.appendLiteral(" txn=")
                out.appendDecimal(r.transaction)
            }
            out.appendLiteral(" correlation=")
            appendValue(r.correlation, out)
            out.append(0x0A)
        } else {
            out.appendLiteral("failed topic=")
            appendValue(r.topic, out)
            out.appendLiteral(" correlation=")
            appendValue(r.correlation, out)
            out.appendLiteral(" error=")
            var message = r.errorName + ": " + r.errorMessage
            message.withUTF8 { appendQuoted(UnsafeRawBufferPointer($0), out) }
            out.append(0x0A)
        }
    }

    /// Bare when every byte is in the safe set, else quoted.
    @inline(__always) static func appendValue(_ bytes: UnsafeRawBufferPointer, _ out: ByteBuffer) {
        for b in bytes where !isBare(b) {
            appendQuoted(bytes, out)
            return
        }
        out.append(bytes)
    }

    @inline(__always) static func isBare(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "@"),
             UInt8(ascii: "+"), UInt8(ascii: "-"):
            true
        default: false
        }
    }

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
