@_spi(Engine) import KafkaEmit

// The realistic fields that are one op each ({name}, {email}, {ipv4}, {iban}): out of
// CompiledTemplate+Data.swift, which keeps the op layout and the other data ops.

extension CompiledTemplate {
    // The fused fields: one op writes what the ops it replaces wrote, from the same draws in
    // the same order, into room reserved once (each entry copied as two 8-byte moves, which
    // may write up to 15 bytes past it: the room covers that). As separate ops, each pick,
    // number and separator went through the op loop (load, prefix, dispatch, the buffer's
    // count and capacity reloaded after every store): five realistic fields, callgrind, dry
    // run, each field alone in the JSON against the same JSON with constant fields: IPv4
    // 445 → 225 instructions a record, email 431 → 289, name 199 → 166.

    /// Entry `Int(draw)` of the table whose (offset, count) pair is at `ints[d]`, copied to `p`; its length.
    @inline(__always) fileprivate func pick(_ d: Int, to p: UnsafeMutablePointer<UInt8>, _ rng: inout SeededRandom) -> Int {
        let e = ints[d] + 2 * Int(truncatingIfNeeded: rng.next(below: UInt64(truncatingIfNeeded: ints[d + 1])))
        let src = UnsafeRawPointer(arenaBase + ints[e])
        let dst = UnsafeMutableRawPointer(p)
        dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
        dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        return ints[e + 1]
    }

    /// `v` < 1000 at `p` (a 4-byte store); its digit count.
    @inline(__always) fileprivate func below1000(_ v: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        let word = below1000[Int(truncatingIfNeeded: v)]
        UnsafeMutableRawPointer(p).storeBytes(of: (word & 0xFF_FFFF).littleEndian, as: UInt32.self)
        return Int(word >> 24)
    }

    /// First name, space, last name.
    @inline(never) func renderName(_ d: Int, into out: ByteBuffer, _ random: inout SeededRandom) {
        var rng = random   // in registers: the stores to `p` could otherwise alias it
        defer { random = rng }
        let p = out.tail(48)
        var n = pick(d, to: p, &rng)
        p[n] = 0x20
        n += 1
        n += pick(d + 2, to: p + n, &rng)
        out.didAppend(n)
    }

    /// first.last, 1…999, @, a domain: all lower-case.
    @inline(never) func renderEmail(_ d: Int, into out: ByteBuffer, _ random: inout SeededRandom) {
        var rng = random
        defer { random = rng }
        let p = out.tail(64)
        var n = pick(d, to: p, &rng)
        p[n] = 0x2E
        n += 1
        n += pick(d + 2, to: p + n, &rng)
        n += below1000(1 + rng.next(below: 999), to: p + n)
        p[n] = 0x40
        n += 1
        n += pick(d + 4, to: p + n, &rng)
        out.didAppend(n)
    }

    /// 1…223, 0…255, 0…255, 1…254, dotted.
    @inline(never) func renderIPv4(into out: ByteBuffer, _ random: inout SeededRandom) {
        var rng = random
        defer { random = rng }
        let p = out.tail(16)
        var n = below1000(1 + rng.next(below: 223), to: p)
        p[n] = 0x2E
        n += 1
        n += below1000(rng.next(below: 256), to: p + n)
        p[n] = 0x2E
        n += 1
        n += below1000(rng.next(below: 256), to: p + n)
        p[n] = 0x2E
        n += 1
        n += below1000(1 + rng.next(below: 254), to: p + n)
        out.didAppend(n)
    }

    /// ISO 13616: country, two check digits, BBAN; the check digits make the number
    /// (BBAN, country, check digits, letters as 10…35) equal 1 mod 97.
    ///
    /// Cheap because it runs per record: characters come from the top bits of one 64-bit
    /// draw multiplied up (a digit takes ~3.3 bits, a letter ~4.7, either ~5.2; a fresh draw
    /// once fewer than 24 unused bits are left, so no character is measurably biased), and a
    /// run of eight digits is one draw below 10^8. Which of these happens where depends only
    /// on the BBAN's shape, so `IBANStep.steps(forShape:)` works it out once per format: here
    /// a loop over those steps (a run of characters of one kind is one step), with no test of
    /// the shape per character, and the remainder taken only where the number would no longer
    /// fit in 64 bits (any order of taking it gives the same check digits); the check digits
    /// for each of the 97 remainders, the country's letters included, are a table per format.
    @inline(never) func renderIBAN(_ op: Op, into out: ByteBuffer, _ random: inout SeededRandom) {
        var rng = random
        defer { random = rng }
        let at = op.offset + 3 * Int(rng.next(below: op.arg))
        let country = ints[at], length = ints[at + 2]
        let p = out.tail(4 + length)
        UnsafeMutableRawPointer(p).storeBytes(of: arenaBase.loadUnaligned(fromByteOffset: country, as: UInt16.self), as: UInt16.self)
        var q = p + 4
        var acc: UInt64 = 0
        var bits: UInt64 = 0
        var s = UnsafeRawPointer(arenaBase + ints[at + 1])
        loop: while true {
            let step = s.load(as: UInt8.self)
            s += 1
            var k = step >> 3
            switch step & 7 {
            case IBANStep.digit:
                repeat {
                    let m = bits.multipliedFullWidth(by: 10)
                    bits = m.low
                    q.pointee = 0x30 &+ UInt8(truncatingIfNeeded: m.high)
                    acc = acc &* 10 &+ m.high
                    q += 1
                    k &-= 1
                } while k > 0
            case IBANStep.eightDigits:
                repeat {
                    let v = rng.next(below: 100_000_000)
                    acc = acc &* 100_000_000 &+ v
                    UnsafeMutableRawPointer(q).storeBytes(of: Self.eightDigits(v).littleEndian, as: UInt64.self)
                    q += 8
                    k &-= 1
                } while k > 0
            case IBANStep.letter:
                repeat {
                    let m = bits.multipliedFullWidth(by: 26)
                    bits = m.low
                    q.pointee = 0x41 &+ UInt8(truncatingIfNeeded: m.high)
                    acc = acc &* 100 &+ m.high &+ 10
                    q += 1
                    k &-= 1
                } while k > 0
            case IBANStep.either:
                repeat {
                    let m = bits.multipliedFullWidth(by: 36)
                    bits = m.low
                    let r = UInt8(truncatingIfNeeded: m.high)
                    if r < 10 {
                        q.pointee = 0x30 &+ r
                        acc = acc &* 10 &+ m.high
                    } else {
                        q.pointee = 0x41 &- 10 &+ r
                        acc = acc &* 100 &+ m.high
                    }
                    q += 1
                    k &-= 1
                } while k > 0
            case IBANStep.draw: bits = rng.next()
            case IBANStep.reduce: acc %= 97
            default: break loop
            }
        }
        let check = arenaBase.loadUnaligned(fromByteOffset: country + 2 + 2 * Int(truncatingIfNeeded: acc % 97), as: UInt16.self)
        UnsafeMutableRawPointer(p + 2).storeBytes(of: check, as: UInt16.self)
        out.didAppend(4 + length)
    }

    /// `v` < 10^8 as eight ASCII digits in memory order (little-endian), without a table or a
    /// division: two halves of four digits in 32-bit lanes, split into 16-bit lanes of two
    /// digits, then into bytes (x/100 as x·10486 >> 20 for x < 10^4, x/10 as x·103 >> 10 for x < 100).
    @inline(__always) static func eightDigits(_ v: UInt64) -> UInt64 {
        let halves = v / 10_000 | (v % 10_000) << 32
        let hundreds = ((halves &* 10486) >> 20) & 0x0000_007F_0000_007F
        let pairs = hundreds | (halves &- hundreds &* 100) << 16
        let tens = ((pairs &* 103) >> 10) & 0x000F_000F_000F_000F
        return (tens | (pairs &- tens &* 10) << 8) | 0x3030_3030_3030_3030
    }
}

/// The steps of an IBAN's BBAN, worked out once per format from its shape (`n` a digit, `a` a
/// letter, `c` either), one byte each (the kind in the low 3 bits, for the four character
/// kinds a repeat count in the high 5), ending with `end`. They are what the per-character
/// rules did: a fresh 64-bit draw first and whenever fewer than 24 unused bits are left
/// (a digit uses 4, the others 6), eight digits in a row one draw below 10^8 (the bits left
/// untouched), and `reduce` where the remainder must be taken for the number to stay below
/// 10^19 (before a step that could take it past).
enum IBANStep {
    static let end: UInt8 = 0, digit: UInt8 = 1, letter: UInt8 = 2, either: UInt8 = 3
    static let eightDigits: UInt8 = 4, draw: UInt8 = 5, reduce: UInt8 = 6

    static func steps(forShape shape: [UInt8]) -> [UInt8] {
        let n = UInt8(ascii: "n"), a = UInt8(ascii: "a")
        var steps = [draw]
        func add(_ kind: UInt8) {
            // A character kind right after the same kind, fewer than 31 times: one more of it.
            if kind >= digit && kind <= eightDigits, let last = steps.last, last & 7 == kind, last >> 3 < 31 {
                steps[steps.count - 1] = last &+ 8
            } else {
                steps.append(kind >= digit && kind <= eightDigits ? kind | 8 : kind)
            }
        }
        var budget = 64
        var digits = 0   // decimal digits the number may have: below 10^digits
        var i = 0
        while i < shape.count {
            if i + 8 <= shape.count, shape[i..<(i + 8)].allSatisfy({ $0 == n }) {
                if digits + 8 > 19 {
                    add(reduce)
                    digits = 2
                }
                add(eightDigits)
                digits += 8
                i += 8
                continue
            }
            if budget < 24 {
                add(draw)
                budget = 64
            }
            let width = shape[i] == n ? 1 : 2
            if digits + width > 19 {
                add(reduce)
                digits = 2
            }
            add(shape[i] == n ? digit : (shape[i] == a ? letter : either))
            budget -= shape[i] == n ? 4 : 6
            digits += width
            i += 1
        }
        steps.append(end)
        return steps
    }

    /// For each remainder r (0…96) of the BBAN: the two check digits that make the BBAN, then
    /// `country` (letters as 10…35), then the check digits, 1 mod 97.
    static func checkDigits(country: [UInt8]) -> [UInt8] {
        (0..<97).flatMap { r -> [UInt8] in
            let acc = ((r * 100 + Int(country[0] - 0x41 + 10)) * 100 + Int(country[1] - 0x41 + 10)) * 100
            let check = 98 - acc % 97
            return [0x30 + UInt8(check / 10), 0x30 + UInt8(check % 10)]
        }
    }
}
