#if canImport(Glibc)
import Glibc
#endif

/// JSON numbers (and the decimal text of 64-bit integers given as strings) as doubles, for
/// the three encoders: glibc's `strtod` on a stack copy, no allocation, decimal text only
/// (`strtod` alone would also take hex, "inf" and leading spaces).
enum JSONNumber {
    static func double(_ s: UnsafeRawBufferPointer) -> Double? {
        if let d = fast(s) { return d }
        guard s.count > 0, s.count < 64 else { return s.count == 0 ? nil : Double(String(decoding: s, as: UTF8.self)) }
        for c in s where !((c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c | 0x20 == 0x65) { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 65) { buf -> Double? in
            s.withMemoryRebound(to: CChar.self) { src in _ = buf.initialize(from: src) }
            buf[s.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let d = strtod(buf.baseAddress!, &end)
            return end == buf.baseAddress! + s.count ? d : nil
        }
    }

    /// Clinger's fast path: `-?d+(.d+)?` with at most 15 significant digits is an integer
    /// mantissa below 2^53 times 10^-k with k ≤ 22, both exact as doubles, so one division
    /// rounds correctly — the same double `strtod` gives (tests compare them). Anything else
    /// (exponents, more digits): nil, and `strtod` decides. strtod was 5 % of an Avro run.
    @inline(__always) static func fast(_ s: UnsafeRawBufferPointer) -> Double? {
        let n = s.count
        guard n > 0, n <= 17 else { return nil }
        var i = 0
        let negative = s[0] == 0x2D
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var fraction = -1   // digits after the point; -1: no point
        guard i < n else { return nil }
        while i < n {
            let c = s[i]
            if c >= 0x30 && c <= 0x39 {
                mantissa = mantissa &* 10 &+ UInt64(c &- 0x30)
                digits += 1
                if fraction >= 0 { fraction += 1 }
            } else if c == 0x2E && fraction < 0 && digits > 0 {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 15, fraction != 0 else { return nil }
        let d = Double(mantissa)
        let value = fraction > 0 ? d / powersOf10[fraction] : d
        return negative ? -value : value
    }

    private static let powersOf10: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }
}

