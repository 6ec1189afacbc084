@_spi(Engine) import KafkaEmit

/// JSON string literals for arbitrary bytes, written straight into a byte buffer.
enum JSONString {
    /// `s` as a JSON string literal (for summaries: not the hot path).
    static func quoted(_ s: String) -> String {
        let out = ByteBuffer(capacity: s.utf8.count + 2)
        append(out, s)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    static func append(_ out: ByteBuffer, _ s: String) {
        var copy = s
        copy.withUTF8 { append(out, UnsafeRawBufferPointer($0)) }
    }

    /// A JSON string for arbitrary bytes: valid UTF-8 passes through (escaped as JSON
    /// requires); each byte of an invalid sequence becomes U+FFFD, so the output always parses.
    static func append(_ out: ByteBuffer, _ bytes: UnsafeRawBufferPointer) {
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
