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

    init(rng: SeededRandom) { self.rng = rng }

    @inline(__always) mutating func millis() -> Int64 {
        if wallMillis < 0 { wallMillis = Clock.wallMillis() }
        return wallMillis
    }
}

/// A template compiled to a flat list of trivial ops over one literal arena, so rendering
/// touches no reference counts and allocates nothing.
final class CompiledTemplate {
    struct Op {
        var kind: UInt8   // 0 literal, 1 index, 2 rand, 3 uuid, 4 ts, 5 now, 6 line, 7 key, 9 file
        var arg: UInt64
        var offset: Int
        var length: Int
    }

    private let ops: UnsafeMutableBufferPointer<Op>
    private let arena: UnsafeMutableRawBufferPointer
    let template: Template

    init(_ template: Template, topic: String) {
        self.template = template
        var lits: [UInt8] = []
        var list: [Op] = []
        let topicBytes = Array(topic.utf8)
        for part in template.parts {
            switch part {
            case .literal(let bytes):
                list.append(Op(kind: 0, arg: 0, offset: lits.count, length: bytes.count)); lits += bytes
            case .index(let w): list.append(Op(kind: 1, arg: UInt64(w), offset: 0, length: 0))
            case .rand(let n): list.append(Op(kind: 2, arg: n, offset: 0, length: 0))
            case .uuid: list.append(Op(kind: 3, arg: 0, offset: 0, length: 0))
            case .ts: list.append(Op(kind: 4, arg: 0, offset: 0, length: 0))
            case .now: list.append(Op(kind: 5, arg: 0, offset: 0, length: 0))
            case .line: list.append(Op(kind: 6, arg: 0, offset: 0, length: 0))
            case .key: list.append(Op(kind: 7, arg: 0, offset: 0, length: 0))
            case .topic:
                list.append(Op(kind: 0, arg: 0, offset: lits.count, length: topicBytes.count)); lits += topicBytes
            case .file: list.append(Op(kind: 9, arg: 0, offset: 0, length: 0))
            }
        }
        ops = .allocate(capacity: max(1, list.count))
        _ = ops.initialize(from: list)
        opCount = list.count
        arena = .allocate(byteCount: max(1, lits.count), alignment: 1)
        lits.withUnsafeBytes { src in if src.count > 0 { arena.copyMemory(from: src) } }
    }

    private let opCount: Int

    deinit {
        ops.deallocate()
        arena.deallocate()
    }

    func render(into out: ByteBuffer, _ ctx: inout RenderContext) {
        var k = 0
        while k < opCount {
            let op = ops[k]
            switch op.kind {
            case 0: out.append(UnsafeRawBufferPointer(rebasing: arena[op.offset..<(op.offset + op.length)]))
            case 1: out.appendDecimal(ctx.index, width: Int(op.arg))
            case 2: out.appendDecimal(ctx.rng.next(below: op.arg))
            case 3: Self.appendUUID(into: out, &ctx.rng)
            case 4: out.appendDecimal(ctx.millis())
            case 5: Self.appendISO8601(into: out, millis: ctx.millis())
            case 6: out.append(ctx.line)
            case 7: out.append(ctx.keyPart)
            case 9: out.append(ctx.file)
            default: break
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
