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

    func keyIs(_ k: Int, _ name: [UInt8]) -> Bool {
        name.withUnsafeBytes { keyIs(k, $0) }
    }
}
