/// One `kcat -J` envelope: `{"topic":…,"partition":…,"key":…,"payload":…,"headers":[name,value,…]}`.
/// Strings are kept as bytes: kcat writes non-UTF-8 bytes raw, and they must replay exactly.
package struct Envelope: Equatable {
    package var key: [UInt8]?
    package var payload: [UInt8]?
    package var headers: [(name: [UInt8], value: [UInt8]?)] = []
    package var partition: Int32?

    package static func == (a: Envelope, b: Envelope) -> Bool {
        a.key == b.key && a.payload == b.payload && a.partition == b.partition
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }

    /// Parses one line; the error says what is wrong, for the `failed` line or exit 65.
    package static func parse(_ line: UnsafeRawBufferPointer) throws(EnvelopeError) -> Envelope {
        var p = JSONScanner(line)
        p.skipSpace()
        guard p.peek() == UInt8(ascii: "{") else { throw EnvelopeError("expected a JSON object, as kcat -J prints") }
        var env = Envelope()
        p.pos += 1
        p.skipSpace()
        if p.peek() == UInt8(ascii: "}") { p.pos += 1 } else {
            while true {
                p.skipSpace()
                guard let name = try p.string() else { throw EnvelopeError("expected a field name at byte \(p.pos + 1)") }
                p.skipSpace()
                guard p.peek() == UInt8(ascii: ":") else { throw EnvelopeError("expected ':' after \"\(String(decoding: name, as: UTF8.self))\"") }
                p.pos += 1
                p.skipSpace()
                switch String(decoding: name, as: UTF8.self) {
                case "key": env.key = try p.nullableString(field: "key")
                case "payload": env.payload = try p.nullableString(field: "payload")
                case "partition":
                    guard let n = try p.integer(), n >= -1, n <= Int64(Int32.max) else { throw EnvelopeError("\"partition\" must be an integer") }
                    env.partition = n >= 0 ? Int32(n) : nil
                case "headers":
                    if p.literal("null") { break }
                    guard p.peek() == UInt8(ascii: "[") else { throw EnvelopeError("\"headers\" must be an array [name, value, ...]") }
                    p.pos += 1
                    var items: [[UInt8]?] = []
                    p.skipSpace()
                    if p.peek() == UInt8(ascii: "]") { p.pos += 1 } else {
                        while true {
                            p.skipSpace()
                            items.append(try p.nullableString(field: "headers"))
                            p.skipSpace()
                            if p.peek() == UInt8(ascii: ",") { p.pos += 1; continue }
                            guard p.peek() == UInt8(ascii: "]") else { throw EnvelopeError("unterminated \"headers\" array") }
                            p.pos += 1
                            break
                        }
                    }
                    guard items.count % 2 == 0 else { throw EnvelopeError("\"headers\" must alternate names and values") }
                    var i = 0
                    while i < items.count {
                        guard let n = items[i] else { throw EnvelopeError("a header name is null") }
                        env.headers.append((n, items[i + 1]))
                        i += 2
                    }
                default:
                    try p.skipValue()
                }
                p.skipSpace()
                if p.peek() == UInt8(ascii: ",") { p.pos += 1; continue }
                guard p.peek() == UInt8(ascii: "}") else { throw EnvelopeError("expected ',' or '}' at byte \(p.pos + 1)") }
                p.pos += 1
                break
            }
        }
        p.skipSpace()
        guard p.atEnd else { throw EnvelopeError("unexpected text after the JSON object") }
        return env
    }
}

package struct EnvelopeError: Error, Equatable {
    package var message: String
    init(_ m: String) { message = m }
}

/// A small JSON scanner over bytes (strings decode escapes to UTF-8; raw bytes pass through).
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

    mutating func nullableString(field: String) throws(EnvelopeError) -> [UInt8]? {
        if literal("null") { return nil }
        guard let s = try string() else { throw EnvelopeError("\"\(field)\" must be a string or null") }
        return s
    }

    mutating func string() throws(EnvelopeError) -> [UInt8]? {
        guard peek() == UInt8(ascii: "\"") else { return nil }
        pos += 1
        var out: [UInt8] = []
        while pos < b.count {
            let c = b[pos]
            if c == UInt8(ascii: "\"") { pos += 1; return out }
            if c != UInt8(ascii: "\\") { out.append(c); pos += 1; continue }
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
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(s)).utf8))
            default:
                throw EnvelopeError("bad escape '\\\(Character(Unicode.Scalar(e)))' at byte \(pos - 1)")
            }
        }
        throw EnvelopeError("unterminated string")
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

    mutating func integer() throws(EnvelopeError) -> Int64? {
        let start = pos
        if peek() == UInt8(ascii: "-") { pos += 1 }
        while let c = peek(), c >= 0x30, c <= 0x39 { pos += 1 }
        guard pos > start else { return nil }
        return Int64(String(decoding: b[start..<pos], as: UTF8.self))
    }

    /// Skips any JSON value (numbers, strings, literals, arrays, objects).
    mutating func skipValue() throws(EnvelopeError) {
        skipSpace()
        guard let c = peek() else { throw EnvelopeError("missing value") }
        switch c {
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close: UInt8 = c == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            pos += 1
            skipSpace()
            if peek() == close { pos += 1; return }
            while true {
                skipSpace()
                if c == UInt8(ascii: "{") {
                    guard try string() != nil else { throw EnvelopeError("expected a field name at byte \(pos + 1)") }
                    skipSpace()
                    guard peek() == UInt8(ascii: ":") else { throw EnvelopeError("expected ':' at byte \(pos + 1)") }
                    pos += 1
                }
                try skipValue()
                skipSpace()
                if peek() == UInt8(ascii: ",") { pos += 1; continue }
                guard peek() == close else { throw EnvelopeError("unterminated \(close == UInt8(ascii: "}") ? "object" : "array")") }
                pos += 1
                return
            }
        default:
            if literal("null") || literal("true") || literal("false") { return }
            let start = pos
            while let d = peek(), (d >= 0x30 && d <= 0x39) || d == UInt8(ascii: "-") || d == UInt8(ascii: "+")
                    || d == UInt8(ascii: ".") || d == UInt8(ascii: "e") || d == UInt8(ascii: "E") { pos += 1 }
            if pos == start { throw EnvelopeError("unexpected '\(Character(Unicode.Scalar(c)))' at byte \(pos + 1)") }
        }
    }
}
