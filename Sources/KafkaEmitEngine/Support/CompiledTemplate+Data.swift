@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// What `CompiledTemplate.init` lays out: the ops, the literal arena, and the tables of the
/// realistic-data ops. Runs once per template, at start-up.
struct OpList {
    typealias Op = CompiledTemplate.Op
    var ops: [Op] = []
    var lits: [UInt8] = []
    var ints: [Int] = []
    var reals: [Double] = []
    var zipfs: [ZipfSampler] = []
    /// A table used twice in one template (`{name} {name}`) is laid out once.
    private var tables: [String: Int] = [:]

    mutating func add(_ part: Template.Part, topic: String) {
        switch part {
        case .literal(let bytes): literal(bytes)
        case .index(let w): op(.index, arg: UInt64(w))
        case .rand(let n): op(.rand, arg: n)
        case .uuid: op(.uuid)
        case .ts: op(.ts)
        case .now: op(.now)
        case .line: op(.line)
        case .key: op(.key)
        case .topic: literal(Array(topic.utf8))
        case .file: op(.file)
        case .int(let lo, let hi): int(lo, hi)
        case .float(let lo, let hi, let digits): float(lo, hi, digits)
        case .normal(let mean, let sd, let digits):
            op(.normal, arg: UInt64(Template.pow10(digits)), offset: reals.count, length: digits)
            reals += [mean, sd]
        case .choice(let items): choice("choice:\(ops.count)", items)
        case .weighted(let items, let weights):
            let at = ints.count
            var total: UInt64 = 0
            for (item, w) in zip(items, weights) {
                total += w
                ints += [Int(total), lits.count, item.count]
                lits += item
            }
            op(.weighted, arg: total, offset: at, length: items.count)
        case .zipf(let n, let s):
            op(.zipf, offset: zipfs.count)
            zipfs.append(ZipfSampler(n: n, exponent: s))
        case .hot(let n, let pct):
            let threshold = pct / 100 * 0x1p64
            let always = threshold >= 0x1p64
            op(.hot, arg: always ? 0 : UInt64(threshold), offset: Int(n), length: always ? 1 : 0)
        case .field(let f): field(f)
        case .pool(let path, let pool):
            if let pool { choice("pool:\(path)", pool.lines) }
        case .ref(_, let slot):
            if slot >= 0 { op(.ref, arg: UInt64(slot)) }
        }
    }

    private mutating func field(_ f: DataField) {
        typealias T = RealisticTables
        func lower(_ t: [[UInt8]]) -> [[UInt8]] { t.map { $0.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } } }
        switch f {
        case .firstName: choice("first", T.firstNames)
        case .lastName: choice("last", T.lastNames)
        case .name:
            // One op, the same draws as the pick, the space and the pick it stands for.
            if let d = picks([("first", T.firstNames), ("last", T.lastNames)]) { op(.name, offset: d); break }
            choice("first", T.firstNames); literal([0x20]); choice("last", T.lastNames)
        case .email:
            if let d = picks([("first-lower", lower(T.firstNames)), ("last-lower", lower(T.lastNames)), ("domains", T.emailDomains)]) {
                op(.email, offset: d)
                break
            }
            choice("first-lower", lower(T.firstNames)); literal([0x2E]); choice("last-lower", lower(T.lastNames))
            int(1, 999); literal([0x40]); choice("domains", T.emailDomains)
        case .phone:
            // NANP: area codes 201…989, and 555-0100…555-0199, the range kept for fiction.
            literal(Array("+1-".utf8)); int(201, 989); literal(Array("-555-01".utf8)); int(0, 99, width: 2)
        case .street:
            int(1, 9999); literal([0x20]); choice("streets", T.streetNames); literal([0x20]); choice("suffixes", T.streetSuffixes)
        case .city: choice("cities", T.cities)
        case .country: choice("countries", T.countries)
        case .ipv4:
            // What int(1, 223) "." int(0, 255) "." int(0, 255) "." int(1, 254) would draw and write.
            op(.ipv4)
        case .ipv6:
            for g in 0..<8 { if g > 0 { literal([0x3A]) }; op(.hex16) }
        case .word: choice("words", T.words)
        case .sentence:
            let at = table("words", T.words)
            op(.sentence, arg: UInt64(T.words.count), offset: at)
        case .lat: float(-90, 90, 6)
        case .lon: float(-180, 180, 6)
        case .iban:
            let at = ints.count
            for f in T.ibanFormats {
                // The country, the check digits for each remainder of the BBAN, the steps.
                let country = Array(f.country.utf8)
                ints += [lits.count, lits.count + 2 + 2 * 97, f.bban.utf8.count]
                lits += country + IBANStep.checkDigits(country: country) + IBANStep.steps(forShape: Array(f.bban.utf8))
            }
            op(.iban, arg: UInt64(T.ibanFormats.count), offset: at)
        case .userAgent: choice("agents", T.userAgents)
        }
    }

    private mutating func op(_ kind: CompiledTemplate.Kind, arg: UInt64 = 0, offset: Int = 0, length: Int = 0) {
        ops.append(Op(kind: kind, arg: arg, offset: offset, length: length))
    }

    private mutating func literal(_ bytes: [UInt8]) {
        op(.literal, offset: lits.count, length: bytes.count)
        lits += bytes
    }

    private mutating func int(_ lo: Int64, _ hi: Int64, width: Int = 0) {
        // The span wraps to 0 for the whole Int64 range: then every 64-bit draw is in range.
        op(.int, arg: UInt64(bitPattern: hi &- lo) &+ 1, offset: Int(lo), length: width)
    }

    private mutating func float(_ lo: Double, _ hi: Double, _ digits: Int) {
        op(.float, arg: UInt64(Template.pow10(digits)), offset: reals.count, length: digits)
        reals += [lo, hi - lo]
    }

    /// Each table laid out (as `choice` does), and their (entries' offset, count) pairs in
    /// `ints`: where the pairs start. Nil if an entry is longer than 16 bytes (the fused ops
    /// copy an entry as two 8-byte moves).
    private mutating func picks(_ tables: [(String, [[UInt8]])]) -> Int? {
        guard tables.allSatisfy({ $0.1.allSatisfy { $0.count <= 16 } && !$0.1.isEmpty }) else { return nil }
        let spans = tables.map { (table($0.0, $0.1), $0.1.count) }
        let at = ints.count
        for (entries, count) in spans { ints += [entries, count] }
        return at
    }

    private mutating func choice(_ name: String, _ items: [[UInt8]]) {
        op(.choice, arg: UInt64(items.count), offset: table(name, items))
    }

    /// Lays `items` out in the arena once; returns where their (offset, length) pairs start.
    private mutating func table(_ name: String, _ items: [[UInt8]]) -> Int {
        if let at = tables[name] { return at }
        let at = ints.count
        for item in items {
            ints += [lits.count, item.count]
            lits += item
        }
        tables[name] = at
        return at
    }
}

extension CompiledTemplate {
    /// The ops that do more than one append; out of `render`'s loop to keep it small.
    @inline(never) func renderData(_ op: Op, into out: ByteBuffer, _ ctx: inout RenderContext) {
        switch op.kind {
        case .float:
            let v = reals[op.offset] + ctx.rng.nextUnit() * reals[op.offset + 1]
            Self.appendFixed(v, digits: op.length, scale: op.arg, into: out)
        case .normal:
            // Box–Muller, one of the pair: u1 in (0, 1] so log(u1) is finite.
            let u1 = 1 - ctx.rng.nextUnit(), u2 = ctx.rng.nextUnit()
            let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
            Self.appendFixed(reals[op.offset] + reals[op.offset + 1] * z, digits: op.length, scale: op.arg, into: out)
        case .weighted:
            let r = Int(ctx.rng.next(below: op.arg))
            var lo = 0, hi = op.length - 1
            while lo < hi {
                let mid = (lo + hi) / 2
                if ints[op.offset + 3 * mid] > r { hi = mid } else { lo = mid + 1 }
            }
            let at = op.offset + 3 * lo
            appendBytes(ints[at + 1], ints[at + 2], into: out)
        case .zipf:
            out.appendDecimal(zipfs[op.offset].next(&ctx.rng) - 1)
        case .hot:
            let hot = op.length == 1 || ctx.rng.next() < op.arg
            out.appendDecimal(hot ? 0 : ctx.rng.next(below: UInt64(op.offset)))
        case .hex16:
            let v = UInt16(truncatingIfNeeded: ctx.rng.next())
            var shift = 12
            while shift > 0 && v >> UInt16(shift) == 0 { shift -= 4 }
            let hex: StaticString = "0123456789abcdef"
            while shift >= 0 {
                out.append(hex.utf8Start[Int((v >> UInt16(shift)) & 0xF)])
                shift -= 4
            }
        case .sentence:
            let words = 4 + Int(ctx.rng.next(below: 9))
            for w in 0..<words {
                if w > 0 { out.append(0x20) }
                let at = op.offset + 2 * Int(ctx.rng.next(below: op.arg))
                if w == 0, ints[at + 1] > 0 {
                    let first = arena[ints[at]]
                    out.append(first >= 0x61 && first <= 0x7A ? first - 0x20 : first)
                    appendBytes(ints[at] + 1, ints[at + 1] - 1, into: out)
                } else {
                    appendBytes(ints[at], ints[at + 1], into: out)
                }
            }
            out.append(0x2E)
        default: break
        }
    }

    // The fused fields: one op writes what the ops it replaces wrote, from the same draws in
    // the same order, into room reserved once (each entry copied as two 8-byte moves, which
    // may write up to 15 bytes past it: the room covers that). As separate ops, each pick,
    // number and separator went through the op loop (load, prefix, dispatch, the buffer's
    // count and capacity reloaded after every store): five realistic fields, callgrind, dry
    // run, each field alone in the JSON against the same JSON with constant fields: IPv4
    // 445 → 225 instructions a record, email 431 → 289, name 199 → 166.

    /// Entry `Int(draw)` of the table whose (offset, count) pair is at `ints[d]`, copied to `p`; its length.
    @inline(__always) private func pick(_ d: Int, to p: UnsafeMutablePointer<UInt8>, _ rng: inout SeededRandom) -> Int {
        let e = ints[d] + 2 * Int(truncatingIfNeeded: rng.next(below: UInt64(truncatingIfNeeded: ints[d + 1])))
        let src = UnsafeRawPointer(arenaBase + ints[e])
        let dst = UnsafeMutableRawPointer(p)
        dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
        dst.storeBytes(of: src.loadUnaligned(fromByteOffset: 8, as: UInt64.self), toByteOffset: 8, as: UInt64.self)
        return ints[e + 1]
    }

    /// `v` < 1000 at `p` (a 4-byte store); its digit count.
    @inline(__always) private func below1000(_ v: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
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

    /// `v` with `digits` decimals (`scale` = 10^digits), no exponent and no "-0".
    static func appendFixed(_ v: Double, digits: Int, scale: UInt64, into out: ByteBuffer) {
        var scaled = (v * Double(scale)).rounded()
        if !(abs(scaled) < 9.2e18) { scaled = scaled.isNaN ? 0 : (scaled < 0 ? -9.2e18 : 9.2e18) }
        let m = UInt64(abs(scaled))
        if scaled < 0 && m != 0 { out.append(0x2D) }
        if digits == 0 { out.appendDecimal(m); return }
        out.appendDecimal(m / scale)
        out.append(0x2E)
        out.appendDecimal(m % scale, width: digits)
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
