/// Protobuf schemas as descriptors: `google.protobuf.FileDescriptorSet` (what `protoc -o` and
/// `--descriptor_set_out` write) and `FileDescriptorProto` (what a registry's
/// `?format=serialized` answers, base64), decoded by hand — only the fields the JSON → binary
/// encoder needs; everything else (services, options but two, source info) is skipped.
///
/// Ours rather than apple/swift-protobuf 1.39.0's `Google_Protobuf_FileDescriptorSet`, measured
/// on this 2-core machine (a clean build of its library target alone, `swift build --target
/// SwiftProtobuf` in a scratch package): debug 22 s, release 41 s, TSan 30 s, ASan+fuzzer 30 s.
/// Each is under the ~60 s per build we allowed, but CI builds the package five times (debug,
/// release, TSan, ASan, fuzz): ~2.5 min more on a ~12 min run that must stay under 15 (and
/// machines here are up to 3× slower some days); it would also link FoundationEssentials into
/// kafka-emit (statically in the release build) for ~30 fields of four messages. This file is
/// those fields.
///
/// Not read: editions (`syntax = "editions"` is refused with a message), proto2 defaults
/// (`default_value`) and groups (refused when a field uses one).

/// One `.proto` file.
struct ProtoFile {
    var name = ""
    var package = ""
    var dependencies: [String] = []
    var messages: [ProtoMessage] = []
    var enums: [ProtoEnum] = []
    /// "proto2" (also when absent, as protoc writes it), "proto3" or "editions".
    var syntax = "proto2"
}

struct ProtoMessage {
    var name = ""
    var fields: [ProtoField] = []
    var nested: [ProtoMessage] = []
    var enums: [ProtoEnum] = []
    var oneofs: [String] = []
    /// `options.map_entry`: the synthetic entry message of a `map<K, V>` field.
    var mapEntry = false
}

struct ProtoField {
    enum Label: Int { case optional = 1, required = 2, repeated = 3 }
    /// FieldDescriptorProto.Type's numbers; 0 when absent (a registry may leave it out when
    /// `typeName` says it: then it is a message or an enum, known once the name is resolved).
    enum Kind: Int {
        case unknown = 0, double = 1, float, int64, uint64, int32, fixed64, fixed32, bool, string, group, message, bytes,
             uint32, enumeration, sfixed32, sfixed64, sint32, sint64
    }
    var name = ""
    var number: Int32 = 0
    var label = Label.optional
    var kind = Kind.unknown
    var typeName = ""
    var jsonName: String?
    var oneofIndex: Int?
    var proto3Optional = false
    /// `[packed = …]` when written.
    var packed: Bool?
}

struct ProtoEnum {
    var name = ""
    var values: [(name: String, number: Int32)] = []
}

struct ProtoDescriptorError: Error {
    var message: String
    /// The command line's fault (a `--value-message` the schema does not have), not the schema's.
    var usage = false
    init(_ message: String, usage: Bool = false) { (self.message, self.usage) = (message, usage) }
}

/// Reads the protobuf wire format of the descriptors (the few wire types they use).
private struct WireReader {
    let bytes: [UInt8]
    var pos: Int
    let end: Int

    init(_ bytes: [UInt8], _ range: Range<Int>) { (self.bytes, pos, end) = (bytes, range.lowerBound, range.upperBound) }

    var atEnd: Bool { pos >= end }

    mutating func varint() throws(ProtoDescriptorError) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while pos < end {
            let b = bytes[pos]
            pos += 1
            if shift < 64 { v |= UInt64(b & 0x7F) << shift }
            if b < 0x80 { return v }
            shift += 7
            if shift >= 70 { break }
        }
        throw ProtoDescriptorError("a truncated or malformed varint at byte \(pos)")
    }

    /// The next field's number and wire type.
    mutating func tag() throws(ProtoDescriptorError) -> (Int, Int) {
        let t = try varint()
        return (Int(truncatingIfNeeded: t >> 3), Int(t & 7))
    }

    /// A length-delimited field's byte range.
    mutating func range() throws(ProtoDescriptorError) -> Range<Int> {
        let n = try varint()
        guard n <= UInt64(end - pos) else { throw ProtoDescriptorError("a length past the end at byte \(pos)") }
        let r = pos..<(pos + Int(n))
        pos += Int(n)
        return r
    }

    mutating func string() throws(ProtoDescriptorError) -> String {
        String(decoding: bytes[try range()], as: UTF8.self)
    }

    mutating func skip(_ wireType: Int) throws(ProtoDescriptorError) {
        switch wireType {
        case 0: _ = try varint()
        case 1: pos += 8
        case 2: _ = try range()
        case 5: pos += 4
        default: throw ProtoDescriptorError("an unsupported wire type \(wireType) at byte \(pos)")
        }
        guard pos <= end else { throw ProtoDescriptorError("a field past the end") }
    }
}

enum ProtoDescriptors {
    /// A `FileDescriptorSet`'s files, in its order (protoc writes dependencies first).
    static func fileSet(_ bytes: [UInt8]) throws(ProtoDescriptorError) -> [ProtoFile] {
        var r = WireReader(bytes, 0..<bytes.count)
        var files: [ProtoFile] = []
        while !r.atEnd {
            let (field, wire) = try r.tag()
            if field == 1 && wire == 2 { files.append(try file(bytes, try r.range())) } else { try r.skip(wire) }
        }
        guard !files.isEmpty else { throw ProtoDescriptorError("no file in the descriptor set") }
        return files
    }

    /// One serialized `FileDescriptorProto`.
    static func file(_ bytes: [UInt8]) throws(ProtoDescriptorError) -> ProtoFile {
        try file(bytes, 0..<bytes.count)
    }

    /// The byte ranges of a `FileDescriptorSet`'s files (to hand one on as it is: the bytes a
    /// registry stores for it).
    static func fileRanges(_ bytes: [UInt8]) throws(ProtoDescriptorError) -> [Range<Int>] {
        var r = WireReader(bytes, 0..<bytes.count)
        var out: [Range<Int>] = []
        while !r.atEnd {
            let (field, wire) = try r.tag()
            if field == 1 && wire == 2 { out.append(try r.range()) } else { try r.skip(wire) }
        }
        return out
    }

    private static func file(_ bytes: [UInt8], _ range: Range<Int>) throws(ProtoDescriptorError) -> ProtoFile {
        var r = WireReader(bytes, range)
        var f = ProtoFile()
        while !r.atEnd {
            let (field, wire) = try r.tag()
            switch (field, wire) {
            case (1, 2): f.name = try r.string()
            case (2, 2): f.package = try r.string()
            case (3, 2): f.dependencies.append(try r.string())
            case (4, 2): f.messages.append(try message(bytes, try r.range()))
            case (5, 2): f.enums.append(try enumeration(bytes, try r.range()))
            case (12, 2): f.syntax = try r.string()
            default: try r.skip(wire)
            }
        }
        return f
    }

    private static func message(_ bytes: [UInt8], _ range: Range<Int>) throws(ProtoDescriptorError) -> ProtoMessage {
        var r = WireReader(bytes, range)
        var m = ProtoMessage()
        while !r.atEnd {
            let (field, wire) = try r.tag()
            switch (field, wire) {
            case (1, 2): m.name = try r.string()
            case (2, 2): m.fields.append(try self.field(bytes, try r.range()))
            case (3, 2): m.nested.append(try message(bytes, try r.range()))
            case (4, 2): m.enums.append(try enumeration(bytes, try r.range()))
            case (8, 2):
                // OneofDescriptorProto: its name (field 1).
                var o = WireReader(bytes, try r.range())
                var name = ""
                while !o.atEnd { let (f, w) = try o.tag(); if f == 1 && w == 2 { name = try o.string() } else { try o.skip(w) } }
                m.oneofs.append(name)
            case (7, 2):
                // MessageOptions: map_entry (field 7).
                var o = WireReader(bytes, try r.range())
                while !o.atEnd { let (f, w) = try o.tag(); if f == 7 && w == 0 { m.mapEntry = try o.varint() != 0 } else { try o.skip(w) } }
            default: try r.skip(wire)
            }
        }
        return m
    }

    private static func field(_ bytes: [UInt8], _ range: Range<Int>) throws(ProtoDescriptorError) -> ProtoField {
        var r = WireReader(bytes, range)
        var f = ProtoField()
        while !r.atEnd {
            let (field, wire) = try r.tag()
            switch (field, wire) {
            case (1, 2): f.name = try r.string()
            case (3, 0): f.number = Int32(truncatingIfNeeded: try r.varint())
            case (4, 0): f.label = ProtoField.Label(rawValue: Int(truncatingIfNeeded: try r.varint())) ?? .optional
            case (5, 0):
                let t = Int(truncatingIfNeeded: try r.varint())
                guard let k = ProtoField.Kind(rawValue: t) else { throw ProtoDescriptorError("field \(f.name): unknown type \(t)") }
                f.kind = k
            case (6, 2): f.typeName = try r.string()
            case (9, 0): f.oneofIndex = Int(truncatingIfNeeded: try r.varint())
            case (10, 2): f.jsonName = try r.string()
            case (17, 0): f.proto3Optional = try r.varint() != 0
            case (8, 2):
                // FieldOptions: packed (field 2).
                var o = WireReader(bytes, try r.range())
                while !o.atEnd { let (k, w) = try o.tag(); if k == 2 && w == 0 { f.packed = try o.varint() != 0 } else { try o.skip(w) } }
            default: try r.skip(wire)
            }
        }
        return f
    }

    private static func enumeration(_ bytes: [UInt8], _ range: Range<Int>) throws(ProtoDescriptorError) -> ProtoEnum {
        var r = WireReader(bytes, range)
        var e = ProtoEnum()
        while !r.atEnd {
            let (field, wire) = try r.tag()
            switch (field, wire) {
            case (1, 2): e.name = try r.string()
            case (2, 2):
                var v = WireReader(bytes, try r.range())
                var name = ""
                var number: Int32 = 0
                while !v.atEnd {
                    let (f, w) = try v.tag()
                    switch (f, w) {
                    case (1, 2): name = try v.string()
                    case (2, 0): number = Int32(truncatingIfNeeded: try v.varint())
                    default: try v.skip(w)
                    }
                }
                e.values.append((name, number))
            default: try r.skip(wire)
            }
        }
        return e
    }
}
