@_spi(Engine) import KafkaEmit

/// A key's or a value's serializer: the JSON a source produced → Confluent's wire format
/// (byte 0, the schema id as 4 bytes big-endian, then the schema's binary body). Made once per
/// run by `SchemaResolver`; reused record after record (its output buffer keeps its storage).
final class FramedEncoder {
    let schemaID: Int32
    /// "key" or "value", for messages.
    let side: String
    let format: SchemaPlan.Format
    private let avro: AvroEncoder
    let out = ByteBuffer()
    /// The JSON of the last record encoded (a dry run shows it beside the id and the size).
    private(set) var lastJSON = UnsafeRawBufferPointer(start: nil, count: 0)

    init(schemaID: Int32, side: String, avro: AvroEncoder) {
        self.schemaID = schemaID
        self.side = side
        format = .avro
        self.avro = avro
    }

    @inline(__always) func encode(_ json: UnsafeRawBufferPointer) throws(EncodeError) -> UnsafeRawBufferPointer {
        lastJSON = json
        out.removeAll()
        out.reserve(5)
        out.base[0] = 0
        out.base[1] = UInt8(truncatingIfNeeded: schemaID >> 24)
        out.base[2] = UInt8(truncatingIfNeeded: schemaID >> 16)
        out.base[3] = UInt8(truncatingIfNeeded: schemaID >> 8)
        out.base[4] = UInt8(truncatingIfNeeded: schemaID)
        out.count = 5
        try avro.encode(json, into: out)
        return out.bytes
    }
}
