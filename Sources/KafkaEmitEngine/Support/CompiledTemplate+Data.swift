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
