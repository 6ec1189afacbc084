@_spi(Engine) import KafkaEmit

/// Random records valid for an Avro schema (SPEC §2b: generate mode with a value schema and
/// no `--value`), as the Datagen connector makes them: written as JSON in Avro's JSON
/// encoding (unions wrapped), so the dry run shows them and the encoder checks them like any
/// other record. Repeatable with `--seed`. Recursive types stop growing after a few levels
/// (the null branch of a union, empty arrays and maps).
final class AvroRandom {
    private let root: AvroNode
    private var rng: SeededRandom
    private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    private static let maxDepth = 6

    /// Keeps the schema's nodes alive (the encoder keeps their parser).
    private let owner: AvroEncoder

    /// False for a schema with no finite value (a record that requires itself).
    let canEnd: Bool

    init(_ encoder: AvroEncoder, seed: UInt64) {
        root = encoder.root
        owner = encoder
        var seen = Set<ObjectIdentifier>()
        canEnd = AvroRandom.terminates(encoder.root, &seen)
        rng = SeededRandom(seed: seed)
    }

    func make(into out: ByteBuffer) {
        write(root, out, depth: 0)
    }

    private func int(_ below: UInt64) -> Int64 { Int64(rng.next(below: below)) }

    private func word(_ out: ByteBuffer, _ n: Int) {
        for _ in 0..<n { out.append(AvroRandom.letters[Int(rng.next(below: UInt64(AvroRandom.letters.count)))]) }
    }

    /// Whether a node can always end (a record whose required fields recurse cannot).
    private func terminates(_ n: AvroNode, _ seen: inout Set<ObjectIdentifier>) -> Bool { AvroRandom.terminates(n, &seen) }

    private static func terminates(_ n: AvroNode, _ seen: inout Set<ObjectIdentifier>) -> Bool {
        switch n.kind {
        case .record:
            if seen.contains(ObjectIdentifier(n)) { return false }
            seen.insert(ObjectIdentifier(n))
            defer { seen.remove(ObjectIdentifier(n)) }
            for f in n.fields where !terminates(f.node, &seen) { return false }
            return true
        case .union:
            for b in n.branches where terminates(b, &seen) { return true }
            return false
        case .array, .map: return true   // empty
        default: return true
        }
    }

    private func write(_ n: AvroNode, _ out: ByteBuffer, depth: Int) {
        switch n.kind {
        case .null: out.appendLiteral("null")
        case .boolean: out.appendLiteral(rng.next() & 1 == 0 ? "false" : "true")
        case .int:
            switch n.logical {
            case .date: out.appendDecimal(18_000 + int(3_000))                 // 2019..2027
            case .timeMillis: out.appendDecimal(int(86_400_000))
            default: out.appendDecimal(int(2_000_001) - 1_000_000)
            }
        case .long:
            let nowMillis = Int64(1_764_000_000_000)                            // late 2025
            switch n.logical {
            case .timestampMillis, .localTimestampMillis: out.appendDecimal(nowMillis + int(31_536_000_000))
            case .timestampMicros, .localTimestampMicros: out.appendDecimal((nowMillis + int(31_536_000_000)) * 1000)
            case .timeMicros: out.appendDecimal(int(86_400_000_000))
            default: out.appendDecimal(int(2_000_000_001) - 1_000_000_000)
            }
        case .float, .double:
            out.appendDecimal(int(2_000_001) - 1_000_000)
            out.append(UInt8(ascii: "."))
            out.appendDecimal(int(100))
        case .string:
            out.append(UInt8(ascii: "\""))
            if n.logical == .uuid {
                let hex = Array("0123456789abcdef".utf8)
                for k in 0..<36 {
                    if k == 8 || k == 13 || k == 18 || k == 23 { out.append(UInt8(ascii: "-")) } else if k == 14 { out.append(UInt8(ascii: "4")) } else if k == 19 {
                        out.append(hex[8 + Int(rng.next(below: 4))])   // RFC 4122's variant
                    } else {
                        out.append(hex[Int(rng.next(below: 16))])
                    }
                }
            } else {
                word(out, 4 + Int(rng.next(below: 9)))
            }
            out.append(UInt8(ascii: "\""))
        case .bytes, .fixed:
            out.append(UInt8(ascii: "\""))
            if case .decimal(let precision, let scale) = n.logical {
                // A number of up to `precision` digits (fewer than a fixed can hold).
                let digits = max(1, min(precision, n.kind == .fixed ? precision : 18))
                if rng.next() & 1 == 0 { out.append(UInt8(ascii: "-")) }
                let whole = digits - scale
                if whole < 1 { out.append(UInt8(ascii: "0")) }
                for k in 0..<max(0, whole) { out.append(UInt8(ascii: "0") + UInt8(k == 0 && whole > 1 ? 1 + rng.next(below: 9) : rng.next(below: 10))) }
                if scale > 0 {
                    out.append(UInt8(ascii: "."))
                    for _ in 0..<min(scale, digits) { out.append(UInt8(ascii: "0") + UInt8(rng.next(below: 10))) }
                }
            } else {
                word(out, n.kind == .fixed ? n.size : 4 + Int(rng.next(below: 9)))
            }
            out.append(UInt8(ascii: "\""))
        case .enumeration:
            out.append(UInt8(ascii: "\""))
            n.symbols[Int(rng.next(below: UInt64(n.symbols.count)))].withUnsafeBytes { out.append($0) }
            out.append(UInt8(ascii: "\""))
        case .array, .map:
            let count = depth >= AvroRandom.maxDepth ? 0 : Int(rng.next(below: 4))
            out.append(UInt8(ascii: n.kind == .array ? "[" : "{"))
            for k in 0..<count {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if n.kind == .map { out.appendLiteral("\"k"); out.appendDecimal(Int64(k)); out.appendLiteral("\":") }
                write(n.items!, out, depth: depth + 1)
            }
            out.append(UInt8(ascii: n.kind == .array ? "]" : "}"))
        case .record:
            out.append(UInt8(ascii: "{"))
            for (k, f) in n.fields.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                JSONString.append(out, f.name)
                out.append(UInt8(ascii: ":"))
                write(f.node, out, depth: depth + 1)
            }
            out.append(UInt8(ascii: "}"))
        case .union:
            var choices = Array(n.branches.indices)
            if depth >= AvroRandom.maxDepth {
                var seen = Set<ObjectIdentifier>()
                let ending = choices.filter { terminates(n.branches[$0], &seen) }
                if !ending.isEmpty { choices = ending }
            }
            let b = n.branches[choices[Int(rng.next(below: UInt64(choices.count)))]]
            if b.kind == .null { out.appendLiteral("null"); return }
            out.append(UInt8(ascii: "{"))
            JSONString.append(out, b.name)
            out.append(UInt8(ascii: ":"))
            write(b, out, depth: depth + 1)
            out.append(UInt8(ascii: "}"))
        }
    }
}
