@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

// Logical types and special forms of the Avro encoder (AvroEncoder.swift holds the walk over the tape).

extension AvroEncoder {
    // MARK: logical types and special forms

    func specialDouble(_ s: UnsafeRawBufferPointer) -> Double? {
        switch String(decoding: s, as: UTF8.self) {
        case "NaN": return .nan
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return nil
        }
    }

    func latin1(_ t: JSONToken, _ i: Int) throws(EncodeError) {
        let ok: Bool
        do { ok = try JSONTape.latin1Bytes(tape.text(t), escaped: t.flag, into: scratch) } catch { throw EncodeError(error.message) }
        guard ok else { throw EncodeError("bytes are written as a string of code points 0-255 (\\u0000-\\u00ff); \(got(i)) has a larger one") }
    }

    static func isUUID(_ s: UnsafeRawBufferPointer) -> Bool {
        guard s.count == 36 else { return false }
        for (k, c) in s.enumerated() {
            if k == 8 || k == 13 || k == 18 || k == 23 { if c != 0x2D { return false }; continue }
            guard (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) else { return false }
        }
        return true
    }

    /// A date, time or timestamp given as a string.
    func logicalFromString(_ n: AvroNode, _ i: Int) throws(EncodeError) -> Int64 {
        guard let v = AvroEncoder.logicalInteger(n, try stringBytes(tape[i])) else {
            let form: String
            switch n.logical {
            case .date: form = "a date like \"2026-12-02\" or days since 1970-01-01"
            case .timeMillis, .timeMicros: form = "a time like \"10:00:00.123\" or a number"
            default: form = "an RFC 3339 time like \"2026-12-02T10:00:00.123Z\" or a number since the epoch"
            }
            throw EncodeError("expected \(n.shownName): \(form), got \(got(i))")
        }
        return v
    }

    /// A date, time or timestamp string's value for an int or long with that logical type, or nil.
    static func logicalInteger(_ n: AvroNode, _ bytes: UnsafeRawBufferPointer) -> Int64? {
        let s = String(decoding: bytes, as: UTF8.self)
        switch n.logical {
        case .date: return AvroTime.days(s)
        case .timeMillis: return AvroTime.timeOfDayMicros(s).map { $0 / 1000 }
        case .timeMicros: return AvroTime.timeOfDayMicros(s)
        case .timestampMillis, .localTimestampMillis: return AvroTime.epochMicros(s, local: n.logical == .localTimestampMillis).map { AvroTime.floorDiv($0, 1000) }
        case .timestampMicros, .localTimestampMicros: return AvroTime.epochMicros(s, local: n.logical == .localTimestampMicros)
        default: return nil
        }
    }

    static func looksDecimal(_ s: UnsafeRawBufferPointer) -> Bool {
        guard s.count > 0 else { return false }
        var digits = 0
        for (k, c) in s.enumerated() {
            if c >= 0x30 && c <= 0x39 { digits += 1; continue }
            if (c == 0x2D || c == 0x2B) && k == 0 { continue }
            if c == 0x2E { continue }
            return false
        }
        return digits > 0
    }

    /// A decimal from a JSON number or a string: the unscaled integer in big-endian two's
    /// complement, as few bytes as hold it (bytes) or sign-extended to the fixed size.
    func writeDecimal(_ n: AvroNode, _ i: Int, scale: Int, fixedSize: Int?) throws(EncodeError) {
        let text = Array(tape.text(tape[i]))
        guard let unscaled = AvroDecimal.unscaled(text, scale: scale) else {
            throw EncodeError("expected a decimal with at most \(scale) digits after the point, got \(got(i))")
        }
        if case .decimal(let precision, _) = n.logical, unscaled.digits > precision {
            throw EncodeError("\(got(i)) has \(unscaled.digits) digits, more than the decimal's precision \(precision)")
        }
        let bytes = AvroDecimal.twosComplement(unscaled.magnitude, negative: unscaled.negative)
        if let size = fixedSize {
            guard bytes.count <= size else { throw EncodeError("\(got(i)) does not fit \(size) bytes") }
            let pad: UInt8 = unscaled.negative ? 0xFF : 0x00
            for _ in 0..<(size - bytes.count) { out.append(pad) }
            bytes.withUnsafeBytes { out.append($0) }
        } else {
            bytes.withUnsafeBytes { writeBytes($0) }
        }
    }
}
