@_spi(Engine) import KafkaEmit

/// rpk's `--format` input layout (`rpk topic produce --format`), e.g. `'%k %v\n'`,
/// `'%t %p %k %v\n'`, `'%H %h{%k=%v;}%v\n'`, `'%K{big16}%k%V{big16}%v'`.
///
/// A literal right after an unsized `%t`, `%k` or `%v` is that field's delimiter (the field
/// ends where it appears); any other literal must match exactly. What rpk documents but this
/// does not support is refused by name.
package struct InputLayout: Equatable, Sendable {
    enum Field: Equatable, Sendable { case topic, key, value }
    /// How a number is written in the input.
    enum Number: Equatable, Sendable {
        case ascii
        case constant(Int)
        case bigEndian(Int), littleEndian(Int)
        case hex(Int)
        case bool
    }
    enum Decode: Equatable, Sendable { case none, hex, base64 }
    enum Slot: Int, Equatable, Sendable { case topicSize, keySize, valueSize, headerCount }
    enum Step: Equatable, Sendable {
        case literal([UInt8])
        /// A text field, sized by an earlier size step, ended by `delimiter`, or (neither) the
        /// rest of the input.
        case text(Field, decode: Decode, sized: Bool, delimiter: [UInt8]?)
        case size(Slot, Number)
        case partition(Number)
        case timestamp(Number)
        /// `%h{...}`: this layout once per header (its `%k`/`%v` are the header's name/value).
        case headers([Step])
    }

    let steps: [Step]
    var readsTopic: Bool { steps.contains { if case .text(.topic, _, _, _) = $0 { true } else { false } } }
    /// `%d`: each record carries its timestamp (what `--replay` paces by).
    var readsTimestamp: Bool { steps.contains { if case .timestamp = $0 { true } else { false } } }

    /// The delimiter that ends every record (the last step's), when there is one.
    var terminator: [UInt8]? {
        if case .text(_, _, false, let d?) = steps.last { return d }
        return nil
    }

    /// The last field has neither a size nor a delimiter after it: as in rpk, it takes the
    /// rest of the input, so the whole input is one record (`'%k %v'` without `\n`).
    package var lastFieldRunsToEnd: Bool {
        if case .text(_, _, false, nil) = steps.last { return true }
        return false
    }

    static let help = "%t topic, %k key, %v value, %T %K %V their sizes, %H header count, %h{...} headers, %p partition, %d timestamp ms"

    init(_ format: String) throws(EmitError) {
        var parser = LayoutParser(Array(format.utf8), format: format)
        steps = try parser.layout(inHeaders: false)
        if steps.isEmpty { throw .usage("--input-format: the format reads nothing; e.g. --input-format '%k %v\\n'") }
    }

    package static func checked(_ format: String) throws(EmitError) -> InputLayout { try InputLayout(format) }

    private init(steps: [Step]) { self.steps = steps }
    /// Reads nothing (never used: plans are validated first).
    static let empty = InputLayout(steps: [])
}

/// Turns the format string into steps (see `InputLayout`).
private struct LayoutParser {
    let b: [UInt8]
    let format: String
    var i = 0

    init(_ b: [UInt8], format: String) {
        self.b = b
        self.format = format
    }

    func fail(_ why: String) -> EmitError { .usage("--input-format '\(format)': \(why)") }

    mutating func layout(inHeaders: Bool) throws(EmitError) -> [InputLayout.Step] {
        var items: [InputLayout.Step] = []
        var literal: [UInt8] = []
        var sized = Set<Int>()   // slots whose size has been read
        var seen = Set<String>()
        func flush() { if !literal.isEmpty { items.append(.literal(literal)); literal = [] } }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\\") {
                literal.append(try escape())
                continue
            }
            guard c == UInt8(ascii: "%"), i + 1 < b.count else { literal.append(c); i += 1; continue }
            let verb = b[i + 1]
            i += 2
            switch verb {
            case UInt8(ascii: "%"), UInt8(ascii: "{"), UInt8(ascii: "}"): literal.append(verb); continue
            default: break
            }
            let name = "%" + String(UnicodeScalar(verb))
            let modifier = try braced()
            flush()
            if !"tkvTKVHhpd".utf8.contains(verb) { throw unsupported(name) }
            if inHeaders && !"kvKV".utf8.contains(verb) { throw fail("\(name) cannot be used inside %h{...}; a header has %k (name) and %v (value)") }
            guard seen.insert(name).inserted else { throw fail("\(name) appears twice") }
            switch verb {
            case UInt8(ascii: "t"), UInt8(ascii: "k"), UInt8(ascii: "v"):
                let field: InputLayout.Field = verb == UInt8(ascii: "t") ? .topic : verb == UInt8(ascii: "k") ? .key : .value
                let slot = verb == UInt8(ascii: "t") ? 0 : verb == UInt8(ascii: "k") ? 1 : 2
                let decode: InputLayout.Decode
                switch modifier {
                case nil: decode = .none
                case "hex": decode = .hex
                case "base64": decode = .base64
                case let m?: throw fail("\(name){\(m)} is not supported; use \(name), \(name){hex} or \(name){base64}")
                }
                items.append(.text(field, decode: decode, sized: sized.contains(slot), delimiter: nil))
            case UInt8(ascii: "T"), UInt8(ascii: "K"), UInt8(ascii: "V"), UInt8(ascii: "H"):
                let slot: InputLayout.Slot = verb == UInt8(ascii: "T") ? .topicSize : verb == UInt8(ascii: "K") ? .keySize : verb == UInt8(ascii: "V") ? .valueSize : .headerCount
                let text = String(UnicodeScalar(verb)).lowercased()
                if seen.contains("%" + text) { throw fail("\(name) must come before %\(text)") }
                sized.insert(slot.rawValue)
                items.append(.size(slot, try number(name, modifier)))
            case UInt8(ascii: "p"): items.append(.partition(try number(name, modifier)))
            case UInt8(ascii: "d"): items.append(.timestamp(try number(name, modifier)))
            default:   // %h
                guard seen.contains("%H") else { throw fail("%h needs %H (the number of headers) before it, e.g. %H %h{%k=%v;}") }
                guard let inner = modifier else { throw fail("%h needs its header layout in braces, e.g. %h{%k=%v;}") }
                var nested = LayoutParser(Array(inner.utf8), format: format)
                items.append(.headers(try nested.layout(inHeaders: true)))
            }
        }
        flush()
        return attachDelimiters(items)
    }

    /// A literal right after an unsized text field ends that field.
    private func attachDelimiters(_ items: [InputLayout.Step]) -> [InputLayout.Step] {
        var out: [InputLayout.Step] = []
        var k = 0
        while k < items.count {
            if case .text(let f, let d, false, nil) = items[k], k + 1 < items.count, case .literal(let lit) = items[k + 1] {
                out.append(.text(f, decode: d, sized: false, delimiter: lit))
                k += 2
                continue
            }
            out.append(items[k])
            k += 1
        }
        return out
    }

    private func unsupported(_ name: String) -> EmitError {
        switch name {
        case "%o", "%e", "%x", "%y":
            fail("\(name) is set by the broker or the producer, not read from input; remove it")
        case "%a", "%i", "%[", "%|", "%]", "%A", "%D":
            fail("\(name) only exists in rpk's consume output, not in input formats")
        default:
            fail("unknown token \(name); use \(InputLayout.help)")
        }
    }

    /// `{...}` right after a verb, braces nested (a `%{`/`%}` inside does not count).
    private mutating func braced() throws(EmitError) -> String? {
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return nil }
        var depth = 1
        let start = i + 1
        var k = start
        while k < b.count {
            if b[k] == UInt8(ascii: "%") && k + 1 < b.count { k += 2; continue }
            if b[k] == UInt8(ascii: "{") { depth += 1 }
            if b[k] == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 {
                    i = k + 1
                    return String(decoding: b[start..<k], as: UTF8.self)
                }
            }
            k += 1
        }
        throw fail("a '{' after a token is not closed")
    }

    private mutating func escape() throws(EmitError) -> UInt8 {
        guard i + 1 < b.count else { throw fail("it ends with a lone backslash; write \\\\ for a backslash") }
        let e = b[i + 1]
        i += 2
        switch e {
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "\\"): return 0x5C
        case UInt8(ascii: "x"):
            guard i + 2 <= b.count, isHexDigit(b[i]), isHexDigit(b[i + 1]),
                  let v = UInt8(String(decoding: b[i..<(i + 2)], as: UTF8.self), radix: 16) else {
                throw fail("a \\x escape needs two hex digits, e.g. \\x1e")
            }
            i += 2
            return v
        default:
            throw fail("unknown escape '\\\(String(UnicodeScalar(e)))'; use \\n, \\t, \\r, \\\\ or \\xNN")
        }
    }

    private func number(_ name: String, _ modifier: String?) throws(EmitError) -> InputLayout.Number {
        guard let m = modifier else { return .ascii }
        switch m {
        case "ascii", "number": return .ascii
        case "byte", "big8", "little8": return .bigEndian(1)
        case "big16": return .bigEndian(2)
        case "big32": return .bigEndian(4)
        case "big64": return .bigEndian(8)
        case "little16": return .littleEndian(2)
        case "little32": return .littleEndian(4)
        case "little64": return .littleEndian(8)
        case "hex4": return .hex(1)
        case "hex8": return .hex(2)
        case "hex16": return .hex(4)
        case "hex32": return .hex(8)
        case "hex64": return .hex(16)
        case "bool": return .bool
        default:
            guard let n = Int(m) else { throw fail("\(name){\(m)} is not a number format; use ascii, byte, big16/32/64, little16/32/64, hex4..hex64, bool or a constant") }
            guard n > 0 else { throw fail("\(name){\(m)}: a constant must be positive") }
            return .constant(n)
        }
    }
}
