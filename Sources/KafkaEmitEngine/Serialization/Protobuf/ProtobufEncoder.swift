@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Protobuf binary from JSON (SPEC §2b): the proto3 JSON mapping — JSON names or original
/// names, enums by name or number, 64-bit integers as numbers or strings, bytes as base64,
/// repeated (packed where the syntax says), maps, nested messages, oneofs (at most one member),
/// Timestamp, Duration and the wrappers. Fields are written in field-number order, as
/// protobuf's own serializers write them; proto3's zero values are not written unless the field
/// has presence (`optional`, a oneof member, proto2). One encoder per schema, reused record after
/// record: the tape, the scratch buffers and the slot stack keep their storage.
///
/// A nested message's length comes before its bytes: the encoder reserves one byte for it,
/// writes the body into the output, then patches the length in — moving the body along when
/// the length needs more than one byte (bodies of 128 bytes or more). Precomputing sizes would
/// walk (and parse the numbers of) each record's JSON twice; the move is one memmove of an
/// already-written body per nesting level, and most nested messages are short.
final class ProtobufEncoder {
    let schema: ProtoSchema
    private let tape = JSONTape()
    private let scratch = ByteBuffer(capacity: 64)
    /// The body being encoded, then appended to the caller's buffer: a `let` buffer of its own
    /// (see `AvroEncoder.out`: a property holding the caller's buffer was retained around
    /// every write).
    private let out = ByteBuffer(capacity: 64)
    /// Per message being encoded, the value token of each field (-1 absent, -2 null), in the
    /// plan's field order; a stack, as messages nest.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) private var slotCapacity = 256
    @exclusivity(unchecked) private var slotTop = 0

    init(_ schema: ProtoSchema) {
        self.schema = schema
        slots = .allocate(capacity: slotCapacity)
    }

    deinit { slots.deallocate() }

    /// Appends the Protobuf binary of `json` (the body, after Confluent's frame) to `output`.
    func encode(_ json: UnsafeRawBufferPointer, into output: ByteBuffer) throws(EncodeError) {
        do { try tape.parse(json) } catch { throw EncodeError("invalid JSON: \(error.message)") }
        out.removeAll()
        slotTop = 0
        try encodeMessage(schema.root, 0)
        output.append(out.bytes)
    }

    // MARK: writing

    @inline(__always) private func writeVarint(_ v: UInt64) { out.appendVarint(v) }

    @inline(__always) private func writeTag(_ tag: [UInt8]) {
        if tag.count == 1 { out.append(tag[0]) } else { out.append(tag) }
    }

    @inline(__always) private func writeFixed<T: FixedWidthInteger>(_ v: T) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { out.append($0) }
    }

    /// Reserves the one byte a length usually takes; `endLength` patches it (in ByteBuffer:
    /// from this module each access to its `base` and `count` was checked at run time).
    @inline(__always) private func beginLength() -> Int { out.beginLength() }

    @inline(__always) private func endLength(_ at: Int) { out.endLength(at) }

    // MARK: messages

    private func encodeMessage(_ m: ProtoMessagePlan, _ i: Int) throws(EncodeError) {
        switch m.wellKnown {
        case .timestamp, .duration: return try encodeTime(m, i)
        case .wrapper: return try encodeField(m.fields[0], i, always: false)
        case .none: break
        }
        let t = tape[i]
        guard t.kind == .object else { throw mismatch("an object (message \(m.shownName))", i) }
        if m.table.count != m.fields.count { m.finalize() }
        let table = m.table
        let n = table.count
        if slotTop + n > slotCapacity { growSlots(slotTop + n) }
        let base = slotTop
        for k in 0..<n { slots[base + k] = -1 }
        slotTop += n
        defer { slotTop = base }
        // Each member to its field's slot, by JSON name or original name.
        var k = i + 1
        let end = Int(t.next)
        while k < end {
            guard let f = fieldIndex(m, table, k) else { throw unknownField(m, k) }
            guard slots[base + f] == -1 else {
                var e = EncodeError("field \(m.fields[f].name) is given twice (as \"\(m.fields[f].name)\" and \"\(String(decoding: m.fields[f].jsonBytes, as: UTF8.self))\")")
                e.path.append(AvroEncoder.pathKey(tape.string(k)))
                throw e
            }
            slots[base + f] = tape[k + 1].kind == .null ? -2 : Int32(k + 1)
            k = Int(tape[k + 1].next)
        }
        // Then in field-number order.
        var oneofSeen: UInt64 = 0
        for f in 0..<n {
            let v = Int(slots[base + f])
            let entry = table[f]
            if v < 0 {
                if entry.required && v == -1 {
                    var e = EncodeError("missing, and it is required (message \(m.shownName))")
                    e.path.append(AvroEncoder.pathKey(m.fields[f].name))
                    throw e
                }
                continue
            }
            if entry.oneof >= 0 {
                let bit: UInt64 = entry.oneof < 64 ? 1 << UInt64(entry.oneof) : 0
                if oneofSeen & bit != 0 { throw oneofTwice(m, base, m.fields[f]) }
                oneofSeen |= bit
            }
            // The plan without a retain: the schema owns it for the encoder's life.
            var failure: EncodeError? = nil
            entry.field._withUnsafeGuaranteedRef { field in
                do throws(EncodeError) { try encodeField(field, v, always: entry.presence) } catch { failure = error }
            }
            if var e = failure {
                e.path.append(AvroEncoder.pathKey(tape.string(v - 1)))
                throw e
            }
        }
    }

    @inline(__always) private func fieldIndex(_ m: ProtoMessagePlan, _ table: UnsafeMutableBufferPointer<ProtoMessagePlan.Entry>,
                                              _ key: Int) -> Int? {
        let kt = tape[key]
        if kt.flag {
            let name = Array(tape.string(key).utf8)
            return m.fields.firstIndex { $0.jsonBytes == name || $0.nameBytes == name }
        }
        let text = tape.text(kt)
        for f in 0..<table.count where ByteSpan.equal(table[f].json, text) || ByteSpan.equal(table[f].name, text) { return f }
        return nil
    }

    @inline(__always) private func equal(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }
    }

    @inline(never) private func growSlots(_ needed: Int) {
        var c = slotCapacity
        while c < needed { c *= 2 }
        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: c)
        bigger.update(from: slots, count: slotTop)
        slots.deallocate()
        slots = bigger
        slotCapacity = c
    }

    @inline(never) private func unknownField(_ m: ProtoMessagePlan, _ k: Int) -> EncodeError {
        let name = tape.string(k)
        let known = m.fields.map { String(decoding: $0.jsonBytes, as: UTF8.self) }
        var e = EncodeError("unknown field: message \(m.shownName) has no field \"\(name)\" (its fields: \(known.prefix(20).joined(separator: ", "))\(known.count > 20 ? ", …" : ""))")
        e.path.append(AvroEncoder.pathKey(name))
        return e
    }

    @inline(never) private func oneofTwice(_ m: ProtoMessagePlan, _ base: Int, _ field: ProtoFieldPlan) -> EncodeError {
        let set = m.fields.indices.filter { m.fields[$0].oneof == field.oneof && slots[base + $0] >= 0 }.map { m.fields[$0].name }
        let name = field.oneof < m.oneofNames.count ? m.oneofNames[field.oneof] : "a oneof"
        return EncodeError("oneof \(name) of message \(m.shownName) takes at most one field, got \(set.joined(separator: " and "))")
    }

    // MARK: fields

    private func encodeField(_ f: ProtoFieldPlan, _ i: Int, always: Bool) throws(EncodeError) {
        let t = tape[i]
        if let key = f.mapKey, let value = f.mapValue {
            guard t.kind == .object else { throw mismatch("an object (map)", i) }
            var k = i + 1
            while k < Int(t.next) {
                writeTag(f.packedTag)
                let at = beginLength()
                do throws(EncodeError) {
                    try encodeMapKey(key, k)
                    guard tape[k + 1].kind != .null else { throw EncodeError("a map value cannot be null") }
                    try encodeSingle(value, k + 1, always: true)
                } catch {
                    var e = error
                    e.path.append(AvroEncoder.pathKey(tape.string(k)))
                    throw e
                }
                endLength(at)
                k = Int(tape[k + 1].next)
            }
            return
        }
        guard f.repeated else { return try encodeSingle(f, i, always: always) }
        guard t.kind == .array else { throw mismatch("an array", i) }
        guard t.count > 0 else { return }
        var k = i + 1
        var index = 0
        if f.packed {
            writeTag(f.packedTag)
            let at = beginLength()
            while k < Int(t.next) {
                do { _ = try writeScalar(f, k, tagged: false, always: true) } catch { var e = error; e.path.append("[\(index)]"); throw e }
                k = Int(tape[k].next)
                index += 1
            }
            endLength(at)
            return
        }
        while k < Int(t.next) {
            do throws(EncodeError) {
                guard tape[k].kind != .null else { throw EncodeError("an element of a repeated field cannot be null") }
                try encodeSingle(f, k, always: true)
            } catch {
                var e = error
                e.path.append("[\(index)]")
                throw e
            }
            k = Int(tape[k].next)
            index += 1
        }
    }

    /// One value with its tag: a message (length-prefixed) or a scalar.
    @inline(__always) private func encodeSingle(_ f: ProtoFieldPlan, _ i: Int, always: Bool) throws(EncodeError) {
        if f.scalar == .message, let m = f.message {
            writeTag(f.tag)
            let at = beginLength()
            try encodeMessage(m, i)
            endLength(at)
        } else {
            _ = try writeScalar(f, i, tagged: true, always: always)
        }
    }

    // MARK: scalars

    /// Writes a scalar value (with its tag when `tagged`); a zero value is skipped unless
    /// `always`. Returns whether it wrote.
    @discardableResult
    private func writeScalar(_ f: ProtoFieldPlan, _ i: Int, tagged: Bool, always: Bool) throws(EncodeError) -> Bool {
        let t = tape[i]
        switch f.scalar {
        case .string:
            guard t.kind == .string else { throw mismatch("string", i) }
            let s = try stringBytes(t)
            guard ProtobufEncoder.isUTF8(s) else { throw EncodeError("a string field needs valid UTF-8") }
            if !always && s.count == 0 { return false }
            if tagged { writeTag(f.tag) }
            writeVarint(UInt64(s.count))
            out.append(s)
            return true
        case .bytes:
            guard t.kind == .string else { throw mismatch("bytes (base64)", i) }
            scratch.removeAll()
            guard ProtobufEncoder.base64(t.flag ? try stringBytes(t) : tape.text(t), into: scratch) else {
                throw EncodeError("expected bytes as base64 (standard or URL-safe), got \(got(i))")
            }
            if !always && scratch.count == 0 { return false }
            if tagged { writeTag(f.tag) }
            writeVarint(UInt64(scratch.count))
            out.append(scratch.bytes)
            return true
        case .bool:
            guard t.kind == .bool else { throw mismatch("bool", i) }
            if !always && !t.flag { return false }
            if tagged { writeTag(f.tag) }
            out.append(t.flag ? 1 : 0)
            return true
        case .double, .float:
            let d = try double(i, float: f.scalar == .float)
            if f.scalar == .float {
                let bits = Float(d).bitPattern
                if !always && bits == 0 { return false }
                if tagged { writeTag(f.tag) }
                writeFixed(bits)
            } else {
                if !always && d.bitPattern == 0 { return false }
                if tagged { writeTag(f.tag) }
                writeFixed(d.bitPattern)
            }
            return true
        case .enumeration:
            let v = try enumNumber(f, i)
            if !always && v == 0 { return false }
            if tagged { writeTag(f.tag) }
            writeVarint(UInt64(bitPattern: Int64(v)))
            return true
        case .message:
            throw EncodeError("internal: a message as a scalar")
        default:
            let v = try integer(f.scalar, i)
            if !always && v == 0 { return false }
            if tagged { writeTag(f.tag) }
            switch f.scalar {
            case .fixed32, .sfixed32: writeFixed(UInt32(truncatingIfNeeded: v))
            case .fixed64, .sfixed64: writeFixed(v)
            case .sint32, .sint64:
                let s = Int64(bitPattern: v)
                writeVarint(UInt64(bitPattern: (s << 1) ^ (s >> 63)))
            default: writeVarint(v) // int32 negative: sign-extended to 10 bytes, as protobuf writes it
            }
            return true
        }
    }

    /// A map key: JSON object keys are strings; integer and bool keys are their text.
    private func encodeMapKey(_ f: ProtoFieldPlan, _ k: Int) throws(EncodeError) {
        let key = tape[k]
        switch f.scalar {
        case .string:
            try writeScalar(f, k, tagged: true, always: true)
        case .bool:
            let s = try stringBytes(key)
            let v: UInt8
            if equal(Array("true".utf8), s) { v = 1 } else if equal(Array("false".utf8), s) { v = 0 } else {
                throw EncodeError("expected a bool map key (\"true\" or \"false\"), got \(got(k))")
            }
            writeTag(f.tag)
            out.append(v)
        default:
            try writeScalar(f, k, tagged: true, always: true) // integer keys: read from the string
        }
    }

    /// An integer of the field's type, as its 64-bit pattern (sign-extended for signed types).
    private func integer(_ scalar: ProtoScalar, _ i: Int) throws(EncodeError) -> UInt64 {
        let t = tape[i]
        guard t.kind == .number || t.kind == .string else { throw mismatch(scalar.name, i) }
        let text = t.kind == .string ? try stringBytes(t) : tape.text(t)
        guard let (negative, magnitude) = ProtobufEncoder.parseInteger(text, allowFloat: t.kind == .number) else {
            throw mismatch(scalar.name, i)
        }
        let fits: Bool
        switch scalar {
        case .int32, .sint32, .sfixed32: fits = negative ? magnitude <= 1 << 31 : magnitude < 1 << 31
        case .uint32, .fixed32: fits = (!negative || magnitude == 0) && magnitude <= UInt64(UInt32.max)
        case .uint64, .fixed64: fits = !negative || magnitude == 0
        default: fits = negative ? magnitude <= 1 << 63 : magnitude < 1 << 63
        }
        guard fits else { throw EncodeError("\(got(i)) does not fit a \(scalar.name)") }
        return negative ? 0 &- magnitude : magnitude
    }

    private func double(_ i: Int, float: Bool) throws(EncodeError) -> Double {
        let t = tape[i]
        let name = float ? "float" : "double"
        let d: Double
        if t.kind == .number, let x = JSONNumber.double(tape.text(t)) {
            d = x
        } else if t.kind == .string {
            let s = try stringBytes(t)
            switch String(decoding: s, as: UTF8.self) {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default:
                guard let x = JSONNumber.double(s), x.isFinite else { throw mismatch(name, i) }
                d = x
            }
        } else {
            throw mismatch(name, i)
        }
        guard d.isFinite else { throw EncodeError("\(got(i)) is out of range for a \(name)") }
        if float, abs(d) > Double(Float.greatestFiniteMagnitude) { throw EncodeError("\(got(i)) is out of range for a float") }
        return d
    }

    private func enumNumber(_ f: ProtoFieldPlan, _ i: Int) throws(EncodeError) -> Int32 {
        let t = tape[i]
        let e = f.enumPlan!
        if t.kind == .string {
            let s = try stringBytes(t)
            guard let k = e.names.firstIndex(where: { equal($0, s) }) else {
                let list = e.names.prefix(10).map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")
                throw EncodeError("\(got(i)) is not a value of enum \(e.fullName.dropFirst()) (\(list)\(e.names.count > 10 ? ", …" : ""))")
            }
            return e.numbers[k]
        }
        guard t.kind == .number else { throw mismatch("a name or number of enum \(e.fullName.dropFirst())", i) }
        let v = Int32(truncatingIfNeeded: Int64(bitPattern: try integer(.int32, i)))
        if e.closed && !e.numbers.contains(v) { throw EncodeError("\(v) is not a number of enum \(e.fullName.dropFirst())") }
        return v
    }

    // MARK: well-known types

    private func encodeTime(_ m: ProtoMessagePlan, _ i: Int) throws(EncodeError) {
        let t = tape[i]
        let isTimestamp = m.wellKnown == .timestamp
        guard t.kind == .string else {
            throw mismatch(isTimestamp ? "a Timestamp (an RFC 3339 string like \"2026-12-03T10:00:00Z\")" : "a Duration (a string like \"1.5s\")", i)
        }
        let s = try stringBytes(t)
        guard let (seconds, nanos) = isTimestamp ? ProtoTime.timestamp(s) : ProtoTime.duration(s) else {
            throw EncodeError(isTimestamp
                ? "expected a Timestamp: an RFC 3339 time like \"2026-12-03T10:00:00.5Z\" (years 0001-9999), got \(got(i))"
                : "expected a Duration like \"1.5s\" (at most ±315576000000s, 9 fraction digits), got \(got(i))")
        }
        if seconds != 0 { out.append(0x08); writeVarint(UInt64(bitPattern: seconds)) }
        if nanos != 0 { out.append(0x10); writeVarint(UInt64(bitPattern: Int64(nanos))) }
    }

    // MARK: reading the tape

    private func got(_ i: Int) -> String { tape.shown(i) }

    private func mismatch(_ expected: String, _ i: Int) -> EncodeError {
        EncodeError("expected \(expected), got \(got(i))")
    }

    /// A string token's UTF-8 bytes: the tape's bytes when unescaped, else decoded to scratch.
    @inline(__always) private func stringBytes(_ t: JSONToken) throws(EncodeError) -> UnsafeRawBufferPointer {
        if !t.flag { return tape.text(t) }
        scratch.removeAll()
        do { try JSONTape.unescapeChecked(tape.text(t), into: scratch) } catch { throw EncodeError(error.message) }
        return scratch.bytes
    }

    /// An integer's sign and magnitude: digits, or (for JSON numbers) an integral float such as
    /// `1.0` or `1e3` below 2^53, as protobuf's JSON parsers accept.
    static func parseInteger(_ s: UnsafeRawBufferPointer, allowFloat: Bool) -> (Bool, UInt64)? {
        guard s.count > 0 else { return nil }
        var i = 0
        let negative = s[0] == 0x2D
        if negative { i = 1 }
        guard i < s.count else { return nil }
        var v: UInt64 = 0
        while i < s.count {
            let c = s[i]
            guard c >= 0x30 && c <= 0x39 else {
                guard allowFloat, let d = JSONNumber.double(s), d.rounded() == d, abs(d) < 9.007199254740992e15 else { return nil }
                return (d < 0, UInt64(abs(d)))
            }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
            guard !o1 && !o2 else { return nil }
            v = a
            i += 1
        }
        return (negative, v)
    }

    /// Base64, standard or URL-safe alphabet, padding optional (proto3 JSON accepts either).
    static func base64(_ s: UnsafeRawBufferPointer, into out: ByteBuffer) -> Bool {
        var acc: UInt32 = 0
        var bits = 0
        var n = s.count
        while n > 0, s[n - 1] == 0x3D { n -= 1 }
        guard s.count - n <= 2 else { return false }
        for k in 0..<n {
            let c = s[k]
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B, 0x2D: v = 62
            case 0x2F, 0x5F: v = 63
            default: return false
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return bits < 6 // a lone sextet is not a byte
    }

    /// UTF-8 well-formedness (protobuf's parsers refuse a string field that is not).
    static func isUTF8(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if c < 0x80 { i += 1; continue }
            let (len, lead, minimum): (Int, UInt32, UInt32)
            switch c {
            case 0xC2...0xDF: (len, lead, minimum) = (2, UInt32(c & 0x1F), 0x80)
            case 0xE0...0xEF: (len, lead, minimum) = (3, UInt32(c & 0x0F), 0x800)
            case 0xF0...0xF4: (len, lead, minimum) = (4, UInt32(c & 0x07), 0x10000)
            default: return false
            }
            var v = lead
            guard i + len <= n else { return false }
            for k in 1..<len {
                let d = s[i + k]
                guard d & 0xC0 == 0x80 else { return false }
                v = v << 6 | UInt32(d & 0x3F)
            }
            guard v >= minimum, v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else { return false }
            i += len
        }
        return true
    }
}

extension ProtobufEncoder: SchemaBodyEncoder {}
