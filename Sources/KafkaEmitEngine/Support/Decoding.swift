@_spi(Engine) import KafkaEmit

/// `{hex}` and `{base64}` field decoding for rpk input formats.
enum Decoding {
    enum Kind { case hex, base64 }

    /// Appends the decoded bytes; false when the text is not valid in that encoding.
    static func decode(_ text: UnsafeRawBufferPointer, _ kind: Kind, into out: ByteBuffer) -> Bool {
        switch kind {
        case .hex: hex(text, out)
        case .base64: base64(text, out)
        }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    private static func hex(_ t: UnsafeRawBufferPointer, _ out: ByteBuffer) -> Bool {
        guard t.count % 2 == 0 else { return false }
        var i = 0
        while i < t.count {
            guard let hi = nibble(t[i]), let lo = nibble(t[i + 1]) else { return false }
            out.append(hi << 4 | lo)
            i += 2
        }
        return true
    }

    private static func sextet(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x41...0x5A: UInt32(c - 0x41)
        case 0x61...0x7A: UInt32(c - 0x61 + 26)
        case 0x30...0x39: UInt32(c - 0x30 + 52)
        case 0x2B: 62
        case 0x2F: 63
        default: nil
        }
    }

    /// Standard alphabet with padding (as rpk's `{base64}`).
    private static func base64(_ t: UnsafeRawBufferPointer, _ out: ByteBuffer) -> Bool {
        guard t.count % 4 == 0 else { return false }
        var i = 0
        while i < t.count {
            let pads = (t[i + 2] == 0x3D ? 1 : 0) + (t[i + 3] == 0x3D ? 1 : 0)
            guard pads == 0 || i + 4 == t.count, !(pads == 1 && t[i + 2] == 0x3D) else { return false }
            guard let a = sextet(t[i]), let b = sextet(t[i + 1]) else { return false }
            let c = pads >= 2 ? 0 : sextet(t[i + 2])
            let d = pads >= 1 ? 0 : sextet(t[i + 3])
            guard let c, let d else { return false }
            let v = a << 18 | b << 12 | c << 6 | d
            out.append(UInt8(v >> 16))
            if pads < 2 { out.append(UInt8(v >> 8 & 0xFF)) }
            if pads < 1 { out.append(UInt8(v & 0xFF)) }
            i += 4
        }
        return true
    }
}
