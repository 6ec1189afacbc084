@_spi(Engine) import KafkaEmit

/// One JSON envelope (SPEC §2a), parsed into reused buffers: kcat `-J` lines (`topic`,
/// `partition`, `offset`, `tstype`, `ts`, `broker`, `headers` as `[name, value, ...]`, `key`,
/// `payload`) and kafka-emit's own `--dry-run -o json` records (`value`, `headers` as an
/// object, `timestamp`, `correlation`). Strings are kept byte-exact (`\u0000` and raw bytes
/// included); an object or array key/value is its compact JSON text. Any other field, a wrong
/// type or nesting deeper than 512 levels is an error naming what is wrong.
final class Envelope {
    let key = ByteBuffer()
    let value = ByteBuffer()
    let topic = ByteBuffer(capacity: 64)
    let headers = HeaderList()
    private(set) var hasKey = false
    private(set) var hasValue = false
    private(set) var hasTopic = false
    private(set) var partition: Int32?
    private(set) var timestampMillis: Int64?

    static let maxDepth = 512
    private let scratchName = ByteBuffer(capacity: 64)
    private let scratchValue = ByteBuffer()

    /// Parses one line; throws a message for the `failed` line or exit 65.
    func parse(_ line: UnsafeRawBufferPointer) throws(EnvelopeError) {
        key.removeAll(); value.removeAll(); topic.removeAll(); headers.removeAll()
        hasKey = false; hasValue = false; hasTopic = false; partition = nil; timestampMillis = nil
        var p = JSONScanner(line)
        p.skipSpace()
        guard p.peek() == UInt8(ascii: "{") else { throw EnvelopeError("expected a JSON object, as kcat -J or --dry-run -o json print") }
        var seen: Set<String> = []
        try p.object(depth: 1) { (p: inout JSONScanner, name: [UInt8]) throws(EnvelopeError) in
            let field = String(decoding: name, as: UTF8.self)
            // `payload` and `value` are one field; `ts` and `timestamp` too.
            let slot = field == "payload" ? "value" : field == "ts" ? "timestamp" : field
            guard seen.insert(slot).inserted else { throw EnvelopeError("field \"\(field)\" appears twice") }
            switch field {
            case "key": hasKey = try p.bytesOrJSON(into: key, field: field)
            case "payload", "value": hasValue = try p.bytesOrJSON(into: value, field: field)
            case "topic":
                hasTopic = try p.nullableString(into: topic, field: field)
            case "partition":
                if p.literal("null") { break }
                guard let n = try p.integer(), n >= -1, n <= Int64(Int32.max) else {
                    throw EnvelopeError("\"partition\" must be an integer from -1 up")
                }
                partition = n >= 0 ? Int32(n) : nil
            case "ts", "timestamp":
                if p.literal("null") { break }
                guard let n = try p.integer(), n >= 0 else { throw EnvelopeError("\"\(field)\" must be milliseconds since the epoch") }
                timestampMillis = n > 0 ? n : nil
            case "headers": try parseHeaders(&p)
            case "offset", "broker", "tstype", "correlation":
                try p.skipScalar(field: field)   // where the record came from: not sent
            default:
                throw EnvelopeError("unknown field \"\(field)\"; an envelope has topic, partition, key, payload (or value), headers, ts (or timestamp)")
            }
        }
        p.skipSpace()
        guard p.atEnd else { throw EnvelopeError("unexpected text after the JSON object") }
    }

    /// `[name, value, ...]` (kcat) or `{"name": value, ...}` (dry run); null values are null headers.
    private func parseHeaders(_ p: inout JSONScanner) throws(EnvelopeError) {
        if p.literal("null") { return }
        switch p.peek() {
        case UInt8(ascii: "["):
            var names = 0
            var pendingName = false
            try p.array(depth: 2) { (p: inout JSONScanner) throws(EnvelopeError) in
                if !pendingName {
                    scratchName.removeAll()
                    guard try p.nullableString(into: scratchName, field: "headers") else { throw EnvelopeError("a header name is null") }
                    pendingName = true
                } else {
                    scratchValue.removeAll()
                    let present = try p.nullableString(into: scratchValue, field: "headers")
                    headers.append(name: scratchName.bytes, value: present ? scratchValue.bytes : nil)
                    pendingName = false
                    names += 1
                }
            }
            if pendingName { throw EnvelopeError("\"headers\" must alternate names and values") }
        case UInt8(ascii: "{"):
            try p.object(depth: 2) { (p: inout JSONScanner, name: [UInt8]) throws(EnvelopeError) in
                scratchValue.removeAll()
                let present = try p.nullableString(into: scratchValue, field: "headers")
                name.withUnsafeBytes { headers.append(name: $0, value: present ? scratchValue.bytes : nil) }
            }
        default:
            throw EnvelopeError("\"headers\" must be an array [name, value, ...] or an object {\"name\": value}")
        }
    }
}

package struct EnvelopeError: Error, Equatable {
    package var message: String
    init(_ m: String) { message = m }
}
