@_spi(Engine) import KafkaEmit

/// A JSON document as Swift values, for what is read once per run (schemas, the registry's
/// answers); records never go through it.
enum JSONValue: Equatable {
    case null
    case bool(Bool)
    /// The number's text as written (so 64-bit integers and decimals keep every digit).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order.
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (Double(x) != nil && Double(x) == Double(y))
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    static func parse(_ text: String) throws(JSONTapeError) -> JSONValue {
        let bytes = Array(text.utf8)
        let tape = JSONTape()
        var failure: JSONTapeError?
        let value = bytes.withUnsafeBytes { (b: UnsafeRawBufferPointer) -> JSONValue? in
            do throws(JSONTapeError) { try tape.parse(b) } catch { failure = error; return nil }
            return JSONValue(tape, 0)
        }
        if let failure { throw failure }
        return value!
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONTapeError) -> JSONValue {
        let tape = JSONTape()
        try tape.parse(bytes)
        return JSONValue(tape, 0)
    }

    /// The value at token `i` of a parsed tape.
    init(_ tape: JSONTape, _ i: Int) {
        let t = tape[i]
        switch t.kind {
        case .null: self = .null
        case .bool: self = .bool(t.flag)
        case .number: self = .number(tape.string(i))
        case .string: self = .string(tape.string(i))
        case .array:
            var items: [JSONValue] = []
            var k = i + 1
            while k < Int(t.next) { items.append(JSONValue(tape, k)); k = Int(tape[k].next) }
            self = .array(items)
        case .object:
            var members: [(String, JSONValue)] = []
            var k = i + 1
            while k < Int(t.next) { members.append((tape.string(k), JSONValue(tape, k + 1))); k = Int(tape[k + 1].next) }
            self = .object(members)
        }
    }

    subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == key }?.1 }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var int: Int? { if case .number(let s) = self { return Int(s) }; return nil }
    var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    var object: [(String, JSONValue)]? { if case .object(let o) = self { return o }; return nil }

    /// Compact JSON text (members in their order).
    var text: String {
        let out = ByteBuffer()
        write(into: out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    func write(into out: ByteBuffer) {
        switch self {
        case .null: out.appendLiteral("null")
        case .bool(let b): out.appendLiteral(b ? "true" : "false")
        case .number(let s): out.append(s)
        case .string(let s): JSONString.append(out, s)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (k, v) in a.enumerated() { if k > 0 { out.append(UInt8(ascii: ",")) }; v.write(into: out) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (k, m) in o.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                JSONString.append(out, m.0)
                out.append(UInt8(ascii: ":"))
                m.1.write(into: out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
