@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Names and defaults the encoders compare or copy per record, held as raw byte spans in
/// memory of their own (their per-record tables hold no reference-counted value).
enum ByteSpan {
    /// A copy of `bytes`, freed with `deallocate()` by the table that holds it.
    static func copy(_ bytes: [UInt8]) -> UnsafeRawBufferPointer {
        let m = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, bytes.count), alignment: 1)
        bytes.withUnsafeBytes { m.copyMemory(from: $0) }
        return UnsafeRawBufferPointer(rebasing: m[0..<bytes.count])
    }

    @inline(__always) static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
    }
}

extension JSONTape {
    /// Whether the object key at token `k` is `name` (its escapes decoded, when it has any).
    @inline(__always) func keyIs(_ k: Int, _ name: UnsafeRawBufferPointer) -> Bool {
        let key = self[k]
        if key.flag { return string(k).utf8.elementsEqual(name) }
        return ByteSpan.equal(text(key), name)
    }

    /// Token `i` as a message shows it ("got ..."): a scalar as written (strings quoted, cut
    /// at 40 characters), or "an object" / "an array".
    func shown(_ i: Int) -> String {
        let t = self[i]
        switch t.kind {
        case .null: return "null"
        case .bool: return t.flag ? "true" : "false"
        case .number: return String(decoding: text(t).prefix(40), as: UTF8.self)
        case .string:
            let s = string(i)
            return "\"" + (s.count > 40 ? String(s.prefix(40)) + "…" : s) + "\""
        case .object: return "an object"
        case .array: return "an array"
        }
    }

    func keyIs(_ k: Int, _ name: [UInt8]) -> Bool {
        name.withUnsafeBytes { keyIs(k, $0) }
    }
}
