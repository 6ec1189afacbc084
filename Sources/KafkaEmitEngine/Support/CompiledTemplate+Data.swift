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
            choice("first", T.firstNames); literal([0x20]); choice("last", T.lastNames)
        case .email:
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
            int(1, 223); literal([0x2E]); int(0, 255); literal([0x2E]); int(0, 255); literal([0x2E]); int(1, 254)
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
                ints += [lits.count, lits.count + 2, f.bban.utf8.count]
                lits += Array(f.country.utf8) + Array(f.bban.utf8)
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
        case .iban:
            let at = op.offset + 3 * Int(ctx.rng.next(below: op.arg))
            appendIBAN(country: ints[at], shape: ints[at + 1], length: ints[at + 2], into: out, &ctx.rng)
        default: break
        }
    }

    /// ISO 13616: country, two check digits, BBAN; the check digits make the number
    /// (BBAN, country, check digits, letters as 10…35) equal 1 mod 97.
    ///
    /// Cheap because it runs per record: characters come from the top bits of one 64-bit
    /// draw multiplied up (a digit takes ~3.3 bits, a letter ~4.7, either ~5.2; a fresh draw
    /// once fewer than 24 unused bits are left, so no character is measurably biased), and
    /// the remainder is taken once per 8 characters (97·10^16 plus 8 more fits in 64 bits),
    /// and a run of eight digits is one draw below 10^8.
    private func appendIBAN(country: Int, shape: Int, length: Int, into out: ByteBuffer, _ rng: inout SeededRandom) {
        let p = out.tail(4 + length)
        let c0 = arena[country], c1 = arena[country + 1]
        p[0] = c0
        p[1] = c1
        var acc: UInt64 = 0
        var bits = rng.next()
        var budget = 64
        var i = 0, pending = 0
        while i < length {
            // Eight digits in a row (most of a BBAN): one bounded draw and one remainder.
            if i + 8 <= length, (arena.baseAddress! + shape + i).loadUnaligned(as: UInt64.self) == 0x6E6E_6E6E_6E6E_6E6E {
                let v = rng.next(below: 100_000_000)
                acc = ((acc % 97) &* 100_000_000 &+ v) % 97
                pending = 0
                let hi = Int(truncatingIfNeeded: v / 10_000), lo = Int(truncatingIfNeeded: v % 10_000)
                let pairs = Self.digitPairs.utf8Start
                let q = p + 4 + i
                q[0] = pairs[2 * (hi / 100)]; q[1] = pairs[2 * (hi / 100) + 1]
                q[2] = pairs[2 * (hi % 100)]; q[3] = pairs[2 * (hi % 100) + 1]
                q[4] = pairs[2 * (lo / 100)]; q[5] = pairs[2 * (lo / 100) + 1]
                q[6] = pairs[2 * (lo % 100)]; q[7] = pairs[2 * (lo % 100) + 1]
                i += 8
                continue
            }
            if budget < 24 { bits = rng.next(); budget = 64 }
            let kind = arena[shape + i]
            let ch: UInt8
            if kind == UInt8(ascii: "n") {
                let m = bits.multipliedFullWidth(by: 10)
                bits = m.low; budget -= 4
                ch = 0x30 + UInt8(truncatingIfNeeded: m.high)
                acc = acc &* 10 &+ UInt64(m.high)
            } else {
                let m = bits.multipliedFullWidth(by: kind == UInt8(ascii: "a") ? 26 : 36)
                bits = m.low; budget -= 6
                let r = UInt8(truncatingIfNeeded: m.high)
                ch = kind == UInt8(ascii: "a") ? 0x41 + r : (r < 10 ? 0x30 + r : 0x41 + r - 10)
                acc = ch <= 0x39 ? acc &* 10 &+ UInt64(ch - 0x30) : acc &* 100 &+ UInt64(ch - 0x41 + 10)
            }
            p[4 + i] = ch
            pending += 1
            if pending == 8 { acc %= 97; pending = 0 }
            i += 1
        }
        acc = (acc % 97) * 100 + UInt64(c0 - 0x41 + 10)
        acc = (acc * 100 + UInt64(c1 - 0x41 + 10)) * 100
        let check = 98 - Int(acc % 97)
        p[2] = 0x30 + UInt8(check / 10)
        p[3] = 0x30 + UInt8(check % 10)
        out.didAppend(4 + length)
    }

    static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

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
