@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

// Scalars, map keys, enums and the well-known time types of the Protobuf encoder (ProtobufEncoder.swift holds messages and fields).

extension ProtobufEncoder {
    // MARK: scalars

    /// Writes a scalar value (with its tag when `tagged`); a zero value is skipped unless
    /// `always`. Returns whether it wrote.
    @discardableResult
    func writeScalar(_ f: ProtoFieldPlan, _ i: Int, tagged: Bool, always: Bool) throws(EncodeError) -> Bool {
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
    func encodeMapKey(_ f: ProtoFieldPlan, _ k: Int) throws(EncodeError) {
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
    func integer(_ scalar: ProtoScalar, _ i: Int) throws(EncodeError) -> UInt64 {
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

    func double(_ i: Int, float: Bool) throws(EncodeError) -> Double {
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

    func enumNumber(_ f: ProtoFieldPlan, _ i: Int) throws(EncodeError) -> Int32 {
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

    func encodeTime(_ m: ProtoMessagePlan, _ i: Int) throws(EncodeError) {
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
}
