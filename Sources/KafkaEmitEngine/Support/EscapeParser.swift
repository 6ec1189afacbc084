@_spi(Engine) import KafkaEmit

/// Parses delimiter strings with C-like escapes: `\n`, `\t`, `\r`, `\0`, `\\`, `\xNN`.
package enum EscapeParser {
    package static func parse(_ text: String, flag: String) throws(EmitError) -> [UInt8] {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            guard i + 1 < bytes.count else {
                throw .usage("\(flag): '\(text)' ends with a lone backslash; write \\\\ for a backslash")
            }
            let e = bytes[i + 1]
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A); i += 2
            case UInt8(ascii: "t"): out.append(0x09); i += 2
            case UInt8(ascii: "r"): out.append(0x0D); i += 2
            case UInt8(ascii: "0"): out.append(0x00); i += 2
            case UInt8(ascii: "\\"): out.append(0x5C); i += 2
            case UInt8(ascii: "x"):
                guard i + 4 <= bytes.count, bytes[(i + 2)..<(i + 4)].allSatisfy({ isHexDigit($0) }),
                      let v = UInt8(String(decoding: bytes[(i + 2)..<(i + 4)], as: UTF8.self), radix: 16) else {
                    throw .usage("\(flag): '\(text)' has a bad \\x escape; use two hex digits, e.g. \\x1e")
                }
                out.append(v); i += 4
            default:
                throw .usage("\(flag): unknown escape '\\\(Character(Unicode.Scalar(e)))' in '\(text)'; use \\n, \\t, \\r, \\0, \\\\ or \\xNN")
            }
        }
        guard !out.isEmpty else { throw .usage("\(flag): the delimiter must not be empty") }
        return out
    }
}

@inline(__always) func isHexDigit(_ b: UInt8) -> Bool {
    (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)
}
