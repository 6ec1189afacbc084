import Testing
@_spi(Engine) @testable import KafkaEmit

@Suite struct ByteBufferTests {
    @Test func appendsEverySizeExactly() {
        let b = ByteBuffer(capacity: 16)
        var expected: [UInt8] = []
        for n in 0...70 {
            let piece = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ n) }
            piece.withUnsafeBytes { b.append($0) }
            expected += piece
            #expect(b.array == expected, "after appending \(n) bytes")
        }
    }

    @Test(arguments: [0, 1, 9, 10, 99, 100, 12345, 999_999_999, 1_000_000_000, UInt64.max] as [UInt64])
    func decimals(value: UInt64) {
        let b = ByteBuffer()
        b.appendDecimal(value)
        #expect(String(decoding: b.array, as: UTF8.self) == String(value))
        b.removeAll()
        b.appendDecimal(value, width: 12)
        let s = String(value)
        #expect(String(decoding: b.array, as: UTF8.self) == String(repeating: "0", count: max(0, 12 - s.count)) + s)
        b.removeAll()
        b.appendDecimal(Int64(-5))
        #expect(b.array == Array("-5".utf8))
    }

    @Test func everyDecimalBelow200kAndAroundPowersOfTen() {
        let b = ByteBuffer()
        var values = Array(UInt64(0)..<200_000)
        var p: UInt64 = 1
        for _ in 0..<19 { p *= 10; values += [p - 1, p, p + 1, p + 99] }
        for v in values {
            b.removeAll()
            b.appendDecimal(v)
            #expect(String(decoding: b.array, as: UTF8.self) == String(v))
        }
    }

    @Test(arguments: [0, 5, 42, 999, 1000, 1001, 1_234_567, 60_000_000_000] as [UInt64])
    func milliseconds(value: UInt64) {
        let b = ByteBuffer()
        b.appendMilli(value)
        let frac = String(value % 1000)
        #expect(String(decoding: b.array, as: UTF8.self) == "\(value / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac)
    }
}
