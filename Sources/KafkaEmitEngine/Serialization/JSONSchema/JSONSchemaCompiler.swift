/// A JSON Schema document that cannot be compiled: the message says why.
struct JSONSchemaError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// A JSON Schema document compiled once per run into a tree of checks (SPEC §2b), which
/// `JSONSchemaEncoder` walks for every record. Drafts 4, 6, 7, 2019-09 and 2020-12 as far as
/// their keywords go: a keyword whose meaning changed between drafts is read by its JSON type
/// (`exclusiveMinimum` as draft 4's boolean or draft 6's number, `items` as a schema or draft
/// 4-2019's tuple array).
final class JSONSchemaCompiler {
    /// The compiled root, and one warning naming the keywords it does not check (or none).
    static func compile(_ text: String) throws(JSONSchemaError) -> (root: JSONSchemaNode, warnings: [String]) {
        let doc: JSONValue
        do { doc = try JSONValue.parse(text) } catch { throw JSONSchemaError("not valid JSON: \(error.message)") }
        let c = JSONSchemaCompiler(doc)
        let root = try c.compile(doc, "#")
        // Refs are followed from here, not from inside `compile`, so a long chain of refs
        // does not make a deep recursion.
        while let (node, target, at) = c.pendingRefs.popLast() {
            node.ref = try c.resolve(target, at)
        }
        try c.checkLoops()
        root.owned = c.nodes.values.filter { $0 !== root }
        for n in c.nodes.values { n.finalize() }
        var warnings: [String] = []
        if !c.unchecked.isEmpty {
            let list = c.unchecked.joined(separator: ", ")
            warnings.append("the JSON Schema keyword\(c.unchecked.count == 1 ? "" : "s") \(list) \(c.unchecked.count == 1 ? "is" : "are") not checked by kafka-emit: records are sent without \(c.unchecked.count == 1 ? "that check" : "those checks")")
        }
        return (root, warnings)
    }

    private let doc: JSONValue
    /// Drafts 4-7: keywords beside `$ref` are ignored (2019-09 on: they apply too).
    private let refOverrides: Bool
    /// Every compiled schema by its JSON pointer, so a `$ref` and the natural path to the
    /// same place share one node (and recursion ends).
    private var nodes: [String: JSONSchemaNode] = [:]
    private var pendingRefs: [(JSONSchemaNode, String, String)] = []
    private(set) var unchecked: [String] = []

    /// Keywords that only describe (no validator asserts them).
    private static let annotations: Set<String> = [
        "$schema", "$id", "id", "title", "description", "default", "examples", "$comment", "definitions", "$defs",
        "readOnly", "writeOnly", "deprecated", "contentEncoding", "contentMediaType", "contentSchema", "$anchor", "$vocabulary",
    ]

    private init(_ doc: JSONValue) {
        self.doc = doc
        let draft = doc["$schema"]?.string ?? ""
        refOverrides = ["draft-03", "draft-04", "draft-06", "draft-07"].contains { draft.contains($0) }
    }

    private func note(_ keyword: String) {
        if !unchecked.contains(keyword) { unchecked.append(keyword) }
    }

    static func escapePointer(_ key: String) -> String {
        key.replacing("~", with: "~0").replacing("/", with: "~1")
    }

    private func compile(_ v: JSONValue, _ at: String) throws(JSONSchemaError) -> JSONSchemaNode {
        if let known = nodes[at] { return known }
        let n = JSONSchemaNode()
        nodes[at] = n
        switch v {
        case .bool(let b):
            n.never = !b
            return n
        case .object(var members):
            if refOverrides, let ref = members.first(where: { $0.0 == "$ref" }) { members = [ref] }
            for (key, value) in members { try keyword(n, key, value, at) }
            n.checksNumbers = n.minimum != nil || n.maximum != nil || n.exclusiveMinimum != nil || n.exclusiveMaximum != nil || n.multipleOf != nil
            n.checksStrings = n.minLength != nil || n.maxLength != nil || n.pattern != nil
            n.checksObjects = !n.properties.isEmpty || !n.patternProperties.isEmpty || n.additionalProperties != nil || !n.required.isEmpty
                || n.minProperties != nil || n.maxProperties != nil
            n.checksArrays = !n.prefixItems.isEmpty || n.rest != nil || n.minItems != nil || n.maxItems != nil
            n.combines = !n.allOf.isEmpty || !n.anyOf.isEmpty || !n.oneOf.isEmpty || n.not != nil || n.ifSchema != nil
            return n
        default:
            throw JSONSchemaError("\(at): a schema is an object or a boolean, not \(v.text.prefix(40))")
        }
    }

    private func keyword(_ n: JSONSchemaNode, _ key: String, _ v: JSONValue, _ at: String) throws(JSONSchemaError) {
        let here = at + "/" + JSONSchemaCompiler.escapePointer(key)
        func bad(_ what: String) -> JSONSchemaError { JSONSchemaError("\(here): \(what)") }
        func count() throws(JSONSchemaError) -> Int {
            guard case .number(let s) = v, let d = Double(s), d >= 0, d.rounded() == d, d < 1e15 else { throw bad("expected a non-negative integer") }
            return Int(d)
        }
        func number() throws(JSONSchemaError) -> (Double, String) {
            guard case .number(let s) = v, let d = Double(s) else { throw bad("expected a number") }
            return (d, s)
        }
        func schemas() throws(JSONSchemaError) -> [JSONSchemaNode] {
            guard let list = v.array, !list.isEmpty else { throw bad("expected a non-empty array of schemas") }
            var out: [JSONSchemaNode] = []
            for (k, s) in list.enumerated() { out.append(try compile(s, here + "/\(k)")) }
            return out
        }
        switch key {
        case "type":
            let names: [JSONValue] = v.array ?? [v]
            for name in names {
                guard let s = name.string, let t = JSONSchemaNode.Types.names.first(where: { $0.0 == s }) else {
                    throw bad("unknown type \(name.text.prefix(40)) (types: null, boolean, object, array, number, string, integer)")
                }
                n.types.insert(t.1)
            }
            n.typeText = names.compactMap(\.string).joined(separator: " or ")
        case "properties":
            guard let members = v.object else { throw bad("expected an object of schemas") }
            for (name, s) in members {
                n.properties.append(.init(name: name, bytes: Array(name.utf8), node: try compile(s, here + "/" + JSONSchemaCompiler.escapePointer(name))))
            }
        case "patternProperties":
            guard let members = v.object else { throw bad("expected an object of schemas") }
            for (source, s) in members {
                n.patternProperties.append((try pattern(source, here), try compile(s, here + "/" + JSONSchemaCompiler.escapePointer(source))))
            }
        case "additionalProperties": n.additionalProperties = try compile(v, here)
        case "required":
            // Draft 3's boolean `required` is not draft 4's list: ignored like other annotations.
            guard let list = v.array else { if case .bool = v { return }; throw bad("expected an array of names") }
            for name in list {
                guard let s = name.string else { throw bad("expected an array of names") }
                n.required.append(.init(name: s, bytes: Array(s.utf8), node: JSONSchemaNode()))
            }
        case "minProperties": n.minProperties = try count()
        case "maxProperties": n.maxProperties = try count()
        case "items":
            if case .array = v {
                n.prefixItems = try schemas()
            } else if n.prefixItems.isEmpty || !isTupleItems(at) {
                n.rest = try compile(v, here)
            }
        case "prefixItems": n.prefixItems = try schemas()
        case "additionalItems":
            // Only beside an array-form `items` (else the drafts ignore it).
            if isTupleItems(at) { n.rest = try compile(v, here) }
        case "minItems": n.minItems = try count()
        case "maxItems": n.maxItems = try count()
        case "enum":
            guard let list = v.array else { throw bad("expected an array") }
            n.enumValues = list.map(JSONConst.init)
            n.enumText = list.prefix(10).map(\.text).joined(separator: ", ") + (list.count > 10 ? ", …" : "")
        case "const":
            n.const = JSONConst(v)
            n.constText = String(v.text.prefix(60))
        case "minimum": n.minimum = try number(); try draft4Exclusive(n, at)
        case "maximum": n.maximum = try number(); try draft4Exclusive(n, at)
        case "exclusiveMinimum":
            if case .bool = v { try draft4Exclusive(n, at) } else { n.exclusiveMinimum = try number() }
        case "exclusiveMaximum":
            if case .bool = v { try draft4Exclusive(n, at) } else { n.exclusiveMaximum = try number() }
        case "multipleOf":
            let m = try number()
            guard m.0 > 0 else { throw bad("expected a number above 0") }
            n.multipleOf = m
        case "minLength": n.minLength = try count()
        case "maxLength": n.maxLength = try count()
        case "pattern":
            guard let s = v.string else { throw bad("expected a string") }
            n.pattern = try pattern(s, at)
        case "$ref":
            guard let s = v.string else { throw bad("expected a string") }
            pendingRefs.append((n, s, here))
        case "allOf": n.allOf = try schemas()
        case "anyOf": n.anyOf = try schemas()
        case "oneOf": n.oneOf = try schemas()
        case "not": n.not = try compile(v, here)
        case "if": n.ifSchema = try compile(v, here)
        case "then": n.thenSchema = try compile(v, here)
        case "else": n.elseSchema = try compile(v, here)
        default:
            if !JSONSchemaCompiler.annotations.contains(key) { note(key) }
        }
    }

    /// Whether the schema at `at` has an array-form `items` (the tuple form of drafts 4-2019).
    private func isTupleItems(_ at: String) -> Bool {
        guard let v = try? value(at: at), case .array = v["items"] else { return false }
        return true
    }

    /// Draft 4: `"exclusiveMinimum": true` makes `minimum` exclusive (order of keys is free,
    /// so this runs after either of them).
    private func draft4Exclusive(_ n: JSONSchemaNode, _ at: String) throws(JSONSchemaError) {
        guard let v = try? value(at: at) else { return }
        if case .bool(true) = v["exclusiveMinimum"], let m = n.minimum { n.exclusiveMinimum = m; n.minimum = nil }
        if case .bool(true) = v["exclusiveMaximum"], let m = n.maximum { n.exclusiveMaximum = m; n.maximum = nil }
    }

    private func pattern(_ source: String, _ at: String) throws(JSONSchemaError) -> JSONPattern {
        do { return try JSONPattern(source) } catch { throw JSONSchemaError("\(at): pattern \"\(source)\": \(error.message)") }
    }

    // MARK: $ref

    /// A `$ref` within the document: `#`, `#/definitions/X`, `#/$defs/X`, any JSON pointer
    /// (with `~0`, `~1` and percent escapes).
    private func resolve(_ ref: String, _ at: String) throws(JSONSchemaError) -> JSONSchemaNode {
        guard ref.hasPrefix("#") else {
            throw JSONSchemaError("\(at): $ref \"\(ref)\" points outside this document; kafka-emit follows refs within the schema (\"#/$defs/X\") only")
        }
        let fragment = JSONSchemaCompiler.percentDecoded(String(ref.dropFirst()))
        guard fragment.isEmpty || fragment.hasPrefix("/") else {
            throw JSONSchemaError("\(at): $ref \"\(ref)\" names an anchor; kafka-emit follows JSON pointers (\"#/$defs/X\") only")
        }
        let pointer = "#" + fragment
        guard let target = try? value(at: pointer) else {
            throw JSONSchemaError("\(at): $ref \"\(ref)\" points to nothing in the schema")
        }
        return try compile(target, pointer)
    }

    /// The document's value at a pointer `#/a/b` (escaped as `escapePointer` writes keys).
    private func value(at pointer: String) throws(JSONSchemaError) -> JSONValue {
        var v = doc
        let tokens = pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for raw in tokens {
            let token = raw.replacing("~1", with: "/").replacing("~0", with: "~")
            switch v {
            case .object(let members):
                guard let m = members.first(where: { $0.0 == token }) else { throw JSONSchemaError("no \(token)") }
                v = m.1
            case .array(let items):
                guard let k = Int(token), k >= 0, k < items.count else { throw JSONSchemaError("no \(token)") }
                v = items[k]
            default: throw JSONSchemaError("no \(token)")
            }
        }
        return v
    }

    private static func percentDecoded(_ s: String) -> String {
        guard s.contains("%") else { return s }
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let h = PatternHex.value(b[i + 1]), let l = PatternHex.value(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A schema that reaches itself without moving into the value (`{"$ref": "#"}`, or two
    /// definitions referring to each other) would validate forever: refused here.
    private func checkLoops() throws(JSONSchemaError) {
        // 0: not seen, 1: on the current path, 2: done.
        var state: [ObjectIdentifier: UInt8] = [:]
        for (at, start) in nodes where state[ObjectIdentifier(start)] == nil {
            var stack: [(JSONSchemaNode, Int)] = [(start, 0)]
            state[ObjectIdentifier(start)] = 1
            while let (node, k) = stack.last {
                let next = JSONSchemaCompiler.sameValueEdges(node)
                if k < next.count {
                    stack[stack.count - 1].1 += 1
                    let m = next[k]
                    switch state[ObjectIdentifier(m)] ?? 0 {
                    case 0: state[ObjectIdentifier(m)] = 1; stack.append((m, 0))
                    case 1: throw JSONSchemaError("\(at): the schema refers back to itself through $ref or allOf/anyOf/oneOf/not/if without going into a property or an item, so no value could ever be checked")
                    default: break
                    }
                } else {
                    state[ObjectIdentifier(node)] = 2
                    stack.removeLast()
                }
            }
        }
    }

    /// The schemas applied to the same value as `n`.
    private static func sameValueEdges(_ n: JSONSchemaNode) -> [JSONSchemaNode] {
        var out = n.allOf + n.anyOf + n.oneOf
        for s in [n.ref, n.not, n.ifSchema, n.thenSchema, n.elseSchema] { if let s { out.append(s) } }
        return out
    }
}

enum PatternHex {
    static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
