#if canImport(Glibc)
import Glibc
#endif

/// A growable byte buffer that is reused record after record, so rendering a key,
/// a value or a result line appends bytes without allocating once it has grown.
///
/// Not thread-safe: each buffer belongs to one thread (the producer's or the reporter's).
/// Its fields are touched several times per record, and never by two accesses that overlap,
/// so they go without dynamic exclusivity checks.
///
/// `@_spi(Engine) public` with inlinable methods, not `package`: the command's engine (another
/// module) formats every result line with these, and Swift inlines a `package` method into
/// another module only with library evolution on; as calls they cost the JSON result path
/// 16 % more instructions (callgrind, 200k records). SPI keeps the type out of the library's
/// public face: only `@_spi(Engine) import KafkaEmit` sees it.
@_spi(Engine) public final class ByteBuffer {
    @exclusivity(unchecked) public var base: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) public var capacity: Int
    @exclusivity(unchecked) public var count: Int = 0

    public init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inlinable @inline(__always) public func removeAll() { count = 0 }

    @inlinable @inline(__always) public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    @inlinable @inline(__always) public func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    @usableFromInline @inline(never) func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inlinable @inline(__always) public func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    @inlinable @inline(__always) public func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0 else { return }
        reserve(n)
        let src = bytes.baseAddress!
        let dst = UnsafeMutableRawPointer(base + count)
        if n >= 8 && n <= 16 {
            // Short pieces (separators, template literals, digits): two overlapping 8-byte
            // moves beat a call to memcpy.
            let a = src.loadUnaligned(as: UInt64.self)
            let b = src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            dst.storeBytes(of: a, as: UInt64.self)
            dst.storeBytes(of: b, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 && n < 8 {
            let a = src.loadUnaligned(as: UInt32.self)
            let b = src.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            dst.storeBytes(of: a, as: UInt32.self)
            dst.storeBytes(of: b, toByteOffset: n - 4, as: UInt32.self)
        } else if n < 4 {
            var i = 0
            while i < n { dst.storeBytes(of: src.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self); i += 1 }
        } else {
            memcpy(dst, src, n)
        }
        count += n
    }

    @inlinable public func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// A string literal's bytes: no String machinery on the hot path.
    @inlinable @inline(__always) public func appendLiteral(_ s: StaticString) {
        append(UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    @inlinable public func append(_ string: String) {
        var s = string
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Decimal digits of `value`, zero-padded to `width`.
    @inlinable @inline(__always) public func appendDecimal(_ value: UInt64, width: Int = 0) {
        reserve(max(20, width))
        let digits = Self.decimalDigits(value)
        var v: UInt64
        var pad = width - digits
        while pad > 0 { base[count] = 0x30; count += 1; pad -= 1 }
        // Two digits per division, from a 200-byte table, written from the end.
        var p = count + digits
        v = value
        let pairs = Self.digitPairs.utf8Start
        while v >= 100 {
            let r = Int(truncatingIfNeeded: v % 100)
            v /= 100
            p -= 2
            base[p] = pairs[2 * r]
            base[p + 1] = pairs[2 * r + 1]
        }
        if v >= 10 {
            let r = Int(truncatingIfNeeded: v)
            base[p - 2] = pairs[2 * r]
            base[p - 1] = pairs[2 * r + 1]
        } else {
            base[p - 1] = 0x30 &+ UInt8(truncatingIfNeeded: v)
        }
        count += digits
    }

    @usableFromInline static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    @inlinable @inline(__always) static func decimalDigits(_ v: UInt64) -> Int {
        if v < 10 { return 1 }
        if v < 100 { return 2 }
        if v < 1000 { return 3 }
        if v < 10_000 { return 4 }
        if v < 100_000 { return 5 }
        if v < 1_000_000 { return 6 }
        if v < 10_000_000 { return 7 }
        if v < 100_000_000 { return 8 }
        var n = 9
        var x = v / 1_000_000_000
        while x > 0 { n += 1; x /= 10 }
        return n
    }

    @inlinable @inline(__always) public func appendDecimal(_ value: Int64) {
        if value < 0 {
            append(0x2D)
            appendDecimal(UInt64(bitPattern: 0 &- value))
        } else {
            appendDecimal(UInt64(value))
        }
    }

    /// `value / 1000` with three decimals (e.g. microseconds as milliseconds).
    @inlinable @inline(__always) public func appendMilli(_ thousandths: UInt64) {
        appendDecimal(thousandths / 1000)
        reserve(4)
        let f = Int(truncatingIfNeeded: thousandths % 1000)
        let pairs = Self.digitPairs.utf8Start
        base[count] = 0x2E
        base[count + 1] = 0x30 &+ UInt8(truncatingIfNeeded: f / 100)
        base[count + 2] = pairs[2 * (f % 100)]
        base[count + 3] = pairs[2 * (f % 100) + 1]
        count += 4
    }

    /// Appends `n` ≤ 16 bytes from `src` as two 8-byte moves, whatever `n` is (no branch on
    /// the length); `src` must have 16 readable bytes.
    ///
    /// This and `appendWord`, `tail` and `didAppend` exist so code in other modules writes at
    /// the end without touching `base` and `count` itself: `@exclusivity(unchecked)` holds
    /// only inside this module, and an access from another module is checked at run time
    /// (`swift_beginAccess`, ~75 instructions).
    @inlinable @inline(__always) public func appendUpTo16(_ src: UnsafeRawPointer, count n: Int) {
        reserve(16)
        let dst = UnsafeMutableRawPointer(base + count)
        dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
        dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        count += n
    }

    /// Appends the first `n` ≤ 4 bytes of `word` in memory order (little-endian).
    @inlinable @inline(__always) public func appendWord(_ word: UInt32, count n: Int) {
        reserve(4)
        UnsafeMutableRawPointer(base + count).storeBytes(of: word.littleEndian, as: UInt32.self)
        count += n
    }

    /// Room for `n` bytes at the end, for the caller to write; `didAppend(n)` counts them.
    @inlinable @inline(__always) public func tail(_ n: Int) -> UnsafeMutablePointer<UInt8> {
        reserve(n)
        return base + count
    }

    @inlinable @inline(__always) public func didAppend(_ n: Int) { count += n }

    /// A base-128 varint (Avro's longs after zig-zag, Protobuf's varints). Here, not in the
    /// encoders' module, for the reason `appendUpTo16` says: from there each byte's access to
    /// `base` and `count` was checked at run time (~10 % of an Avro run's cycles, perf).
    @inlinable @inline(__always) public func appendVarint(_ value: UInt64) {
        var v = value
        reserve(10)
        while v >= 0x80 {
            base[count] = UInt8(truncatingIfNeeded: v) | 0x80
            count += 1
            v >>= 7
        }
        base[count] = UInt8(truncatingIfNeeded: v)
        count += 1
    }

    /// Drops what was appended after `mark` (a count read earlier).
    @inlinable @inline(__always) public func truncate(to mark: Int) { count = mark }

    /// A placeholder byte for a length to come (`endLength`); its position.
    @inlinable @inline(__always) public func beginLength() -> Int {
        reserve(1)
        count += 1
        return count - 1
    }

    /// What follows the placeholder at `at` is a body: writes its length there as a varint,
    /// moving the body along when the length takes more than one byte (Protobuf's nested
    /// messages, bodies of 128 bytes or more).
    @inlinable public func endLength(_ at: Int) {
        let n = count - at - 1
        if n < 0x80 { base[at] = UInt8(truncatingIfNeeded: n); return }
        var size = 1
        while UInt64(n) >> (7 * size) != 0 { size += 1 }
        reserve(size - 1)
        (base + at + size).update(from: base + at + 1, count: n)
        count += size - 1
        var v = n
        for k in 0..<size {
            base[at + k] = UInt8(truncatingIfNeeded: v) | (k < size - 1 ? 0x80 : 0)
            v >>= 7
        }
    }

    public func appendHex(_ byte: UInt8) {
        let hex: StaticString = "0123456789abcdef"
        hex.withUTF8Buffer { h in
            append(h[Int(byte >> 4)])
            append(h[Int(byte & 0xF)])
        }
    }

    public var array: [UInt8] { Array(bytes) }
}
