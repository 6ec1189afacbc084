@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// `--timestamp` values: milliseconds since the epoch, or RFC 3339 (`2024-05-01T12:00:00Z`,
/// `2024-05-01T12:00:00.123+02:00`).
package enum TimestampParser {
    package static func parse(_ text: String, flag: String) throws(EmitError) -> Int64 {
        var bytes = Array(text.utf8)
        if let ms = bytes.withUnsafeMutableBytes({ parse(UnsafeRawBufferPointer($0)) }) { return ms }
        throw .usage("\(flag): '\(text.prefix(60))' is not a timestamp; use milliseconds since the epoch or RFC 3339, e.g. 2024-05-01T12:00:00Z")
    }

    /// nil when `b` is neither a positive number of milliseconds nor RFC 3339.
    static func parse(_ b: UnsafeRawBufferPointer) -> Int64? {
        guard !b.isEmpty else { return nil }
        if b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            guard b.count <= 15, let v = Int64(String(decoding: b, as: UTF8.self)), v > 0 else { return nil }
            return v
        }
        return rfc3339(b)
    }

    private static func rfc3339(_ b: UnsafeRawBufferPointer) -> Int64? {
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            i += n
            return v
        }
        func sep(_ c: UInt8...) -> Bool {
            guard i < b.count, c.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), sep(0x2D), let month = digits(2), sep(0x2D), let day = digits(2),
              sep(0x54, 0x74, 0x20), let hour = digits(2), sep(0x3A), let minute = digits(2), sep(0x3A),
              let second = digits(2) else { return nil }
        var millis = 0
        if sep(0x2E) {
            var scale = 100, n = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                millis += Int(b[i] - 0x30) * scale
                scale /= 10
                n += 1
                i += 1
            }
            guard n > 0 else { return nil }
        }
        var offset = 0
        if sep(0x5A, 0x7A) {
        } else if i < b.count, b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = digits(2), sep(0x3A), let om = digits(2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900); t.tm_mon = Int32(month - 1); t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour); t.tm_min = Int32(minute); t.tm_sec = Int32(second)
        let secs = Int64(timegm(&t)) - Int64(offset)
        guard secs > 0 else { return nil }
        return secs * 1000 + Int64(millis)
    }
}
