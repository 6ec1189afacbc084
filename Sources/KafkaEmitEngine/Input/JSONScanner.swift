@_spi(Engine) import KafkaEmit

/// A small JSON reader over bytes, for envelopes: strings decode their escapes to UTF-8 while
/// raw bytes pass through untouched; nesting is limited, so no input can exhaust the stack.
struct JSONScanner {
    let b: UnsafeRawBufferPointer
    var pos = 0
    init(_ b: UnsafeRawBufferPointer) { self.b = b }

    var atEnd: Bool { pos >= b.count }
    func peek() -> UInt8? { pos < b.count ? b[pos] : nil }

    mutating func skipSpace() {
        while pos < b.count, b[pos] == 0x20 || b[pos] == 0x09 || b[pos] == 0x0A || b[pos] == 0x0D { pos += 1 }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard pos + n <= b.count else { return false }
        for i in 0..<n where b[pos + i] != word.utf8Start[i] { return false }
        pos += n
        return true
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws(EnvelopeError) {
        skipSpace()
        guard peek() == c else { throw EnvelopeError("expected \(what) at byte \(pos + 1)") }
        pos += 1
    }

    /// `{ "name": value, ... }`; `body` reads each value.
    mutating func object(depth: Int, _ body: (inout JSONScanner, [UInt8]) throws(EnvelopeError) -> Void) throws(EnvelopeError) {
        try checkDepth(depth)
        try expect(UInt8(ascii: "{"), "'{'")
        skipSpace()
        if peek() == UInt8(ascii: "}") { pos += 1; return }
        let name = ByteBuffer(capacity: 32)
        while true {
            skipSpace()
            name.removeAll()
            guard try string(into: name) else { throw EnvelopeError("expected a field name at byte \(pos + 1)") }
            try expect(UInt8(ascii: ":"), "':' after \"\(String(decoding: name.bytes, as: UTF8.self))\"")
            skipSpace()
            try body(&self, name.array)
            skipSpace()
            if peek() == UInt8(ascii: ",") { pos += 1; continue }
            guard peek() == UInt8(ascii: "}") else { throw EnvelopeError("expected ',' or '}' at byte \(pos + 1)") }
            pos += 1
            return
        }
    }

    /// `[ value, ... ]`; `body` reads each value.
    mutating func array(depth: Int, _ body: (inout JSONScanner) throws(EnvelopeError) -> Void) throws(EnvelopeError) {
        try checkDepth(depth)
        try expect(UInt8(ascii: "["), "'['")
        skipSpace()
        if peek() == UInt8(ascii: "]") { pos += 1; return }
        while true {
            skipSpace()
            try body(&self)
            skipSpace()
            if peek() == UInt8(ascii: ",") { pos += 1; continue }
            guard peek() == UInt8(ascii: "]") else { throw EnvelopeError("expected ',' or ']' at byte \(pos + 1)") }
            pos += 1
            return
        }
    }

    private func checkDepth(_ depth: Int) throws(EnvelopeError) {
        if depth > Envelope.maxDepth { throw EnvelopeError("nested deeper than \(Envelope.maxDepth) levels") }
    }

    /// A string or null: false for null.
    mutating func nullableString(into out: ByteBuffer, field: String) throws(EnvelopeError) -> Bool {
        if literal("null") { return false }
        guard try string(into: out) else { throw EnvelopeError("\"\(field)\" must be a string or null") }
        return true
    }

    /// A key or value: a string's bytes, null (false), or any other value as compact JSON text.
    mutating func bytesOrJSON(into out: ByteBuffer, field: String) throws(EnvelopeError) -> Bool {
        if literal("null") { return false }
        if try string(into: out) { return true }
        try copyCompact(into: out, depth: 2)
        return true
    }

    /// Copies one JSON value without insignificant whitespace (strings as written).
    mutating func copyCompact(into out: ByteBuffer, depth: Int) throws(EnvelopeError) {
        try checkDepth(depth)
        skipSpace()
        guard let c = peek() else { throw EnvelopeError("missing value at byte \(pos + 1)") }
        switch c {
        case UInt8(ascii: "\""):
            let from = pos
            try skipString()
            out.append(UnsafeRawBufferPointer(rebasing: b[from..<pos]))
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close: UInt8 = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            pos += 1
            out.append(c)
            skipSpace()
            if peek() == close { pos += 1; out.append(close); return }
            while true {
                skipSpace()
                if c == UInt8(ascii: "{") {
                    guard peek() == UInt8(ascii: "\"") else { throw EnvelopeError("expected a field name at byte \(pos + 1)") }
                    let from = pos
                    try skipString()
                    out.append(UnsafeRawBufferPointer(rebasing: b[from..<pos]))
                    try expect(UInt8(ascii: ":"), "':'")
                    out.append(UInt8(ascii: ":"))
                }
                try copyCompact(into: out, depth: depth + 1)
                skipSpace()
                if peek() == UInt8(ascii: ",") { pos += 1; out.append(UInt8(ascii: ",")); continue }
                guard peek() == close else { throw EnvelopeError("unterminated \(close == UInt8(ascii: "}") ? "object" : "array") at byte \(pos + 1)") }
                pos += 1
                out.append(close)
                return
            }
        default:
            let from = pos
            if literal("true") || literal("false") || literal("null") {
                out.append(UnsafeRawBufferPointer(rebasing: b[from..<pos]))
                return
            }
            try skipNumber()
            out.append(UnsafeRawBufferPointer(rebasing: b[from..<pos]))
        }
    }

    /// A number, string, boolean or null whose value is not used.
    mutating func skipScalar(field: String) throws(EnvelopeError) {
        if literal("null") || literal("true") || literal("false") { return }
        if peek() == UInt8(ascii: "\"") { try skipString(); return }
        guard let c = peek(), c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39) else {
            throw EnvelopeError("\"\(field)\" must be a number or a string")
        }
        try skipNumber()
    }

    private mutating func skipNumber() throws(EnvelopeError) {
        let start = pos
        while let d = peek(), (d >= 0x30 && d <= 0x39) || d == UInt8(ascii: "-") || d == UInt8(ascii: "+")
                || d == UInt8(ascii: ".") || d == UInt8(ascii: "e") || d == UInt8(ascii: "E") { pos += 1 }
        if pos == start {
            let shown = peek().map { $0 >= 0x20 && $0 < 0x7F ? "'\(Character(Unicode.Scalar($0)))'" : "byte 0x\(String($0, radix: 16))" } ?? "end of line"
            throw EnvelopeError("unexpected \(shown) at byte \(pos + 1)")
        }
    }

    private mutating func skipString() throws(EnvelopeError) {
        pos += 1
        while pos < b.count {
            let c = b[pos]
            if c == UInt8(ascii: "\"") { pos += 1; return }
            pos += c == UInt8(ascii: "\\") ? 2 : 1
        }
        throw EnvelopeError("unterminated string")
    }

    mutating func integer() throws(EnvelopeError) -> Int64? {
        let start = pos
        if peek() == UInt8(ascii: "-") { pos += 1 }
        while let c = peek(), c >= 0x30, c <= 0x39 { pos += 1 }
        guard pos > start, pos - start <= 20 else { return nil }
        if let c = peek(), c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { return nil }
        return Int64(String(decoding: b[start..<pos], as: UTF8.self))
    }

    /// A string, escapes decoded into `out`; false when the next value is not a string.
    mutating func string(into out: ByteBuffer) throws(EnvelopeError) -> Bool {
        guard peek() == UInt8(ascii: "\"") else { return false }
        pos += 1
        while pos < b.count {
            // Copy a run of plain bytes at once.
            let runStart = pos
            while pos < b.count, b[pos] != UInt8(ascii: "\""), b[pos] != UInt8(ascii: "\\") { pos += 1 }
            if pos > runStart { out.append(UnsafeRawBufferPointer(rebasing: b[runStart..<pos])) }
            guard pos < b.count else { break }
            if b[pos] == UInt8(ascii: "\"") { pos += 1; return true }
            guard pos + 1 < b.count else { break }
            let e = b[pos + 1]
            pos += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { throw EnvelopeError("bad \\u escape at byte \(pos)") }
                if (0xD800..<0xDC00).contains(scalar), peek() == UInt8(ascii: "\\"), pos + 1 < b.count, b[pos + 1] == UInt8(ascii: "u") {
                    pos += 2
                    guard let low = hex4(), (0xDC00..<0xE000).contains(low) else { throw EnvelopeError("bad surrogate pair at byte \(pos)") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(Unicode.Scalar(scalar) ?? "\u{FFFD}", out)
            default:
                let shown = e >= 0x20 && e < 0x7F ? String(Character(Unicode.Scalar(e))) : "\\x" + String(e, radix: 16)
                throw EnvelopeError("bad escape '\\\(shown)' at byte \(pos - 1)")
            }
        }
        throw EnvelopeError("unterminated string")
    }

    private func appendUTF8(_ s: Unicode.Scalar, _ out: ByteBuffer) {
        for unit in UTF8.encode(s)! { out.append(unit) }
    }

    private mutating func hex4() -> UInt32? {
        guard pos + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for i in 0..<4 {
            let c = b[pos + i]
            guard isHexDigit(c) else { return nil }
            v = v << 4 | UInt32(c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10)
        }
        pos += 4
        return v
    }
}
