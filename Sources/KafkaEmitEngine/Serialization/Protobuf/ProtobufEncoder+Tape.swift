@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

// Reading the JSON tape for the Protobuf encoder: tokens shown in errors, integers, base64, UTF-8 (ProtobufEncoder.swift holds messages and fields).

extension ProtobufEncoder {
    // MARK: reading the tape

    func got(_ i: Int) -> String { tape.shown(i) }

    func mismatch(_ expected: String, _ i: Int) -> EncodeError {
        EncodeError("expected \(expected), got \(got(i))")
    }

    /// A string token's UTF-8 bytes: the tape's bytes when unescaped, else decoded to scratch.
    @inline(__always) func stringBytes(_ t: JSONToken) throws(EncodeError) -> UnsafeRawBufferPointer {
        if !t.flag { return tape.text(t) }
        scratch.removeAll()
        do { try JSONTape.unescapeChecked(tape.text(t), into: scratch) } catch { throw EncodeError(error.message) }
        return scratch.bytes
    }

    /// An integer's sign and magnitude: digits, or (for JSON numbers) an integral float such as
    /// `1.0` or `1e3` below 2^53, as protobuf's JSON parsers accept.
    static func parseInteger(_ s: UnsafeRawBufferPointer, allowFloat: Bool) -> (Bool, UInt64)? {
        guard s.count > 0 else { return nil }
        var i = 0
        let negative = s[0] == 0x2D
        if negative { i = 1 }
        guard i < s.count else { return nil }
        var v: UInt64 = 0
        while i < s.count {
            let c = s[i]
            guard c >= 0x30 && c <= 0x39 else {
                guard allowFloat, let d = JSONNumber.double(s), d.rounded() == d, abs(d) < 9.007199254740992e15 else { return nil }
                return (d < 0, UInt64(abs(d)))
            }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
            guard !o1 && !o2 else { return nil }
            v = a
            i += 1
        }
        return (negative, v)
    }

    /// Base64, standard or URL-safe alphabet, padding optional (proto3 JSON accepts either).
    static func base64(_ s: UnsafeRawBufferPointer, into out: ByteBuffer) -> Bool {
        var acc: UInt32 = 0
        var bits = 0
        var n = s.count
        while n > 0, s[n - 1] == 0x3D { n -= 1 }
        guard s.count - n <= 2 else { return false }
        for k in 0..<n {
            let c = s[k]
            let v: UInt32
            switch c {
            case 0x41...0x5A: v = UInt32(c - 0x41)
            case 0x61...0x7A: v = UInt32(c - 0x61 + 26)
            case 0x30...0x39: v = UInt32(c - 0x30 + 52)
            case 0x2B, 0x2D: v = 62
            case 0x2F, 0x5F: v = 63
            default: return false
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return bits < 6 // a lone sextet is not a byte
    }

    /// UTF-8 well-formedness (protobuf's parsers refuse a string field that is not).
    static func isUTF8(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = s.count
        while i < n {
            let c = s[i]
            if c < 0x80 { i += 1; continue }
            let (len, lead, minimum): (Int, UInt32, UInt32)
            switch c {
            case 0xC2...0xDF: (len, lead, minimum) = (2, UInt32(c & 0x1F), 0x80)
            case 0xE0...0xEF: (len, lead, minimum) = (3, UInt32(c & 0x0F), 0x800)
            case 0xF0...0xF4: (len, lead, minimum) = (4, UInt32(c & 0x07), 0x10000)
            default: return false
            }
            var v = lead
            guard i + len <= n else { return false }
            for k in 1..<len {
                let d = s[i + k]
                guard d & 0xC0 == 0x80 else { return false }
                v = v << 6 | UInt32(d & 0x3F)
            }
            guard v >= minimum, v <= 0x10FFFF, !(0xD800...0xDFFF).contains(v) else { return false }
            i += len
        }
        return true
    }
}
