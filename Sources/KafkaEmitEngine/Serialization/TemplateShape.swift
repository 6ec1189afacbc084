@_spi(Engine) import KafkaEmit

/// A `--value` / `--key` template read as JSON, with its placeholders ("holes") where values
/// go: the structure every record rendered from it shares. `AvroTemplatePlan` compiles it with
/// a schema so records skip the JSON text (see `AvroTemplateEncoder`). A template whose
/// structure could change with what its placeholders render (a placeholder in a field name,
/// inside a number, next to another value) has no shape.
indirect enum TemplateShape {
    /// A value with no placeholder: its JSON text, as written.
    case constant([UInt8])
    /// A placeholder that is a whole value (`"id":{i}`); `slot` numbers the holes in the
    /// template's order, the order in which they are rendered.
    case hole(slot: Int, part: Template.Part)
    /// A string with placeholders (`"user-{rand:10000}"`): the parts between its quotes,
    /// literals as written (escapes kept).
    case string(slot: Int, parts: [Template.Part])
    /// Field names with their escapes decoded.
    case object([(key: [UInt8], value: TemplateShape)])
    case array([TemplateShape])

    var isConstant: Bool { if case .constant = self { true } else { false } }

    /// The template's shape and each slot's parts (in the template's order), or nil.
    static func of(_ template: Template) -> (shape: TemplateShape, slots: [[Template.Part]])? {
        var parser = ShapeParser(template.parts)
        guard let shape = parser.value() else { return nil }
        parser.skipSpace()
        guard parser.p == parser.elements.count else { return nil }
        return (shape, parser.slots)
    }
}

/// Reads a template's bytes and placeholders with the JSON grammar `JSONTape` parses; anything
/// else (or anything unusual, such as a placeholder after a backslash) is no shape.
private struct ShapeParser {
    enum Element { case byte(UInt8), hole(Template.Part) }
    let elements: [Element]
    var p = 0
    var slots: [[Template.Part]] = []
    private var depth = 0

    init(_ parts: [Template.Part]) {
        var e: [Element] = []
        for part in parts {
            if case .literal(let bytes) = part { e += bytes.map { .byte($0) } } else { e.append(.hole(part)) }
        }
        elements = e
    }

    private func byte(_ i: Int) -> UInt8? {
        if i < elements.count, case .byte(let b) = elements[i] { return b }
        return nil
    }

    mutating func skipSpace() {
        while let c = byte(p), c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { p += 1 }
    }

    /// The bytes of elements `from..<to`, which hold no placeholder.
    private func text(_ from: Int, _ to: Int) -> [UInt8] {
        (from..<to).map { byte($0)! }
    }

    mutating func value() -> TemplateShape? {
        skipSpace()
        guard p < elements.count else { return nil }
        let start = p
        switch elements[p] {
        case .hole(let part):
            p += 1
            slots.append([part])
            return .hole(slot: slots.count - 1, part: part)
        case .byte(0x7B), .byte(0x5B):
            depth += 1
            defer { depth -= 1 }
            guard depth < 100 else { return nil }
            return container(start)
        case .byte(0x22):
            return string(start)
        case .byte:
            // true, false, null or a number, up to the next delimiter: checked when encoded.
            while p < elements.count {
                guard let c = byte(p) else { return nil }
                if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { break }
                p += 1
            }
            return .constant(text(start, p))
        }
    }

    private mutating func container(_ start: Int) -> TemplateShape? {
        let isObject = byte(p) == 0x7B
        let close: UInt8 = isObject ? 0x7D : 0x5D
        p += 1
        skipSpace()
        if byte(p) == close { p += 1; return .constant(text(start, p)) }
        var members: [(key: [UInt8], value: TemplateShape)] = []
        var items: [TemplateShape] = []
        while true {
            if isObject {
                skipSpace()
                guard byte(p) == 0x22, let key = key() else { return nil }
                skipSpace()
                guard byte(p) == 0x3A else { return nil }
                p += 1
                guard let v = value() else { return nil }
                members.append((key, v))
            } else {
                guard let v = value() else { return nil }
                items.append(v)
            }
            skipSpace()
            guard let c = byte(p) else { return nil }
            p += 1
            if c == close { break }
            guard c == 0x2C else { return nil }
        }
        if members.allSatisfy({ $0.value.isConstant }) && items.allSatisfy(\.isConstant) { return .constant(text(start, p)) }
        return isObject ? .object(members) : .array(items)
    }

    /// A field name (no placeholder in it), its escapes decoded.
    private mutating func key() -> [UInt8]? {
        p += 1
        var raw: [UInt8] = []
        var escaped = false
        while let c = byte(p) {
            p += 1
            if c == 0x22 {
                guard escaped else { return raw }
                return ShapeParser.unescaped(raw)
            }
            if c < 0x20 { return nil }
            raw.append(c)
            if c == 0x5C {
                guard let e = byte(p) else { return nil }
                raw.append(e)
                p += 1
                escaped = true
            }
        }
        return nil
    }

    private static func unescaped(_ raw: [UInt8]) -> [UInt8]? {
        let out = ByteBuffer(capacity: raw.count)
        let ok = raw.withUnsafeBytes { b in (try? JSONTape.unescapeChecked(b, into: out)) != nil }
        return ok ? out.array : nil
    }

    /// A string: constant without placeholders, else a slot rendered from its inside's parts.
    private mutating func string(_ start: Int) -> TemplateShape? {
        p += 1
        var parts: [Template.Part] = []
        var literal: [UInt8] = []
        while p < elements.count {
            switch elements[p] {
            case .hole(let part):
                if !literal.isEmpty { parts.append(.literal(literal)); literal = [] }
                parts.append(part)
                p += 1
            case .byte(0x22):
                p += 1
                if parts.isEmpty { return .constant(text(start, p)) }
                if !literal.isEmpty { parts.append(.literal(literal)) }
                slots.append(parts)
                return .string(slot: slots.count - 1, parts: parts)
            case .byte(let c):
                literal.append(c)
                p += 1
                if c == 0x5C {
                    // The escaped byte must be the template's own, not a placeholder's first.
                    guard let e = byte(p) else { return nil }
                    literal.append(e)
                    p += 1
                }
            }
        }
        return nil
    }
}
