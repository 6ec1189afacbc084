import Crdkafka
#if canImport(Glibc)
import Glibc
#endif

/// The headers of a delivered message, as librdkafka holds them (valid while its delivery
/// report is being handled).
package struct MessageHeaders {
    let raw: UnsafeMutableRawPointer

    /// Reads a message's headers (nil when it has none).
    init?(message: UnsafePointer<rd_kafka_message_t>) {
        var hdrs: OpaquePointer?
        guard rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs else { return nil }
        raw = UnsafeMutableRawPointer(hdrs)
    }

    /// Each header in order: name bytes and value (nil for a null value).
    package func forEach(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer?) -> Void) {
        let hdrs = OpaquePointer(raw)
        var i = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(hdrs, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let n = name.map { UnsafeRawBufferPointer(start: $0, count: strlen($0)) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
            body(n, value.map { UnsafeRawBufferPointer(start: $0, count: size) })
            i += 1
        }
    }
}
