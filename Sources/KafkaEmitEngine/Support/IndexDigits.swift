@_spi(Engine) import KafkaEmit

/// `{i}`'s decimal digits, kept from one record to the next: records are numbered 0, 1, 2, …,
/// so the next number is almost always this one plus one, an increment of the last digit in
/// place (a carry once in ten), and a second `{i}` of the same record is a copy. Generate mode
/// renders `{i}` two or three times per record (the default key, the value, a dry run's
/// correlation); formatting it afresh each time (digit count, then a division by 100 per two
/// digits) cost ~70 instructions a time, the copy ~35: with `{rand:N ≤ 1000}` as one word,
/// the dry run of `event-{i}-{rand:1000}` went from 1706 to 1543 instructions per record
/// (callgrind, 200k records). Any other jump (`--shard`, tests setting `index`) formats afresh.
struct IndexDigits {
    /// The digits, left-aligned: 20 at most, and a 16-byte load from the start stays inside.
    private var storage: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// 0 until the first number is formatted.
    private var count = 0
    private var value: UInt64 = 0

    /// Appends `v` in decimal, zero-padded to `width`.
    @inline(__always) mutating func append(_ v: UInt64, width: Int, into out: ByteBuffer) {
        if v != value || count == 0 { update(v) }
        var pad = width - count
        while pad > 0 { out.append(0x30); pad -= 1 }
        let n = count
        withUnsafeBytes(of: &storage) { p in
            if n <= 16 {
                out.appendUpTo16(p.baseAddress!, count: n)
            } else {
                out.append(UnsafeRawBufferPointer(start: p.baseAddress!, count: n))
            }
        }
    }

    @inline(__always) private mutating func update(_ v: UInt64) {
        let n = count
        if n > 0 && v == value &+ 1 && v != 0 {
            let incremented = withUnsafeMutableBytes(of: &storage) { raw -> Bool in
                let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var k = n &- 1
                while p[k] == 0x39 {
                    p[k] = 0x30
                    if k == 0 { return false }   // 99…9 + 1: one digit more
                    k &-= 1
                }
                p[k] &+= 1
                return true
            }
            if incremented {
                value = v
                return
            }
        }
        format(v)
    }

    @inline(never) private mutating func format(_ v: UInt64) {
        var digits = 1
        var x = v
        while x >= 10 { x /= 10; digits += 1 }
        withUnsafeMutableBytes(of: &storage) { raw in
            let p = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var y = v
            var k = digits
            repeat {
                k -= 1
                p[k] = 0x30 &+ UInt8(truncatingIfNeeded: y % 10)
                y /= 10
            } while k > 0
        }
        count = digits
        value = v
    }
}
