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
    let tape = JSONTape()
    let scratch = ByteBuffer(capacity: 64)
    /// The body being encoded, then appended to the caller's buffer: a `let` buffer of its own
    /// (see `AvroEncoder.out`: a property holding the caller's buffer was retained around
    /// every write).
    let out = ByteBuffer(capacity: 64)
    /// Per message being encoded, the value token of each field (-1 absent, -2 null), in the
    /// plan's field order; a stack, as messages nest.
    @exclusivity(unchecked) var slots: UnsafeMutablePointer<Int32>
    @exclusivity(unchecked) var slotCapacity = 256
    @exclusivity(unchecked) var slotTop = 0

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

    @inline(__always) func writeVarint(_ v: UInt64) { out.appendVarint(v) }

    @inline(__always) func writeTag(_ tag: [UInt8]) {
        if tag.count == 1 { out.append(tag[0]) } else { out.append(tag) }
    }

    @inline(__always) func writeFixed<T: FixedWidthInteger>(_ v: T) {
        var le = v.littleEndian
        withUnsafeBytes(of: &le) { out.append($0) }
    }

    /// Reserves the one byte a length usually takes; `endLength` patches it (in ByteBuffer:
    /// from this module each access to its `base` and `count` was checked at run time).
    @inline(__always) func beginLength() -> Int { out.beginLength() }

    @inline(__always) func endLength(_ at: Int) { out.endLength(at) }

    // MARK: messages

    func encodeMessage(_ m: ProtoMessagePlan, _ i: Int) throws(EncodeError) {
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

    @inline(__always) func fieldIndex(_ m: ProtoMessagePlan, _ table: UnsafeMutableBufferPointer<ProtoMessagePlan.Entry>,
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

    @inline(__always) func equal(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && a.withUnsafeBytes { memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 }
    }

    @inline(never) func growSlots(_ needed: Int) {
        var c = slotCapacity
        while c < needed { c *= 2 }
        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: c)
        bigger.update(from: slots, count: slotTop)
        slots.deallocate()
        slots = bigger
        slotCapacity = c
    }

    @inline(never) func unknownField(_ m: ProtoMessagePlan, _ k: Int) -> EncodeError {
        let name = tape.string(k)
        let known = m.fields.map { String(decoding: $0.jsonBytes, as: UTF8.self) }
        var e = EncodeError("unknown field: message \(m.shownName) has no field \"\(name)\" (its fields: \(known.prefix(20).joined(separator: ", "))\(known.count > 20 ? ", …" : ""))")
        e.path.append(AvroEncoder.pathKey(name))
        return e
    }

    @inline(never) func oneofTwice(_ m: ProtoMessagePlan, _ base: Int, _ field: ProtoFieldPlan) -> EncodeError {
        let set = m.fields.indices.filter { m.fields[$0].oneof == field.oneof && slots[base + $0] >= 0 }.map { m.fields[$0].name }
        let name = field.oneof < m.oneofNames.count ? m.oneofNames[field.oneof] : "a oneof"
        return EncodeError("oneof \(name) of message \(m.shownName) takes at most one field, got \(set.joined(separator: " and "))")
    }

    // MARK: fields

    func encodeField(_ f: ProtoFieldPlan, _ i: Int, always: Bool) throws(EncodeError) {
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
    @inline(__always) func encodeSingle(_ f: ProtoFieldPlan, _ i: Int, always: Bool) throws(EncodeError) {
        if f.scalar == .message, let m = f.message {
            writeTag(f.tag)
            let at = beginLength()
            try encodeMessage(m, i)
            endLength(at)
        } else {
            _ = try writeScalar(f, i, tagged: true, always: always)
        }
    }
}

extension ProtobufEncoder: SchemaBodyEncoder {}
