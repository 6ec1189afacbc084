/// proto3 JSON's forms of `google.protobuf.Timestamp` (RFC 3339: "2026-12-03T10:00:00.5Z",
/// "…+01:00"; 0 to 9 fraction digits) and `Duration` ("1.5s", "-0.000001s"), as the seconds
/// and nanoseconds the messages hold. Read from the bytes of the JSON string; nil when malformed
/// or out of the types' documented ranges (years 1–9999; ±315,576,000,000 s).
enum ProtoTime {
    static func timestamp(_ s: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        var p = 0
        func digits(_ n: Int) -> Int64? {
            guard p + n <= s.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let c = s[p + k]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int64(c - 0x30)
            }
            p += n
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard p < s.count, s[p] == c else { return false }
            p += 1
            return true
        }
        guard let year = digits(4), expect(0x2D), let month = digits(2), expect(0x2D), let day = digits(2) else { return nil }
        guard p < s.count, s[p] | 0x20 == 0x74 else { return nil } // T or t
        p += 1
        guard let hour = digits(2), expect(0x3A), let minute = digits(2), expect(0x3A), let second = digits(2) else { return nil }
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month, year), hour < 24, minute < 60, second < 60 else { return nil }
        var nanos: Int64 = 0
        if p < s.count, s[p] == 0x2E {
            p += 1
            guard let f = fraction(s, &p) else { return nil }
            nanos = f
        }
        guard p < s.count else { return nil }
        var offset: Int64 = 0
        if s[p] | 0x20 == 0x7A { // Z or z
            p += 1
        } else if s[p] == 0x2B || s[p] == 0x2D {
            let sign: Int64 = s[p] == 0x2D ? -1 : 1
            p += 1
            guard let oh = digits(2), expect(0x3A), let om = digits(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard p == s.count else { return nil }
        let seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
        // 0001-01-01T00:00:00Z … 9999-12-31T23:59:59Z
        guard seconds >= -62_135_596_800 && seconds <= 253_402_300_799 else { return nil }
        return (seconds, Int32(nanos))
    }

    static func duration(_ s: UnsafeRawBufferPointer) -> (seconds: Int64, nanos: Int32)? {
        guard s.count >= 2, s[s.count - 1] == 0x73 else { return nil } // "…s"
        var p = 0
        let negative = s[0] == 0x2D
        if negative { p = 1 }
        let end = s.count - 1
        var seconds: Int64 = 0
        let start = p
        while p < end, s[p] >= 0x30 && s[p] <= 0x39 {
            seconds = seconds * 10 + Int64(s[p] - 0x30)
            p += 1
            guard seconds <= 315_576_000_000 else { return nil }
        }
        guard p > start else { return nil }
        var nanos: Int64 = 0
        if p < end, s[p] == 0x2E {
            p += 1
            let body = UnsafeRawBufferPointer(rebasing: s[0..<end])
            guard let f = fraction(body, &p) else { return nil }
            nanos = f
        }
        guard p == end else { return nil }
        return negative ? (-seconds, Int32(-nanos)) : (seconds, Int32(nanos))
    }

    /// 1 to 9 digits after a point, as nanoseconds.
    private static func fraction(_ s: UnsafeRawBufferPointer, _ p: inout Int) -> Int64? {
        var v: Int64 = 0
        var n = 0
        while p < s.count, s[p] >= 0x30 && s[p] <= 0x39 {
            guard n < 9 else { return nil }
            v = v * 10 + Int64(s[p] - 0x30)
            n += 1
            p += 1
        }
        guard n > 0 else { return nil }
        for _ in n..<9 { v *= 10 }
        return v
    }

    private static func daysIn(_ month: Int64, _ year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
