// What JSONSchemaCompiler (JSONSchemaCompiler.swift) builds and JSONSchemaEncoder walks.

/// A value of `enum` or `const`, in the form records are compared with (strings as UTF-8
/// bytes, numbers as doubles so `1` and `1.0` are equal, as JSON Schema says).
indirect enum JSONConst {
    case null
    case bool(Bool)
    case number(Double)
    case string([UInt8])
    case array([JSONConst])
    case object([([UInt8], JSONConst)])

    init(_ v: JSONValue) {
        switch v {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let s): self = .number(Double(s) ?? .nan)
        case .string(let s): self = .string(Array(s.utf8))
        case .array(let a): self = .array(a.map(JSONConst.init))
        case .object(let o): self = .object(o.map { (Array($0.0.utf8), JSONConst($0.1)) })
        }
    }
}

/// One schema (an object or a boolean) with its checks; nil and empty mean "not given".
/// A class: `$ref` makes the tree a graph (recursive schemas point back at their ancestors).
final class JSONSchemaNode {
    /// JSON types as bits; a value's bits are its type's, plus `integer` for a number without
    /// a fraction, so `"type": "number"` admits integers.
    struct Types: OptionSet {
        let rawValue: UInt8
        static let null = Types(rawValue: 1), boolean = Types(rawValue: 2), object = Types(rawValue: 4)
        static let array = Types(rawValue: 8), number = Types(rawValue: 16), string = Types(rawValue: 32)
        static let integer = Types(rawValue: 64)
        static let names: [(String, Types)] = [("null", .null), ("boolean", .boolean), ("object", .object), ("array", .array),
                                               ("number", .number), ("string", .string), ("integer", .integer)]
    }

    struct Property {
        let name: String
        let bytes: [UInt8]
        let node: JSONSchemaNode
    }

    /// `properties` and `required` as the encoder reads them per record: no reference
    /// counting (copying a `Property` retained three objects, per member and property: 24 % of
    /// a JSON Schema run's cycles, perf). Built by `finalize` once the node is complete.
    struct PropertyEntry {
        let node: Unmanaged<JSONSchemaNode>
        let name: UnsafeRawBufferPointer
    }
    @exclusivity(unchecked) private(set) var propertyTable = UnsafeMutableBufferPointer<PropertyEntry>(start: nil, count: 0)
    @exclusivity(unchecked) private(set) var requiredTable = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>(start: nil, count: 0)

    func finalize() {
        freeTables()
        propertyTable = .allocate(capacity: properties.count)
        for (k, p) in properties.enumerated() { propertyTable.initializeElement(at: k, to: PropertyEntry(node: .passUnretained(p.node), name: ByteSpan.copy(p.bytes))) }
        requiredTable = .allocate(capacity: required.count)
        for (k, r) in required.enumerated() { requiredTable.initializeElement(at: k, to: ByteSpan.copy(r.bytes)) }
    }

    private func freeTables() {
        for p in propertyTable { p.name.deallocate() }
        propertyTable.deallocate()
        for r in requiredTable { r.deallocate() }
        requiredTable.deallocate()
    }

    deinit { freeTables() }

    /// The schema `false`: nothing fits.
    var never = false
    var types: Types = []
    var typeText = ""
    var properties: [Property] = []
    var patternProperties: [(JSONPattern, JSONSchemaNode)] = []
    var additionalProperties: JSONSchemaNode?
    var required: [Property] = []
    var minProperties: Int?
    var maxProperties: Int?
    /// `prefixItems` (or draft 4-2019's array-form `items`), then `rest` for the items after them.
    var prefixItems: [JSONSchemaNode] = []
    var rest: JSONSchemaNode?
    var minItems: Int?
    var maxItems: Int?
    var enumValues: [JSONConst]?
    var enumText = ""
    var const: JSONConst?
    var constText = ""
    /// Bounds with their text as written, for messages.
    var minimum: (Double, String)?
    var maximum: (Double, String)?
    var exclusiveMinimum: (Double, String)?
    var exclusiveMaximum: (Double, String)?
    var multipleOf: (Double, String)?
    var minLength: Int?
    var maxLength: Int?
    var pattern: JSONPattern?
    /// Unowned: a `$ref` is where the graph's cycles are (a recursive schema points back at
    /// its ancestor); the root owns every node through `owned` instead, so a compiled schema
    /// is freed with its encoder (no leak under LeakSanitizer).
    unowned(unsafe) var ref: JSONSchemaNode?
    /// The root only: every other node of the document (those reached by `$ref` alone too).
    var owned: [JSONSchemaNode] = []
    var allOf: [JSONSchemaNode] = []
    var anyOf: [JSONSchemaNode] = []
    var oneOf: [JSONSchemaNode] = []
    var not: JSONSchemaNode?
    var ifSchema: JSONSchemaNode?
    var thenSchema: JSONSchemaNode?
    var elseSchema: JSONSchemaNode?

    // Which groups of checks exist, so a record's value skips the rest at once.
    var checksNumbers = false
    var checksStrings = false
    var checksObjects = false
    var checksArrays = false
    var combines = false
}
