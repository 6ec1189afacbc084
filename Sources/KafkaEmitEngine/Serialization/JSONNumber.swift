#if canImport(Glibc)
import Glibc
#endif

/// JSON numbers (and the decimal text of 64-bit integers given as strings) as doubles, for
/// the three encoders: glibc's `strtod` on a stack copy, no allocation, decimal text only
/// (`strtod` alone would also take hex, "inf" and leading spaces).
enum JSONNumber {
    static func double(_ s: UnsafeRawBufferPointer) -> Double? {
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
}
