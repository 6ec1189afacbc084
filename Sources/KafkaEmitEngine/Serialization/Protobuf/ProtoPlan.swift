/// A Protobuf message compiled once per run from its descriptors into what the encoder reads
/// record after record: each field's number, wire type and tag bytes precomputed, its JSON name
/// and original name as bytes, its message or enum resolved, its presence and packing decided.
/// Only the messages reachable from the chosen one are compiled.

/// A field's value kind on the wire (FieldDescriptorProto.Type less groups).
enum ProtoScalar: UInt8 {
    case double, float, int64, uint64, int32, fixed64, fixed32, bool, string, bytes, uint32, enumeration,
         sfixed32, sfixed64, sint32, sint64, message

    /// 0 varint, 1 64-bit, 2 length-delimited, 5 32-bit.
    var wireType: UInt8 {
        switch self {
        case .double, .fixed64, .sfixed64: 1
        case .float, .fixed32, .sfixed32: 5
        case .string, .bytes, .message: 2
        default: 0
        }
    }

    var name: String {
        switch self {
        case .enumeration: "enum"
        default: "\(self)"
        }
    }
}

/// Messages whose proto3 JSON form is not an object of their fields.
enum ProtoWellKnown: Equatable {
    case none
    /// `google.protobuf.Timestamp`: an RFC 3339 string.
    case timestamp
    /// `google.protobuf.Duration`: "1.5s".
    case duration
    /// `google.protobuf.Int32Value` etc.: the bare value of field 1.
    case wrapper
}

final class ProtoEnumPlan {
    let fullName: String
    let names: [[UInt8]]
    let numbers: [Int32]
    /// proto2's enums are closed: a number they do not define is refused.
    let closed: Bool

    init(fullName: String, _ e: ProtoEnum, closed: Bool) {
        self.fullName = fullName
        names = e.values.map { Array($0.name.utf8) }
        numbers = e.values.map(\.number)
        self.closed = closed
    }
}

final class ProtoFieldPlan {
    let name: String
    let nameBytes: [UInt8]
    let jsonBytes: [UInt8]
    let number: Int32
    let scalar: ProtoScalar
    /// The field's tag (number << 3 | wire type) as a varint.
    let tag: [UInt8]
    /// The tag with wire type 2, for a packed repeated field.
    let packedTag: [UInt8]
    let repeated: Bool
    let packed: Bool
    /// Explicit presence: a zero value is still written (proto2, `optional`, oneof members).
    let presence: Bool
    let required: Bool
    /// The oneof's index in its message, or -1 (`optional`'s synthetic oneofs are not counted).
    let oneof: Int
    var enumPlan: ProtoEnumPlan?
    /// The plans are owned by `ProtoSchema.messages`; fields point at them unowned (messages
    /// may be recursive).
    unowned(unsafe) var message: ProtoMessagePlan?
    /// A `map<K, V>` field: its entry's key (1) and value (2).
    var mapKey: ProtoFieldPlan?
    var mapValue: ProtoFieldPlan?

    init(_ f: ProtoField, scalar: ProtoScalar, proto3: Bool) {
        name = f.name
        nameBytes = Array(f.name.utf8)
        jsonBytes = Array((f.jsonName ?? ProtoFieldPlan.lowerCamel(f.name)).utf8)
        number = f.number
        self.scalar = scalar
        tag = ProtoFieldPlan.varint(UInt64(UInt32(bitPattern: f.number)) << 3 | UInt64(scalar.wireType))
        packedTag = ProtoFieldPlan.varint(UInt64(UInt32(bitPattern: f.number)) << 3 | 2)
        repeated = f.label == .repeated
        let packable = scalar != .string && scalar != .bytes && scalar != .message
        packed = repeated && packable && (f.packed ?? proto3)
        required = f.label == .required
        oneof = f.proto3Optional ? -1 : (f.oneofIndex ?? -1)
        presence = !repeated && (!proto3 || f.proto3Optional || f.oneofIndex != nil || scalar == .message)
    }

    /// protoc's default JSON name: `foo_bar` → `fooBar`.
    static func lowerCamel(_ name: String) -> String {
        var out = ""
        var upper = false
        for c in name {
            if c == "_" { upper = true; continue }
            out += upper ? c.uppercased() : String(c)
            upper = false
        }
        return out
    }

    static func varint(_ v: UInt64) -> [UInt8] {
        var v = v
        var out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }
}

final class ProtoMessagePlan {
    let fullName: String
    /// In field-number order, the order protobuf's serializers write them (so our bytes are
    /// theirs, whatever the JSON's member order).
    var fields: [ProtoFieldPlan] = []
    var oneofNames: [String] = []
    let wellKnown: ProtoWellKnown
    var hasRequired = false

    init(fullName: String, wellKnown: ProtoWellKnown) {
        self.fullName = fullName
        self.wellKnown = wellKnown
    }

    /// The name without the leading dot, for messages.
    var shownName: String { String(fullName.dropFirst()) }

    /// The fields as the encoder reads them per record: no reference counting (reading
    /// `fields[k]` retained a plan, and comparing its name arrays retained those: together 35 %
    /// of a Protobuf run's cycles, perf). Built by `finalize` once `fields` is complete.
    struct Entry {
        let field: Unmanaged<ProtoFieldPlan>
        let json: UnsafeRawBufferPointer
        let name: UnsafeRawBufferPointer
        let required: Bool
        let presence: Bool
        let oneof: Int
    }
    @exclusivity(unchecked) private(set) var table = UnsafeMutableBufferPointer<Entry>(start: nil, count: 0)

    func finalize() {
        freeTable()
        table = .allocate(capacity: fields.count)
        for (k, f) in fields.enumerated() {
            table.initializeElement(at: k, to: Entry(field: .passUnretained(f), json: ByteSpan.copy(f.jsonBytes), name: ByteSpan.copy(f.nameBytes),
                                                     required: f.required, presence: f.presence, oneof: f.oneof))
        }
    }

    private func freeTable() {
        for e in table { e.json.deallocate(); e.name.deallocate() }
        table.deallocate()
    }

    deinit { freeTable() }
}
