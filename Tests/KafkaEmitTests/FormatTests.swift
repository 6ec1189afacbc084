import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// A librdkafka-style detail string with quotes to escape (NUL-terminated, static).
private let tooLargeText: StaticString = "Broker: Message size \"too\" large"
nonisolated(unsafe) private let tooLarge = UnsafeRawBufferPointer(start: tooLargeText.utf8Start, count: tooLargeText.utf8CodeUnitCount)

@Suite struct FormatTests {
    func line(_ format: OutputFormat, delivered: Bool = true, key: [UInt8]? = Array("k1".utf8),
              correlation: String = "c-1", possiblyStored: Bool = false) -> String {
        let f = ResultFormatter(format: format)
        let topic = Array("orders".utf8)
        let out = ByteBuffer()
        let corr = Array(correlation.utf8)
        let value = Array("v".utf8)
        corr.withUnsafeBytes { c in
            value.withUnsafeBytes { v in
                func go(_ k: UnsafeRawBufferPointer?) {
                    topic.withUnsafeBytes { t in f.append(ResultView(outcome: delivered ? .delivered : possiblyStored ? .unknown : .failed, topic: t, partition: 2, offset: 41, timestampMillis: 1700000000123,
                                        latencyMicros: 1234, key: k, value: v, correlation: c,
                                        errorCode: delivered ? 0 : 10,   // RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE
                                        errorDetail: delivered ? nil : tooLarge), to: out) }
                }
                if let key { key.withUnsafeBytes { go($0) } } else { go(nil) }
            }
        }
        return String(decoding: out.array, as: UTF8.self)
    }

    @Test func textLines() {
        #expect(line(.text) == "delivered topic=orders partition=2 offset=41 correlation=c-1\n")
        #expect(line(.text, delivered: false) ==
                "failed topic=orders correlation=c-1 error=\"MSG_SIZE_TOO_LARGE: Broker: Message size \\\"too\\\" large\"\n")
    }

    /// SPEC §4: a record librdkafka failed but that may have been stored reads `unknown`.
    @Test func unknownOutcome() throws {
        #expect(line(.text, delivered: false, possiblyStored: true) ==
                "unknown topic=orders correlation=c-1 error=\"MSG_SIZE_TOO_LARGE: Broker: Message size \\\"too\\\" large\"\n")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(line(.json, delivered: false, possiblyStored: true).utf8)) as? [String: Any])
        #expect(obj["status"] as? String == "unknown")
        #expect(obj["error_code"] as? String == "MSG_SIZE_TOO_LARGE")
        #expect(line(.custom("%s\\n"), delivered: false, possiblyStored: true) == "unknown\n")
        #expect(line(.custom("%s\\n"), delivered: false) == "failed\n")
    }

    @Test func customFormat() {
        #expect(line(.custom("%s %t %p:%o %c %k=%v %l %T%%\\n")) == "delivered orders 2:41 c-1 k1=v 1.234 1700000000123%\n")
        // %e holds spaces: quoted as in text lines, so the line stays one record's
        #expect(line(.custom("%s %e\\n"), delivered: false).hasPrefix("failed \"MSG_SIZE_TOO_LARGE: Broker: Message size \\\"too\\\" large\"\n"))
        #expect(line(.custom("%k|%c\\n"), key: Array("a b\n".utf8), correlation: "c 1") == "\"a b\\n\"|\"c 1\"\n")
    }

    @Test func jsonParses() throws {
        let text = line(.json)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(obj["status"] as? String == "delivered")
        #expect(obj["partition"] as? Int == 2)
        #expect(obj["offset"] as? Int == 41)
        #expect(obj["correlation"] as? String == "c-1")
        #expect(obj["key"] as? String == "k1")
        #expect(obj["timestamp"] as? Int == 1700000000123)
        #expect((obj["latency_ms"] as? Double).map { abs($0 - 1.234) < 1e-9 } == true)
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(line(.json, delivered: false).utf8)) as? [String: Any])
        #expect(failed["status"] as? String == "failed")
        #expect(failed["error_code"] as? String == "MSG_SIZE_TOO_LARGE")
        #expect(failed["offset"] == nil)
        let nullKey = try #require(try JSONSerialization.jsonObject(with: Data(line(.json, key: nil).utf8)) as? [String: Any])
        #expect(nullKey["key"] is NSNull)
    }

    @Test(arguments: [
        Array("quote\"back\\slash".utf8),
        [0x00, 0x01, 0x1F, 0x7F, 0x0A, 0x0D, 0x09],
        [0xFF, 0xFE, 0x41, 0xC3],             // invalid UTF-8
        Array("héllo ✓ 😀".utf8),
        [0xED, 0xA0, 0x80],                   // UTF-16 surrogate encoded: invalid
    ])
    func jsonKeysAlwaysParse(key: [UInt8]) throws {
        let text = line(.json, key: key)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let k = try #require(obj["key"] as? String)
        if let valid = String(validating: key, as: UTF8.self) { #expect(k == valid) }
    }
}
