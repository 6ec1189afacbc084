@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Why a record's JSON does not fit its schema: the JSON path (`$.items[2].price`) and the
/// reason, put together as the error unwinds (no work on the path of a record that fits).
struct EncodeError: Error {
    var reason: String
    /// Path parts, innermost first.
    var path: [String] = []
    init(_ reason: String) { self.reason = reason }
    var message: String { "$" + path.reversed().joined() + ": " + reason }
}

/// Avro binary from JSON (SPEC §2b): Avro's JSON encoding (unions wrapped as `{"type": value}`)
/// and natural JSON (a bare value takes the first union branch it fits), defaults for missing
/// fields, logical types from their natural JSON forms. One encoder per schema, reused record
/// after record: the tape, the scratch buffers and the output keep their storage.
final class AvroEncoder {
    let root: AvroNode
    let tape = JSONTape()
    let scratch = ByteBuffer(capacity: 64)
    /// The record being encoded, then appended to the caller's buffer: a buffer of its own, a
    /// `let`, because writing through a `var` (the caller's buffer kept in a property) retained
    /// and released it around every write (~20 % of an Avro run's cycles, perf; an
    /// `unowned(unsafe) var` did the same). The copy costs one memcpy a record.
    let out = ByteBuffer(capacity: 64)

    /// The parser that owns the nodes (see `AvroSchemaParser.deinit`); nil while a default is
    /// encoded during the parse itself.
    let schema: AvroSchemaParser?

    init(_ root: AvroNode, schema: AvroSchemaParser?) {
        self.root = root
        self.schema = schema
    }

    /// Appends the Avro binary of `json` to `output`.
    func encode(_ json: UnsafeRawBufferPointer, into output: ByteBuffer) throws(EncodeError) {
        do { try tape.parse(json) } catch { throw EncodeError("invalid JSON: \(error.message)") }
        out.removeAll()
        if root.kind == .bytes && root.logical == .none {
            // A top-level bytes schema is the raw bytes, no length (Confluent's serializers,
            // Java and Python, write it so and their deserializers expect it).
            guard tape[0].kind == .string else { throw mismatch("bytes (a string of code points 0-255)", 0) }
            scratch.removeAll()
            try latin1(tape[0], 0)
            output.append(scratch.bytes)
            return
        }
        try encode(root, 0)
        output.append(out.bytes)
    }

    /// A default value (or any JSONValue) encoded for `node`; for a union, the first branch as
    /// the specification requires of defaults.
    static func encodeDefault(_ value: JSONValue, _ node: AvroNode) throws(EncodeError) -> [UInt8] {
        try encodeFragment(Array(value.text.utf8), node, asDefault: true)
    }

    /// One JSON value's text encoded for `node`, as a record's would be (`asDefault`: a union
    /// takes its first branch, as defaults do). The template plan pre-encodes its constants so.
    static func encodeFragment(_ text: [UInt8], _ node: AvroNode, asDefault: Bool = false) throws(EncodeError) -> [UInt8] {
        let e = AvroEncoder(node, schema: nil)
        let buffer = ByteBuffer()
        var failure: EncodeError?
        text.withUnsafeBytes { b in
            do throws(JSONTapeError) { try e.tape.parse(b) } catch { failure = EncodeError(error.message); return }
            do throws(EncodeError) {
                if asDefault && node.kind == .union {
                    e.out.append(0)
                    try e.encode(node.branches[0], 0)
                } else {
                    try e.encode(node, 0)
                }
                buffer.append(e.out.bytes)
            } catch { failure = error }
        }
        if let failure { throw failure }
        return Array(buffer.bytes)
    }

    // MARK: writing

    /// Avro's long: zig-zag, then a varint.
    @inline(__always) func writeLong(_ v: Int64) {
        out.appendVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    @inline(__always) func writeBytes(_ b: UnsafeRawBufferPointer) {
        writeLong(Int64(b.count))
        out.append(b)
    }

    // MARK: reading the tape

    func got(_ i: Int) -> String { tape.shown(i) }

    func mismatch(_ expected: String, _ i: Int) -> EncodeError {
        EncodeError("expected \(expected), got \(got(i))")
    }

    /// An integer's text as Int64, or nil (a fraction, an exponent, out of range).
    @inline(__always) func integer(_ t: JSONToken) -> Int64? {
        AvroEncoder.integer(tape.text(t))
    }

    /// A JSON number's text as Int64, or nil (a fraction, an exponent, out of range); the
    /// template plan (`AvroTemplateEncoder`) reads rendered numbers with it too.
    @inline(__always) static func integer(_ s: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        let negative = s[0] == 0x2D
        if negative { i = 1 }
        guard s.count - i <= 18 else { return bigInteger(s) ?? integralFloat(s) }
        var v: UInt64 = 0
        while i < s.count {
            let c = s[i]
            guard c >= 0x30 && c <= 0x39 else { return integralFloat(s) }
            v = v &* 10 &+ UInt64(c - 0x30)
            i += 1
        }
        if negative { return v <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- v) : nil }
        return v <= UInt64(Int64.max) ? Int64(v) : nil
    }

    /// 19 or more digits: exactly, through the standard library's parser.
    @inline(never) static func bigInteger(_ s: UnsafeRawBufferPointer) -> Int64? {
        Int64(String(decoding: s, as: UTF8.self))
    }

    /// `1.0` or `1e3`: an integer written as a float is accepted when it has no fraction.
    @inline(never) static func integralFloat(_ s: UnsafeRawBufferPointer) -> Int64? {
        guard let d = JSONNumber.double(s), d.rounded() == d, abs(d) < 9.007199254740992e15 else { return nil }
        return Int64(d)
    }

    /// A string token's UTF-8 bytes: the tape's bytes when unescaped, else decoded to scratch.
    @inline(__always) func stringBytes(_ t: JSONToken) throws(EncodeError) -> UnsafeRawBufferPointer {
        if !t.flag { return tape.text(t) }
        scratch.removeAll()
        do { try JSONTape.unescapeChecked(tape.text(t), into: scratch) } catch { throw EncodeError(error.message) }
        return scratch.bytes
    }

    // MARK: encoding

    func encode(_ n: AvroNode, _ i: Int) throws(EncodeError) {
        let t = tape[i]
        switch n.kind {
        case .null:
            guard t.kind == .null else { throw mismatch("null", i) }
        case .boolean:
            guard t.kind == .bool else { throw mismatch("boolean", i) }
            out.append(t.flag ? 1 : 0)
        case .int:
            let v: Int64
            if t.kind == .number, let x = integer(t) {
                v = x
            } else if t.kind == .string, n.logical != .none {
                v = try logicalFromString(n, i)
            } else {
                throw mismatch(n.logical == .none ? "int" : n.shownName + " (int)", i)
            }
            guard v >= Int64(Int32.min) && v <= Int64(Int32.max) else { throw EncodeError("\(v) does not fit an int (32 bits)") }
            writeLong(v)
        case .long:
            if t.kind == .number, let x = integer(t) {
                writeLong(x)
            } else if t.kind == .string, n.logical != .none {
                writeLong(try logicalFromString(n, i))
            } else {
                throw mismatch(n.logical == .none ? "long" : n.shownName + " (long)", i)
            }
        case .float, .double:
            let d: Double
            if t.kind == .number, let x = JSONNumber.double(tape.text(t)) {
                d = x
            } else if t.kind == .string, let x = specialDouble(tape.text(t)) {
                d = x
            } else {
                throw mismatch(n.name, i)
            }
            if n.kind == .float {
                out.reserve(4)
                var bits = Float(d).bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { out.append($0) }
            } else {
                var bits = d.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { out.append($0) }
            }
        case .string:
            guard t.kind == .string else { throw mismatch(n.logical == .uuid ? "uuid (string)" : "string", i) }
            let s = try stringBytes(t)
            if n.logical == .uuid, !AvroEncoder.isUUID(s) {
                throw EncodeError("expected a uuid (8-4-4-4-12 hex digits), got \(got(i))")
            }
            writeBytes(s)
        case .bytes:
            if case .decimal(_, let scale) = n.logical, t.kind == .number || (t.kind == .string && AvroEncoder.looksDecimal(tape.text(t))) {
                try writeDecimal(n, i, scale: scale, fixedSize: nil)
                return
            }
            guard t.kind == .string else { throw mismatch("bytes (a string of code points 0-255)", i) }
            scratch.removeAll()
            try latin1(t, i)
            writeBytes(scratch.bytes)
        case .fixed:
            if case .decimal(_, let scale) = n.logical, t.kind == .number || (t.kind == .string && AvroEncoder.looksDecimal(tape.text(t))) {
                try writeDecimal(n, i, scale: scale, fixedSize: n.size)
                return
            }
            guard t.kind == .string else { throw mismatch("\(n.name) (fixed, \(n.size) bytes)", i) }
            scratch.removeAll()
            try latin1(t, i)
            guard scratch.count == n.size else { throw EncodeError("expected \(n.size) bytes for fixed \(n.name), got \(scratch.count)") }
            out.append(scratch.bytes)
        case .enumeration:
            guard t.kind == .string else { throw mismatch("a symbol of enum \(n.name)", i) }
            let s = try stringBytes(t)
            let spans = n.symbolSpans
            var found = -1
            for k in 0..<spans.count where ByteSpan.equal(spans[k], s) { found = k; break }
            guard found >= 0 else {
                let list = n.symbols.prefix(10).map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")
                throw EncodeError("\(got(i)) is not a symbol of enum \(n.name) (\(list)\(n.symbols.count > 10 ? ", …" : ""))")
            }
            writeLong(Int64(found))
        case .array:
            guard t.kind == .array else { throw mismatch("an array", i) }
            if t.count > 0 {
                writeLong(Int64(t.count))
                var k = i + 1
                var index = 0
                let items = n.items!
                while k < Int(t.next) {
                    do { try encode(items, k) } catch { var e = error; e.path.append("[\(index)]"); throw e }
                    k = Int(tape[k].next)
                    index += 1
                }
            }
            out.append(0)
        case .map:
            guard t.kind == .object else { throw mismatch("an object (map)", i) }
            if t.count > 0 {
                writeLong(Int64(t.count))
                var k = i + 1
                let values = n.items!
                while k < Int(t.next) {
                    writeBytes(try stringBytes(tape[k]))
                    do { try encode(values, k + 1) } catch { var e = error; e.path.append(AvroEncoder.pathKey(tape.string(k))); throw e }
                    k = Int(tape[k + 1].next)
                }
            }
            out.append(0)
        case .record:
            guard t.kind == .object else { throw mismatch("an object (record \(n.name))", i) }
            try encodeRecord(n, i, t)
        case .union:
            try encodeUnion(n, i, t)
        }
    }
}
