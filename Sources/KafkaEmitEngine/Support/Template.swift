@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// A parsed `--key` / `--value` / `-H` / `--correlation` template (SPEC §3).
///
/// Parsed once at start-up; `render` appends bytes into a reused buffer with no
/// allocation, so it is safe on the hot path.
package struct Template: Sendable, Equatable, CustomStringConvertible {
    package enum Part: Sendable, Equatable {
        case literal([UInt8])
        case index(width: Int)
        case rand(UInt64)
        case uuid
        case ts
        case now
        case line
        case key
        case topic
        case file
        // Realistic data (SPEC §2c); their arguments are checked by `dataPart`.
        case int(min: Int64, max: Int64)
        case float(min: Double, max: Double, digits: Int)
        case normal(mean: Double, sd: Double, digits: Int)
        case choice([[UInt8]])
        case weighted([[UInt8]], weights: [UInt64])
        case zipf(n: UInt64, exponent: Double)
        case hot(n: UInt64, percent: Double)
        case field(DataField)
        /// `{line:FILE}`: `pool` is nil until `EmitPlan.resolveTemplates` has read FILE.
        case pool(path: String, LinePool?)
        /// `{ref:NAME}`: `slot` is the `--let`'s position, -1 until `EmitPlan.resolveTemplates`.
        case ref(name: String, slot: Int)
    }

    package let parts: [Part]
    package let source: String

    package static let knownPlaceholders = "{i}, {i:WIDTH}, {rand:N}, {uuid}, {ts}, {now}, {line}, {key}, {topic}, {file}, "
        + "{int:MIN:MAX}, {float:MIN:MAX:DIGITS}, {normal:MEAN:SD}, {choice:a|b}, {weighted:a=5|b=1}, {zipf:N:S}, {hot:N:PCT}, "
        + DataField.allCases.map { "{\($0.rawValue)}" }.joined(separator: ", ") + ", {line:FILE}, {ref:NAME}"

    package var description: String { source }

    package init(parts: [Part], source: String) {
        self.parts = parts
        self.source = source
    }

    /// Parses `text`; `flag` names the option in error messages.
    package static func parse(_ text: String, flag: String) throws(EmitError) -> Template {
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
        case "line":
            guard let arg else { return .line }
            guard !arg.isEmpty else { throw .usage("\(flag): \(shown) needs a file of entries, one per line, e.g. {line:customers.txt}") }
            return .pool(path: arg, nil)
        case "key": return try noArg(.key)
        case "topic": return try noArg(.topic)
        case "file": return try noArg(.file)
        default:
            if let part = try dataPart(name: name, arg: arg, shown: shown, flag: flag) { return part }
            throw .usage("\(flag): unknown placeholder \(shown); known: \(knownPlaceholders) (write {{ for a literal brace)")
        }
    }

    package var usesLine: Bool { parts.contains(.line) }
    package var usesKey: Bool { parts.contains(.key) }
    package var usesFile: Bool { parts.contains(.file) }
    /// No placeholder at all: renders the same bytes every time.
    package var isConstant: Bool { parts.allSatisfy { if case .literal = $0 { true } else { false } } }

    /// The template is exactly `{i}`.
    package var isIndex: Bool { parts == [.index(width: 0)] }
    /// The template is exactly `{line}`.
    package var isLine: Bool { parts == [.line] }
    /// The template is exactly `{key}`.
    package var isKey: Bool { parts == [.key] }
}
