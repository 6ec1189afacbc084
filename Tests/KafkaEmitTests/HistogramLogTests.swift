import Foundation
import Histogram
import Testing
@testable import KafkaEmitEngine

/// The V2 encoding against vectors HdrHistogram's Java HistogramLogWriter produced for the same
/// histogram (lowest 1, highest 3600000000, 3 digits).
@Suite struct HistogramLogTests {
    func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    @Test func encodesAsJavaDoes() {
        var h = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        for v: UInt64 in [1, 2, 3, 1000, 2047, 2048, 2049, 123_456, 5_000_000] { _ = h.record(v) }
        for _ in 0..<5 { _ = h.record(777) }
        let inner = HistogramLog.encodeV2(h)
        #expect(hex(Array(inner[0..<40])) == "1c849313" + "00000014" + "00000000" + "00000003" + "0000000000000001" + "00000000d693a400" + "3ff0000000000000")
        #expect(hex(Array(inner[40...])) == "0002020289" + "0c0abb0302ab1002048f5e02f35402")
        #expect(HistogramLog.encode(h).hasPrefix("HISTFAAAA"))
    }

    @Test func emptyHistogramIsOneZeroByte() {
        let h = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)
        let inner = HistogramLog.encodeV2(h)
        #expect(inner.count == 41 && inner[4...7] == [0, 0, 0, 1] && inner[40] == 0)
    }

    @Test func zigzagAndBase64() {
        var out: [UInt8] = []
        for v: Int64 in [0, 1, -1, 5, -773] { ZigZag.append(&out, v) }
        #expect(hex(out) == "0002010a890c")
        out = []
        ZigZag.append(&out, Int64.max)
        #expect(out.count == 9)
        #expect(Base64.encode(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw==")
        #expect(Base64.encode(Array("any carnal pleasu".utf8)) == "YW55IGNhcm5hbCBwbGVhc3U=")
    }
}
