@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Inputs of one record's rendering. `wallMillis` is read once per record, lazily,
/// so `{ts}` in the key and the value agree.
struct RenderContext {
    var index: UInt64 = 0
    var line: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    var keyPart: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Files mode: the file's name as given.
    var file: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    var wallMillis: Int64 = -1
    var rng: SeededRandom
    /// This record's `--let` values, by slot (nil: no `--let`).
    var lets: UnsafePointer<UnsafeRawBufferPointer>?
    /// `index` in decimal, carried from record to record.
    var indexDigits = IndexDigits()

    init(rng: SeededRandom) { self.rng = rng }

    @inline(__always) mutating func millis() -> Int64 {
        if wallMillis < 0 { wallMillis = Clock.wallMillis() }
        return wallMillis
    }
}

/// A template compiled to a flat list of trivial ops over one literal arena, so rendering
/// touches no reference counts and allocates nothing. The realistic-data placeholders compile
/// to the same ops (`{name}` is a pick from the first names, a space, a pick from the last
/// names); their tables are copied into the arena once, with their spans in `ints` and their
/// real parameters in `reals` (see `OpList`).
final class CompiledTemplate {
    enum Kind: UInt8 {
        case literal, index, rand, uuid, ts, now, line, key, file
        /// One of `arg` values from `offset` up (`arg` 0: all 2^64), zero-padded to `length`
        /// digits (`length` > 0 only with `offset` ≥ 0).
        case int
        /// `reals[offset]` + unit·`reals[offset+1]` with `length` decimals; `arg` = 10^length.
        case float
        /// mean `reals[offset]`, sd `reals[offset+1]`, `length` decimals; `arg` = 10^length.
        case normal
        /// One of `arg` items whose (offset, length) pairs start at `ints[offset]`.
        case choice
        /// One of `length` items, (cumulative weight, offset, length) triples at `ints[offset]`;
        /// `arg` is the total weight.
        case weighted
        /// `zipfs[offset]`.
        case zipf
        /// Key 0 when next() < `arg` (always when `length` is 1), else uniform below `offset`.
        case hot
        /// A random 16-bit group in lower-case hex without leading zeros (IPv6).
        case hex16
        /// 4 to 12 words of the table at `ints[offset]` (`arg` items), capitalised, with a full stop.
        case sentence
        /// An IBAN: one of `arg` formats, (country offset, step list offset, BBAN length) at
        /// `ints[offset]`; in the arena the country is followed by its check-digit table, and
        /// the steps are `IBANStep`s.
        case iban
        /// The `--let` in slot `arg`.
        case ref
        /// `{name}`, `{email}`, `{ipv4}` as one op each (see `renderName` and the others): the
        /// tables' (entries' offset, count) pairs at `ints[offset]`.
        case name, email, ipv4
    }

    struct Op {
        var kind: Kind
        /// A literal of up to 16 bytes at `prefixOffset` in the arena, written before the op:
        /// a short literal followed by a placeholder is fused into it when the template is
        /// compiled, which saves the literal its own trip through the op loop (dispatch and
        /// bookkeeping). `event-{i}-{rand:1000}` is two ops instead of four: its dry run went
        /// from 1456 to 1423 instructions per record, five realistic fields from 3312 to 3154.
        var prefixLength: UInt8 = 0
        var prefixOffset: UInt32 = 0
        var arg: UInt64
        var offset: Int
        var length: Int
    }

    private let ops: UnsafeMutableBufferPointer<Op>
    private let opCount: Int
    let arena: UnsafeMutableRawBufferPointer
    let ints: UnsafeMutableBufferPointer<Int>
    let reals: UnsafeMutableBufferPointer<Double>
    let zipfs: UnsafeMutableBufferPointer<ZipfSampler>
    let template: Template
    /// The width of a template that is one `{i}` and nothing else (generate mode's default key,
    /// the default correlation), else -1: such a template is the index's digits, copied without
    /// entering the op loop, whose set-up and dispatch cost ~45 instructions (dry run of
    /// `event-{i}-{rand:1000}`: 1543 → 1457 instructions per record, key and correlation).
    private let soleIndexWidth: Int
    let arenaBase: UnsafeMutableRawPointer
    let below1000 = CompiledTemplate.below1000Table

    init(_ template: Template, topic: String) {
        self.template = template
        var list = OpList()
        for part in template.parts { list.add(part, topic: topic) }
        let fused = Self.fusingPrefixes(list.ops)
        ops = .allocate(capacity: max(1, fused.count))
        _ = ops.initialize(from: fused)
        opCount = fused.count
        soleIndexWidth = list.ops.count == 1 && list.ops[0].kind == .index ? Int(list.ops[0].arg) : -1
        // 16 bytes of padding: `appendBytes` copies any piece of up to 16 bytes as two 8-byte
        // moves, which may read past the last literal.
        let arena = UnsafeMutableRawBufferPointer.allocate(byteCount: list.lits.count + 16, alignment: 8)
        arena.initializeMemory(as: UInt8.self, repeating: 0)
        list.lits.withUnsafeBytes { src in if src.count > 0 { arena.copyMemory(from: src) } }
        self.arena = arena
        arenaBase = arena.baseAddress!
        ints = .allocate(capacity: max(1, list.ints.count))
        _ = ints.initialize(from: list.ints)
        reals = .allocate(capacity: max(1, list.reals.count))
        _ = reals.initialize(from: list.reals)
        zipfs = .allocate(capacity: max(1, list.zipfs.count))
        _ = zipfs.initialize(from: list.zipfs)
    }

    deinit {
        ops.deallocate()
        arena.deallocate()
        ints.deallocate()
        reals.deallocate()
        zipfs.deallocate()
    }

    /// Each literal of up to 16 bytes that a placeholder follows becomes that placeholder's prefix.
    private static func fusingPrefixes(_ ops: [Op]) -> [Op] {
        var out: [Op] = []
        var k = 0
        while k < ops.count {
            let op = ops[k]
            if op.kind == .literal, op.length <= 16, op.offset <= Int(UInt32.max), k + 1 < ops.count, ops[k + 1].kind != .literal {
                var next = ops[k + 1]
                next.prefixLength = UInt8(op.length)
                next.prefixOffset = UInt32(op.offset)
                out.append(next)
                k += 2
            } else {
                out.append(op)
                k += 1
            }
        }
        return out
    }

    @inline(__always) func literal(_ offset: Int, _ length: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: arena[offset..<(offset + length)])
    }

    /// Appends arena bytes. A piece of up to 16 bytes (names, cities, separators) is two
    /// 8-byte moves whatever its length, so picks of varying length cost no mispredicted branch.
    @inline(__always) func appendBytes(_ offset: Int, _ length: Int, into out: ByteBuffer) {
        guard length <= 16 else { out.append(literal(offset, length)); return }
        out.appendUpTo16(UnsafeRawPointer(arena.baseAddress! + offset), count: length)
    }

    /// `v` < 1000 in decimal, stored at once as one word from a table: `{rand:1000}` and the
    /// realistic `{int}`s are numbers below 1000. Building the word from three divisions cost
    /// ~40 instructions, the table look-up ~8 (dry run of `event-{i}-{rand:1000}`: 1423 → 1388
    /// instructions per record, callgrind).
    @inline(__always) func appendBelow1000(_ v: UInt64, into out: ByteBuffer) {
        let word = below1000[Int(truncatingIfNeeded: v)]
        out.appendWord(word & 0xFF_FFFF, count: Int(word >> 24))
    }

    /// Entry v: the digits of v in memory order (little-endian) in the low three bytes, their
    /// count in the top byte. Built once; immutable after (hence `nonisolated(unsafe)`).
    nonisolated(unsafe) private static let below1000Table: UnsafePointer<UInt32> = {
        let table = UnsafeMutablePointer<UInt32>.allocate(capacity: 1000)
        for v in 0..<UInt32(1000) {
            let d2 = v / 100, d1 = (v / 10) % 10, d0 = v % 10
            let n: UInt32 = v >= 100 ? 3 : (v >= 10 ? 2 : 1)
            let digits = ((0x30 + d2) | (0x30 + d1) << 8 | (0x30 + d0) << 16) >> (8 * (3 - n))
            table[Int(v)] = digits | n << 24
        }
        return UnsafePointer(table)
    }()

    @inline(__always) func render(into out: ByteBuffer, _ ctx: inout RenderContext) {
        if soleIndexWidth >= 0 {
            ctx.indexDigits.append(ctx.index, width: soleIndexWidth, into: out)
        } else {
            renderOps(into: out, &ctx)
        }
    }

    private func renderOps(into out: ByteBuffer, _ ctx: inout RenderContext) {
        var k = 0
        while k < opCount {
            let op = ops[k]
            if op.prefixLength > 0 { out.appendUpTo16(arenaBase + Int(op.prefixOffset), count: Int(op.prefixLength)) }
            switch op.kind {
            case .literal: appendBytes(op.offset, op.length, into: out)
            case .index: ctx.indexDigits.append(ctx.index, width: Int(op.arg), into: out)
            case .rand:
                // Up to 1000 (S4's {rand:1000}): one word, no digit-count chain (see IndexDigits).
                let v = ctx.rng.next(below: op.arg)
                if op.arg <= 1000 { appendBelow1000(v, into: out) } else { out.appendDecimal(v) }
            case .uuid: Self.appendUUID(into: out, &ctx.rng)
            case .ts: out.appendDecimal(ctx.millis())
            case .now: Self.appendISO8601(into: out, millis: ctx.millis())
            case .line: out.append(ctx.line)
            case .key: out.append(ctx.keyPart)
            case .file: out.append(ctx.file)
            case .int:
                let v = op.arg == 0 ? ctx.rng.next() : ctx.rng.next(below: op.arg)
                if op.offset >= 0 {
                    let x = UInt64(op.offset) &+ v
                    if x < 1000 && op.length <= 1 { appendBelow1000(x, into: out) } else { out.appendDecimal(x, width: op.length) }
                } else {
                    out.appendDecimal(Int64(op.offset) &+ Int64(bitPattern: v))
                }
            case .choice:
                let at = op.offset + 2 * Int(ctx.rng.next(below: op.arg))
                appendBytes(ints[at], ints[at + 1], into: out)
            case .ref:
                if let lets = ctx.lets { out.append(lets[Int(op.arg)]) }
            // The fused fields straight to their functions, not through `renderData`'s switch
            // (~35 instructions a field: a call, its prologue, the op passed on).
            case .name: renderName(op.offset, into: out, &ctx.rng)
            case .email: renderEmail(op.offset, into: out, &ctx.rng)
            case .ipv4: renderIPv4(into: out, &ctx.rng)
            case .iban: renderIBAN(op, into: out, &ctx.rng)
            default: renderData(op, into: out, &ctx)
            }
            k += 1
        }
    }

    /// Renders to a fresh array (tests, dry runs; not for the hot path).
    func render(_ ctx: inout RenderContext) -> [UInt8] {
        let b = ByteBuffer()
        render(into: b, &ctx)
        return b.array
    }

    static func appendUUID(into out: ByteBuffer, _ rng: inout SeededRandom) {
        let hi = rng.next(), lo = rng.next()
        var bytes = (hi, lo)
        withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = (raw[6] & 0x0F) | 0x40
            raw[8] = (raw[8] & 0x3F) | 0x80
            for i in 0..<16 {
                if i == 4 || i == 6 || i == 8 || i == 10 { out.append(0x2D) }
                out.appendHex(raw[i])
            }
        }
    }

    static func appendISO8601(into out: ByteBuffer, millis: Int64) {
        var seconds = time_t(millis / 1000)
        var tmv = tm()
        gmtime_r(&seconds, &tmv)
        out.appendDecimal(UInt64(tmv.tm_year + 1900), width: 4); out.append(0x2D)
        out.appendDecimal(UInt64(tmv.tm_mon + 1), width: 2); out.append(0x2D)
        out.appendDecimal(UInt64(tmv.tm_mday), width: 2); out.append(0x54)
        out.appendDecimal(UInt64(tmv.tm_hour), width: 2); out.append(0x3A)
        out.appendDecimal(UInt64(tmv.tm_min), width: 2); out.append(0x3A)
        out.appendDecimal(UInt64(tmv.tm_sec), width: 2); out.append(0x2E)
        out.appendDecimal(UInt64(millis % 1000), width: 3); out.append(0x5A)
    }
}
