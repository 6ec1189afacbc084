@_spi(Engine) import KafkaEmit

/// A JSON document as a flat array of tokens (a "tape"), parsed in one pass into storage that
/// is reused record after record: the schema encoders read a record's JSON from it, jumping
/// over values they do not need by index instead of re-scanning bytes.
///
/// Ours, not a library's: the encoders need the byte offsets of every string and number (to
/// copy them without decoding twice) and no allocation per record; the JSON readers among the
/// packages this project may use build a tree of Swift values (Foundation's `JSONSerialization`,
/// swift-extras) — an allocation per node. Parsing a 10-field record here is one linear pass.
///
/// Tokens: a scalar is one token (`start`/`count` are the bytes of a number, or the inside of a
/// string's quotes); an object or array is one token whose `count` is its number of members and
/// whose `next` is the index of the token after its last member; an object's members are a
/// key (string token) then its value.
struct JSONToken {
    enum Kind: UInt8 { case null, bool, number, string, object, array }
    var kind: Kind
    /// Booleans: true. Strings: has a backslash escape (so its bytes are not its value).
    var flag: Bool
    var start: Int32
    var count: Int32
    /// The index of the token after this value (for scalars, this index + 1).
    var next: Int32
}

struct JSONTapeError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

final class JSONTape {
    static let maxDepth = 128
    // Touched many times per record, never by overlapping accesses: no dynamic exclusivity
    // checks (they were 11 % of an Avro run's cycles, perf).
    @exclusivity(unchecked) private(set) var tokens: UnsafeMutablePointer<JSONToken>
    @exclusivity(unchecked) private var capacity: Int
    @exclusivity(unchecked) private(set) var count = 0
    /// The document's bytes (valid while the caller's buffer is).
    @exclusivity(unchecked) private(set) var bytes = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Open containers while parsing.
    private let stack: UnsafeMutablePointer<Int32>
    // The parse's cursor, depth and whether a key comes next: properties, not locals, because
    // the parse's local functions share them (captured locals got dynamic exclusivity checks).
    @exclusivity(unchecked) private var p = 0
    @exclusivity(unchecked) private var depth = 0
    @exclusivity(unchecked) private var wantKey = false

    init(capacity: Int = 256) {
        self.capacity = capacity
        tokens = .allocate(capacity: capacity)
        stack = .allocate(capacity: JSONTape.maxDepth + 1)
    }

    deinit { tokens.deallocate(); stack.deallocate() }

    @inline(__always) subscript(_ i: Int) -> JSONToken { tokens[i] }

    @inline(__always) func text(_ t: JSONToken) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes.baseAddress! + Int(t.start), count: Int(t.count))
    }

    /// A string token's value (escapes decoded), or a number's text, as a Swift string — for
    /// messages and plan-time reading, never per record.
    func string(_ i: Int) -> String {
        let t = tokens[i]
        if t.kind == .string && t.flag {
            let out = ByteBuffer(capacity: Int(t.count))
            JSONTape.unescape(text(t), into: out)
            return String(decoding: out.bytes, as: UTF8.self)
        }
        return String(decoding: text(t), as: UTF8.self)
    }

    @inline(__always) private func push(_ t: JSONToken) {
        if count == capacity { grow() }
        tokens[count] = t
        count += 1
    }

    @inline(never) private func grow() {
        let bigger = UnsafeMutablePointer<JSONToken>.allocate(capacity: capacity * 2)
        bigger.update(from: tokens, count: count)
        tokens.deallocate()
        tokens = bigger
        capacity *= 2
    }

    /// Parses one JSON document (surrounding whitespace allowed, nothing after it).
    func parse(_ b: UnsafeRawBufferPointer) throws(JSONTapeError) {
        count = 0
        bytes = b
        guard let base = b.baseAddress, b.count > 0 else { throw JSONTapeError("empty input, expected a JSON value") }
        let n = b.count
        p = 0
        depth = 0
        // Inside an object, whether the next token must be a key.
        wantKey = false
        @inline(__always) func skipSpace() {
            while p < n { let c = base.load(fromByteOffset: p, as: UInt8.self); if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { p += 1 } else { break } }
        }
        @inline(__always) func at(_ i: Int) -> UInt8 { base.load(fromByteOffset: i, as: UInt8.self) }
        func containerName() -> String { tokens[Int(stack[depth - 1])].kind == .object ? "object" : "array" }
        // After a value: true when it completed the document; else expects ',' (then a key in
        // an object) or the container's close, which the loop's top handles.
        func afterValue() throws(JSONTapeError) -> Bool {
            if depth == 0 { return true }
            skipSpace()
            guard p < n else { throw JSONTapeError("unterminated \(containerName())") }
            let d = at(p)
            if d == 0x2C {
                p += 1
                if tokens[Int(stack[depth - 1])].kind == .object { wantKey = true }
                skipSpace()
                if p < n, at(p) == 0x7D || at(p) == 0x5D { throw JSONTapeError("a trailing ',' before byte \(p + 1)") }
                return false
            }
            guard d == 0x7D || d == 0x5D else {
                throw JSONTapeError("expected ',' or \(containerName() == "object" ? "'}'" : "']'") at byte \(p + 1)")
            }
            return false
        }
        while true {
            skipSpace()
            guard p < n else { throw JSONTapeError(depth > 0 ? "unterminated \(tokens[Int(stack[depth - 1])].kind == .object ? "object" : "array")" : "empty input, expected a JSON value") }
            var c = at(p)
            // Close containers.
            if depth > 0 && (c == 0x7D || c == 0x5D) {
                let open = Int(stack[depth - 1])
                let isObject = tokens[open].kind == .object
                guard c == (isObject ? 0x7D : 0x5D) else { throw JSONTapeError("expected \(isObject ? "'}'" : "']'") at byte \(p + 1)") }
                p += 1
                tokens[open].next = Int32(count)
                depth -= 1
                if try afterValue() { break }
                continue
            }
            if wantKey {
                guard c == 0x22 else { throw JSONTapeError("expected a field name at byte \(p + 1)") }
                try scanString(base, n, &p)
                skipSpace()
                guard p < n, at(p) == 0x3A else { throw JSONTapeError("expected ':' after field \"\(string(count - 1))\" at byte \(p + 1)") }
                p += 1
                wantKey = false
                skipSpace()
                guard p < n else { throw JSONTapeError("missing value at end of input") }
                c = at(p)
            }
            // One value.
            let index = count
            switch c {
            case 0x7B, 0x5B:
                guard depth < JSONTape.maxDepth else { throw JSONTapeError("nested deeper than \(JSONTape.maxDepth) levels") }
                if depth > 0 { tokens[Int(stack[depth - 1])].count += 1 }
                push(JSONToken(kind: c == 0x7B ? .object : .array, flag: false, start: Int32(p), count: 0, next: 0))
                stack[depth] = Int32(index)
                depth += 1
                p += 1
                skipSpace()
                if c == 0x7B, p < n, at(p) != 0x7D { wantKey = true }
                continue
            case 0x22:
                if depth > 0 { tokens[Int(stack[depth - 1])].count += 1 }
                try scanString(base, n, &p)
            case 0x74: // true
                guard literal(base, n, p, "true") else { throw unexpected(c, p) }
                if depth > 0 { tokens[Int(stack[depth - 1])].count += 1 }
                push(JSONToken(kind: .bool, flag: true, start: Int32(p), count: 4, next: Int32(index + 1))); p += 4
            case 0x66:
                guard literal(base, n, p, "false") else { throw unexpected(c, p) }
                if depth > 0 { tokens[Int(stack[depth - 1])].count += 1 }
                push(JSONToken(kind: .bool, flag: false, start: Int32(p), count: 5, next: Int32(index + 1))); p += 5
            case 0x6E:
                guard literal(base, n, p, "null") else { throw unexpected(c, p) }
                if depth > 0 { tokens[Int(stack[depth - 1])].count += 1 }
                push(JSONToken(kind: .null, flag: false, start: Int32(p), count: 4, next: Int32(index + 1))); p += 4
            default:
                guard c == 0x2D || (c >= 0x30 && c <= 0x39) else { throw unexpected(c, p) }
                let from = p
                try JSONTape.scanNumber(base, n, &p)
                if depth > 0 { tokens[Int(stack[depth - 1])].count += 1 }
                push(JSONToken(kind: .number, flag: false, start: Int32(from), count: Int32(p - from), next: Int32(index + 1)))
            }
            if try afterValue() { break }
        }
        skipSpace()
        if p < n { throw JSONTapeError("unexpected bytes after the JSON value at byte \(p + 1)") }
    }

    private func unexpected(_ c: UInt8, _ p: Int) -> JSONTapeError {
        let shown = c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        return JSONTapeError("unexpected \(shown) at byte \(p + 1)")
    }

    @inline(__always) private func literal(_ base: UnsafeRawPointer, _ n: Int, _ p: Int, _ word: StaticString) -> Bool {
        let k = word.utf8CodeUnitCount
        guard p + k <= n else { return false }
        return memcmp(base + p, word.utf8Start, k) == 0
    }

    @inline(__always) private func scanString(_ base: UnsafeRawPointer, _ n: Int, _ p: inout Int) throws(JSONTapeError) {
        let open = p
        p += 1
        var escaped = false
        while p < n {
            let c = base.load(fromByteOffset: p, as: UInt8.self)
            if c == 0x22 {
                push(JSONToken(kind: .string, flag: escaped, start: Int32(open + 1), count: Int32(p - open - 1), next: Int32(count + 1)))
                p += 1
                return
            }
            if c == 0x5C { escaped = true; p += 2; continue }
            if c < 0x20 { throw JSONTapeError("a control character (byte 0x\(String(c, radix: 16))) inside a string at byte \(p + 1): escape it") }
            p += 1
        }
        throw JSONTapeError("unterminated string starting at byte \(open + 1)")
    }

    /// The whole of `s` is one JSON number, as the parse reads numbers (the template plan
    /// checks a rendered placeholder with it before taking it as a number).
    static func isNumber(_ s: UnsafeRawBufferPointer) -> Bool {
        guard let base = s.baseAddress, s.count > 0 else { return false }
        var p = 0
        do { try scanNumber(base, s.count, &p) } catch { return false }
        return p == s.count
    }

    @inline(__always) private static func scanNumber(_ base: UnsafeRawPointer, _ n: Int, _ p: inout Int) throws(JSONTapeError) {
        let from = p
        @inline(__always) func at(_ i: Int) -> UInt8 { i < n ? base.load(fromByteOffset: i, as: UInt8.self) : 0 }
        @inline(__always) func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
        if at(p) == 0x2D { p += 1 }
        guard isDigit(at(p)) else { throw JSONTapeError("a malformed number at byte \(from + 1)") }
        if at(p) == 0x30 { p += 1 } else { while isDigit(at(p)) { p += 1 } }
        if at(p) == 0x2E {
            p += 1
            guard isDigit(at(p)) else { throw JSONTapeError("a malformed number at byte \(from + 1)") }
            while isDigit(at(p)) { p += 1 }
        }
        if at(p) == 0x65 || at(p) == 0x45 {
            p += 1
            if at(p) == 0x2B || at(p) == 0x2D { p += 1 }
            guard isDigit(at(p)) else { throw JSONTapeError("a malformed number at byte \(from + 1)") }
            while isDigit(at(p)) { p += 1 }
        }
    }

    /// Decodes a JSON string's inside (escapes) to UTF-8. The tape checked its shape; a bad
    /// escape becomes U+FFFD rather than an error (the tape's scan does not check `\u` digits,
    /// so `unescapeChecked` is the one encoders use).
    static func unescape(_ s: UnsafeRawBufferPointer, into out: ByteBuffer) {
        _ = try? unescapeChecked(s, into: out)
    }

    /// Decodes a JSON string's inside to UTF-8; throws for a bad escape.
    static func unescapeChecked(_ s: UnsafeRawBufferPointer, into out: ByteBuffer) throws(JSONTapeError) {
        var i = 0
        let n = s.count
        while i < n {
            let run = i
            while i < n, s[i] != 0x5C { i += 1 }
            if i > run { out.append(UnsafeRawBufferPointer(rebasing: s[run..<i])) }
            guard i < n else { return }
            guard i + 1 < n else { throw JSONTapeError("a bad escape at the end of a string") }
            let e = s[i + 1]
            i += 2
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                guard var scalar = hex4(s, i) else { throw JSONTapeError("a bad \\u escape") }
                i += 4
                if (0xD800..<0xDC00).contains(scalar), i + 6 <= n, s[i] == 0x5C, s[i + 1] == 0x75, let low = hex4(s, i + 2), (0xDC00..<0xE000).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                for unit in UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}")! { out.append(unit) }
            default:
                throw JSONTapeError("a bad escape '\\\(e >= 0x20 && e < 0x7F ? String(Character(Unicode.Scalar(e))) : "?")'")
            }
        }
    }

    /// Decodes a JSON string's inside to the code points it names, for Avro's JSON encoding of
    /// `bytes` and `fixed` (each code point 0–255 is one byte); nil when one is above 255.
    static func latin1Bytes(_ s: UnsafeRawBufferPointer, escaped: Bool, into out: ByteBuffer) throws(JSONTapeError) -> Bool {
        let utf8 = ByteBuffer(capacity: s.count)
        if escaped { try unescapeChecked(s, into: utf8) } else { utf8.append(s) }
        for scalar in String(decoding: utf8.bytes, as: UTF8.self).unicodeScalars {
            guard scalar.value <= 0xFF else { return false }
            out.append(UInt8(scalar.value))
        }
        return true
    }

    private static func hex4(_ s: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= s.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = s[at + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    // MARK: walking

    /// The value token of an object's member named `name`, or nil. `object` is the object's index.
    func member(_ object: Int, _ name: UnsafeRawBufferPointer) -> Int? {
        var k = object + 1
        let end = Int(tokens[object].next)
        while k < end {
            if keyIs(k, name) { return k + 1 }
            k = Int(tokens[k + 1].next)
        }
        return nil
    }

    func member(_ object: Int, _ name: [UInt8]) -> Int? {
        name.withUnsafeBytes { member(object, $0) }
    }
}

#if canImport(Glibc)
import Glibc
#endif

