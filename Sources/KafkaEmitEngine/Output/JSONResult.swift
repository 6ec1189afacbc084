@_spi(Engine) import KafkaEmit

/// `-o json`: one object per result, `{"status":"delivered","topic":…,"partition":…,
/// "offset":…,"correlation":…,"key":…,"timestamp":…,"latency_ms":…}`; failed records carry
/// `"error"` and `"error_code"` instead of the offset (status `"unknown"` when the record may
/// have been stored).
enum JSONResult {
    /// `{"status":"delivered","topic":"T","partition":`: rendered once per topic by the
    /// formatter and passed as `head`.
    static func deliveredHead(_ topic: UnsafeRawBufferPointer, into out: ByteBuffer) {
        out.appendLiteral("{\"status\":\"delivered\",\"topic\":")
        JSONString.append(out, topic)
        out.appendLiteral(",\"partition\":")
    }

    static func append(_ r: borrowing ResultView, head: UnsafeRawBufferPointer, to out: ByteBuffer) {
        if r.delivered {
            out.append(head)
        } else {
            if r.outcome == .unknown { out.appendLiteral("{\"status\":\"unknown\",\"topic\":") } else { out.appendLiteral("{\"status\":\"failed\",\"topic\":") }
            JSONString.append(out, r.topic)
            out.appendLiteral(",\"partition\":")
        }
        out.appendDecimal(Int64(r.partition))
        if r.delivered { out.appendLiteral(",\"offset\":"); out.appendDecimal(r.offset) }
        if r.transaction >= 0 { out.appendLiteral(",\"transaction\":"); out.appendDecimal(r.transaction) }
        if let n = r.correlationNumber {
            out.appendLiteral(",\"correlation\":\""); out.appendDecimal(n); out.append(0x22)
        } else {
            out.appendLiteral(",\"correlation\":"); JSONString.append(out, r.correlation)
        }
        out.appendLiteral(",\"key\":")
        if let k = r.key { JSONString.append(out, k) } else { out.appendLiteral("null") }
        if r.timestampMillis >= 0 { out.appendLiteral(",\"timestamp\":"); out.appendDecimal(r.timestampMillis) }
        out.appendLiteral(",\"latency_ms\":"); out.appendMilli(r.latencyMicros)
        if !r.delivered {
            out.appendLiteral(",\"error\":")
            JSONString.append(out, r.errorMessage)
            out.appendLiteral(",\"error_code\":")
            JSONString.append(out, r.errorName)
        }
        out.appendLiteral("}\n")
    }
}
