@_spi(Engine) import KafkaEmit

/// A schema's body encoder: the JSON a source produced → the schema's binary form (Avro
/// binary, Protobuf binary, JSON Schema's compact JSON), appended to `output`. One per schema,
/// made once per run and reused record after record.
protocol SchemaBodyEncoder: AnyObject {
    func encode(_ json: UnsafeRawBufferPointer, into output: ByteBuffer) throws(EncodeError)
}

extension AvroEncoder: SchemaBodyEncoder {}

/// A key's or a value's serializer: the JSON a source produced → Confluent's wire format
/// (byte 0, the schema id as 4 bytes big-endian, for Protobuf the message indexes, then the
/// body). Made once per run by `SchemaResolver`; reused record after record (its output
/// buffer keeps its storage).
final class FramedEncoder {
    let schemaID: Int32
    /// "key" or "value", for messages.
    let side: String
    let format: SchemaPlan.Format
    let body: SchemaBodyEncoder
    /// What follows the id: Protobuf's message-index list; empty for Avro and JSON Schema.
    private let prefix: [UInt8]
    let out = ByteBuffer()
    /// The JSON of the last record encoded (a dry run shows it beside the id and the size).
    private(set) var lastJSON = UnsafeRawBufferPointer(start: nil, count: 0)

    init(schemaID: Int32, side: String, format: SchemaPlan.Format, body: SchemaBodyEncoder, prefix: [UInt8] = []) {
        self.schemaID = schemaID
        self.side = side
        self.format = format
        self.body = body
        self.prefix = prefix
        out.append(0)
        for shift in [24, 16, 8, 0] { out.append(UInt8(truncatingIfNeeded: schemaID >> Int32(shift))) }
        for b in prefix { out.append(b) }
    }

    /// The bytes before the body: the magic byte, the id, the indexes.
    var frame: [UInt8] { Array(out.bytes.prefix(5 + prefix.count)) }

    @inline(__always) func encode(_ json: UnsafeRawBufferPointer) throws(EncodeError) -> UnsafeRawBufferPointer {
        lastJSON = json
        // The frame (magic byte, id, indexes) was written once; only the body changes.
        out.truncate(to: 5 + prefix.count)
        try body.encode(json, into: out)
        return out.bytes
    }
}
