#if canImport(Glibc)
import Glibc
#endif

/// A parsed `--key` / `--value` / `-H` / `--correlation` template (SPEC §3).
///
/// Parsed once at start-up; `render` appends bytes into a reused buffer with no
/// allocation, so it is safe on the hot path.
public struct Template: Sendable, Equatable, CustomStringConvertible {
    public enum Part: Sendable, Equatable {
        case literal([UInt8])
        case index(width: Int)
        case rand(UInt64)
        case uuid
        case ts
        case now
        case line
        case key
        case topic
    }

    public let parts: [Part]
    public let source: String

    public static let knownPlaceholders = "{i}, {i:WIDTH}, {rand:N}, {uuid}, {ts}, {now}, {line}, {key}, {topic}"

    public var description: String { source }

    public init(parts: [Part], source: String) {
        self.parts = parts
        self.source = source
    }

    /// Parses `text`; `flag` names the option in error messages.
    public static func parse(_ text: String, flag: String) throws(EmitError) -> Template {
        let b = Array(text.utf8)
        var parts: [Part] = []
        var literal: [UInt8] = []
        func flush() { if !literal.isEmpty { parts.append(.literal(literal)); literal.removeAll() } }
        var i = 0
        // `{{` is a literal `{`; a `}}` that closes it is a literal `}` (so `{{i}}` is `{i}`),
        // while any other `}}` stays as written, so nested JSON such as `{"a":{"b":1}}` works.
        var openEscapes = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "{") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "{") {
                literal.append(c); i += 2; openEscapes += 1; continue
            }
            if c == UInt8(ascii: "}") && openEscapes > 0 && i + 1 < b.count && b[i + 1] == UInt8(ascii: "}") {
                literal.append(c); i += 2; openEscapes -= 1; continue
            }
            if c == UInt8(ascii: "{"), let (name, arg, end) = placeholder(in: b, at: i) {
                let shown = String(decoding: b[i...end], as: UTF8.self)
                let part = try makePart(name: name, arg: arg, shown: shown, flag: flag)
                flush()
                parts.append(part)
                i = end + 1
                continue
            }
            literal.append(c)
            i += 1
        }
        flush()
        return Template(parts: parts, source: text)
    }

    /// `{name}` or `{name:arg}` starting at `start`: name is [A-Za-z_][A-Za-z0-9_]*, arg has no braces.
    private static func placeholder(in b: [UInt8], at start: Int) -> (String, String?, Int)? {
        var j = start + 1
        func isNameStart(_ x: UInt8) -> Bool { (x >= 0x61 && x <= 0x7A) || (x >= 0x41 && x <= 0x5A) || x == 0x5F }
        func isName(_ x: UInt8) -> Bool { isNameStart(x) || (x >= 0x30 && x <= 0x39) }
        guard j < b.count, isNameStart(b[j]) else { return nil }
        while j < b.count, isName(b[j]) { j += 1 }
        let name = String(decoding: b[(start + 1)..<j], as: UTF8.self)
        guard j < b.count else { return nil }
        if b[j] == UInt8(ascii: "}") { return (name, nil, j) }
        guard b[j] == UInt8(ascii: ":") else { return nil }
        let argStart = j + 1
        j = argStart
        while j < b.count, b[j] != UInt8(ascii: "}"), b[j] != UInt8(ascii: "{"), b[j] != UInt8(ascii: "\"") { j += 1 }
        guard j < b.count, b[j] == UInt8(ascii: "}") else { return nil }
        return (name, String(decoding: b[argStart..<j], as: UTF8.self), j)
    }

    private static func makePart(name: String, arg: String?, shown: String, flag: String) throws(EmitError) -> Part {
        func noArg(_ p: Part) throws(EmitError) -> Part {
            if arg != nil { throw .usage("\(flag): \(shown) takes no argument; write {\(name)}") }
            return p
        }
        switch name {
        case "i":
            guard let arg else { return .index(width: 0) }
            guard let w = Int(arg), w >= 1, w <= 20 else {
                throw .usage("\(flag): \(shown) needs a width from 1 to 20, e.g. {i:6}")
            }
            return .index(width: w)
        case "rand":
            guard let arg, let n = UInt64(arg), n >= 1 else {
                throw .usage("\(flag): \(shown) needs a positive upper bound, e.g. {rand:100}")
            }
            return .rand(n)
        case "uuid": return try noArg(.uuid)
        case "ts": return try noArg(.ts)
        case "now": return try noArg(.now)
        case "line": return try noArg(.line)
        case "key": return try noArg(.key)
        case "topic": return try noArg(.topic)
        default:
            throw .usage("\(flag): unknown placeholder \(shown); known: \(knownPlaceholders) (write {{ for a literal brace)")
        }
    }

    public var usesLine: Bool { parts.contains(.line) }
    public var usesKey: Bool { parts.contains(.key) }
    public var usesClock: Bool { parts.contains(.ts) || parts.contains(.now) }

    /// The template is exactly `{i}`.
    public var isIndex: Bool { parts == [.index(width: 0)] }
    /// The template is exactly `{line}`.
    public var isLine: Bool { parts == [.line] }
    /// The template is exactly `{key}`.
    public var isKey: Bool { parts == [.key] }
}

/// Inputs of one record's rendering. `wallMillis` is read once per record, lazily,
/// so `{ts}` in the key and the value agree.
public struct RenderContext {
    public var index: UInt64 = 0
    public var line: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    public var keyPart: UnsafeRawBufferPointer = UnsafeRawBufferPointer(start: nil, count: 0)
    public var wallMillis: Int64 = -1
    public var rng: SeededRandom

    public init(rng: SeededRandom) { self.rng = rng }

    @inline(__always) mutating func millis() -> Int64 {
        if wallMillis < 0 { wallMillis = Clock.wallMillis() }
        return wallMillis
    }
}

/// A template compiled to a flat list of trivial ops over one literal arena, so rendering
/// touches no reference counts and allocates nothing.
public final class CompiledTemplate: @unchecked Sendable {
    // Immutable after init; read by one thread at a time.
    struct Op {
        var kind: UInt8   // 0 literal, 1 index, 2 rand, 3 uuid, 4 ts, 5 now, 6 line, 7 key, 8 topic
        var arg: UInt64
        var offset: Int
        var length: Int
    }

    private let ops: UnsafeMutableBufferPointer<Op>
    private let arena: UnsafeMutableRawBufferPointer
    public let template: Template

    public init(_ template: Template, topic: String) {
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

    public func render(into out: ByteBuffer, _ ctx: inout RenderContext) {
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
            default: break
            }
            k += 1
        }
    }

    /// Renders to a fresh array (tests, dry runs; not for the hot path).
    public func render(_ ctx: inout RenderContext) -> [UInt8] {
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

/// xoshiro256** seeded through SplitMix64: fast, and repeatable under `--seed`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitmix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E3779B97F4A7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(&x); s1 = splitmix(&x); s2 = splitmix(&x); s3 = splitmix(&x)
    }

    @inline(__always) public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in `[0, bound)` without modulo bias (Lemire's method).
    @inline(__always) public mutating func next(below bound: UInt64) -> UInt64 {
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }
}
