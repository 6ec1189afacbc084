/// Dates, times and timestamps from their text forms, for Avro's logical types (no Foundation:
/// the calendar arithmetic is the proleptic Gregorian civil-days formula).
enum AvroTime {
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    /// Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`).
    static func daysFromCivil(_ y0: Int64, _ m: Int64, _ d: Int64) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    private struct Reader {
        let s: [UInt8]
        var p = 0
        var atEnd: Bool { p >= s.count }
        mutating func digits(_ n: Int) -> Int64? {
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
        mutating func take(_ c: UInt8) -> Bool {
            if p < s.count && s[p] == c { p += 1; return true }
            return false
        }
        /// `.fff…` as microseconds (digits past the sixth are dropped).
        mutating func fractionMicros() -> Int64? {
            guard take(0x2E) else { return 0 }
            var v: Int64 = 0
            var n = 0
            while p < s.count, s[p] >= 0x30 && s[p] <= 0x39 {
                if n < 6 { v = v * 10 + Int64(s[p] - 0x30) }
                n += 1
                p += 1
            }
            guard n > 0 else { return nil }
            for _ in n..<max(n, 6) { v *= 10 }
            return v
        }
    }

    private static func date(_ r: inout Reader) -> Int64? {
        guard let y = r.digits(4), r.take(0x2D), let m = r.digits(2), r.take(0x2D), let d = r.digits(2),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return daysFromCivil(y, m, d)
    }

    private static func time(_ r: inout Reader) -> Int64? {
        guard let h = r.digits(2), r.take(0x3A), let mi = r.digits(2), h < 24, mi < 60 else { return nil }
        var sec: Int64 = 0
        var frac: Int64 = 0
        if r.take(0x3A) {
            guard let s = r.digits(2), s < 61, let f = r.fractionMicros() else { return nil }
            sec = s
            frac = f
        }
        return ((h * 60 + mi) * 60 + sec) * 1_000_000 + frac
    }

    /// `2026-12-02`.
    static func days(_ text: String) -> Int64? {
        var r = Reader(s: Array(text.utf8))
        guard let d = date(&r), r.atEnd else { return nil }
        return d
    }

    /// `10:00`, `10:00:00`, `10:00:00.123456`.
    static func timeOfDayMicros(_ text: String) -> Int64? {
        var r = Reader(s: Array(text.utf8))
        guard let t = time(&r), r.atEnd else { return nil }
        return t
    }

    /// RFC 3339 (`2026-12-02T10:00:00.123Z`, `+01:00`, a space for the `T`; no zone = UTC); a
    /// local timestamp keeps the wall-clock time and ignores a zone.
    static func epochMicros(_ text: String, local: Bool) -> Int64? {
        var r = Reader(s: Array(text.utf8))
        guard let d = date(&r) else { return nil }
        if r.atEnd { return d * 86_400_000_000 }
        guard r.take(0x54) || r.take(0x74) || r.take(0x20), let t = time(&r) else { return nil }
        var offsetMinutes: Int64 = 0
        if r.take(0x5A) || r.take(0x7A) {
        } else if !r.atEnd {
            let sign: Int64 = r.take(0x2B) ? 1 : (r.take(0x2D) ? -1 : 0)
            guard sign != 0, let oh = r.digits(2) else { return nil }
            _ = r.take(0x3A)
            guard let om = r.digits(2) else { return nil }
            offsetMinutes = sign * (oh * 60 + om)
        }
        guard r.atEnd else { return nil }
        let micros = d * 86_400_000_000 + t
        return local ? micros : micros - offsetMinutes * 60_000_000
    }
}

/// Avro decimals: the unscaled integer of a decimal text, as two's complement bytes.
enum AvroDecimal {
    struct Unscaled {
        /// Decimal digits, most significant first, no leading zeros ([] for zero).
        var magnitude: [UInt8]
        var negative: Bool
        /// Significant digits, for the precision check.
        var digits: Int { max(1, magnitude.count) }
    }

    /// `-12.34`, `1e3`, `"0.50"` at `scale` → the unscaled integer; nil if not a decimal or if
    /// it has non-zero digits past the scale.
    static func unscaled(_ text: [UInt8], scale: Int) -> Unscaled? {
        var p = 0
        var negative = false
        if p < text.count, text[p] == 0x2D || text[p] == 0x2B { negative = text[p] == 0x2D; p += 1 }
        var digits: [UInt8] = []
        var fraction = 0
        var seenDigit = false
        var seenPoint = false
        while p < text.count {
            let c = text[p]
            if c >= 0x30 && c <= 0x39 {
                digits.append(c - 0x30)
                if seenPoint { fraction += 1 }
                seenDigit = true
            } else if c == 0x2E && !seenPoint {
                seenPoint = true
            } else {
                break
            }
            p += 1
        }
        guard seenDigit else { return nil }
        var exponent = 0
        if p < text.count, text[p] == 0x65 || text[p] == 0x45 {
            p += 1
            var expNegative = false
            if p < text.count, text[p] == 0x2D || text[p] == 0x2B { expNegative = text[p] == 0x2D; p += 1 }
            var e = 0
            var any = false
            while p < text.count, text[p] >= 0x30 && text[p] <= 0x39, e < 10_000 { e = e * 10 + Int(text[p] - 0x30); p += 1; any = true }
            guard any else { return nil }
            exponent = expNegative ? -e : e
        }
        guard p == text.count else { return nil }
        let shift = exponent - fraction + scale
        if shift >= 0 {
            guard shift < 10_000 else { return nil }
            digits.append(contentsOf: repeatElement(0, count: shift))
        } else {
            let drop = -shift
            if drop > digits.count { guard digits.allSatisfy({ $0 == 0 }) else { return nil }; digits = [] } else {
                guard digits.suffix(drop).allSatisfy({ $0 == 0 }) else { return nil }
                digits.removeLast(drop)
            }
        }
        let firstNonZero = digits.firstIndex(where: { $0 != 0 }) ?? digits.count
        digits.removeFirst(firstNonZero)
        return Unscaled(magnitude: digits, negative: negative && !digits.isEmpty)
    }

    /// Big-endian two's complement in as few bytes as hold the value (Java's
    /// `BigInteger.toByteArray`, which the Avro references use); zero is one byte.
    static func twosComplement(_ decimalDigits: [UInt8], negative: Bool) -> [UInt8] {
        // Magnitude in base 256, little-endian.
        var le: [UInt8] = []
        for d in decimalDigits {
            var carry = UInt32(d)
            for k in 0..<le.count {
                let v = UInt32(le[k]) * 10 + carry
                le[k] = UInt8(v & 0xFF)
                carry = v >> 8
            }
            while carry > 0 { le.append(UInt8(carry & 0xFF)); carry >>= 8 }
        }
        if le.isEmpty { return [0] }
        if !negative {
            if le.last! & 0x80 != 0 { le.append(0) }
            return le.reversed()
        }
        // Negate: invert and add one, with one extra byte for the sign.
        le.append(0)
        var carry: UInt16 = 1
        for k in 0..<le.count {
            let v = UInt16(~le[k]) + carry
            le[k] = UInt8(v & 0xFF)
            carry = v >> 8
        }
        // Drop redundant sign bytes.
        while le.count > 1, le[le.count - 1] == 0xFF, le[le.count - 2] & 0x80 != 0 { le.removeLast() }
        return le.reversed()
    }
}
