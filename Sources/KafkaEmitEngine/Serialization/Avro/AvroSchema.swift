/// An Avro schema (specification 1.11), parsed from its JSON text into a graph of nodes that
/// the encoder walks: named types are resolved once (full names, namespaces, aliases,
/// recursion), defaults are encoded once, logical types are recognised — so encoding a record
/// does no lookup by name but the record's own JSON field names.
final class AvroNode {
    enum Kind: UInt8 { case null, boolean, int, long, float, double, bytes, string, record, enumeration, array, map, union, fixed }
    enum Logical: Equatable {
        case none, date, timeMillis, timeMicros, timestampMillis, timestampMicros
        case localTimestampMillis, localTimestampMicros, uuid
        case decimal(precision: Int, scale: Int)
    }
    // Set while the schema is parsed, then only read (per record: no dynamic exclusivity
    // checks, which were 5 % of an Avro run's cycles).
    let kind: Kind
    @exclusivity(unchecked) var logical: Logical = .none
    /// Named types: the full name; others: the type's name in a union's JSON wrapper.
    @exclusivity(unchecked) var name: String
    /// Named types: full name and aliases, as union wrappers may name them.
    @exclusivity(unchecked) var unionNames: [[UInt8]] = []
    @exclusivity(unchecked) var fields: [AvroField] = []
    @exclusivity(unchecked) var symbols: [[UInt8]] = []
    @exclusivity(unchecked) var items: AvroNode?
    @exclusivity(unchecked) var branches: [AvroNode] = []
    @exclusivity(unchecked) var size = 0

    /// Records: the fields as the encoder reads them per record — no reference counting (the
    /// nodes are owned by `fields`; copying an `AvroField` retained four objects, 12 % of an
    /// Avro run's cycles, perf). Made by `finalize` once the defaults are encoded.
    @exclusivity(unchecked) private(set) var plan = UnsafeMutableBufferPointer<AvroFieldPlan>(start: nil, count: 0)

    /// Enums: the symbols as byte spans; unions: the branches, unretained (owned by
    /// `branches`), and the null branch's index (-1: none). Read per record without reference
    /// counting (iterating `symbols` and `branches` retained each element: with `out`'s own
    /// retains, ~20 % of an Avro run's cycles, perf). Made by `seal` once the node is complete.
    @exclusivity(unchecked) private(set) var symbolSpans = UnsafeMutableBufferPointer<UnsafeRawBufferPointer>(start: nil, count: 0)
    @exclusivity(unchecked) private(set) var branchPlan = UnsafeMutableBufferPointer<Unmanaged<AvroNode>>(start: nil, count: 0)
    @exclusivity(unchecked) private(set) var nullBranch = -1

    init(_ kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    deinit {
        for f in plan {
            f.name.deallocate()
            f.defaultBytes?.deallocate()
        }
        plan.deallocate()
        for sp in symbolSpans { sp.deallocate() }
        symbolSpans.deallocate()
        branchPlan.deallocate()
    }

    /// An enum's symbols or a union's branches are all there: their per-record forms.
    func seal() {
        if kind == .enumeration {
            symbolSpans = .allocate(capacity: symbols.count)
            for (k, sym) in symbols.enumerated() { symbolSpans.initializeElement(at: k, to: ByteSpan.copy(sym)) }
        } else if kind == .union {
            branchPlan = .allocate(capacity: branches.count)
            for (k, b) in branches.enumerated() { branchPlan.initializeElement(at: k, to: Unmanaged.passUnretained(b)) }
            nullBranch = branches.firstIndex { $0.kind == .null } ?? -1
        }
    }

    /// (Re)builds the plan from the fields; parsing calls it again as defaults get encoded (a
    /// record-typed default is encoded with its record's plan, defaults included).
    func finalize() {
        guard kind == .record else { return }
        for f in plan {
            f.name.deallocate()
            f.defaultBytes?.deallocate()
        }
        plan.deallocate()
        plan = .allocate(capacity: fields.count)
        for (k, f) in fields.enumerated() {
            plan.initializeElement(at: k, to: AvroFieldPlan(node: Unmanaged.passUnretained(f.node), name: ByteSpan.copy(f.nameBytes),
                                                            defaultBytes: f.defaultBytes.map(ByteSpan.copy)))
        }
    }

    /// A branch name for messages: `long` or `com.acme.Order` or `timestamp-millis`.
    var shownName: String {
        switch logical {
        case .none: return name
        case .date: return "date"
        case .timeMillis: return "time-millis"
        case .timeMicros: return "time-micros"
        case .timestampMillis: return "timestamp-millis"
        case .timestampMicros: return "timestamp-micros"
        case .localTimestampMillis: return "local-timestamp-millis"
        case .localTimestampMicros: return "local-timestamp-micros"
        case .uuid: return "uuid"
        case .decimal: return "decimal"
        }
    }
}

/// A record's field as the encoder reads it (see `AvroNode.plan`).
struct AvroFieldPlan {
    let node: Unmanaged<AvroNode>
    let name: UnsafeRawBufferPointer
    /// The default, encoded; nil = required.
    let defaultBytes: UnsafeRawBufferPointer?
}

struct AvroField {
    let name: String
    let nameBytes: [UInt8]
    /// Other names the field's JSON may use (the schema's aliases).
    let aliases: [[UInt8]]
    let node: AvroNode
    /// The default, already encoded; nil = the field is required.
    var defaultBytes: [UInt8]?
}

struct AvroSchemaError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Parses schema texts into nodes. Named types live in one table, so a schema can name the
/// types of the schemas it references (the registry's `references`), parsed first.
final class AvroSchemaParser {
    private var named: [String: AvroNode] = [:]
    private var pendingDefaults: [(AvroNode, Int, JSONValue)] = []
    private var records: [AvroNode] = []

    init() {}

    /// Recursive types are reference cycles (a record whose field holds the record): every
    /// cycle passes through a named type, so emptying their fields frees the graph. An encoder
    /// keeps its parser (`AvroEncoder.schema`) for as long as it uses the nodes.
    deinit {
        for n in named.values { n.fields = []; n.finalize() }
    }

    /// Parses a referenced schema (its named types become known) and returns its root.
    @discardableResult
    func parse(_ text: String) throws(AvroSchemaError) -> AvroNode {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw AvroSchemaError("the schema is not JSON: \(error.message)") }
        let root = try node(json, namespace: "")
        // Defaults last: a default may hold a record whose type is declared later in the text.
        for r in records { r.finalize() }
        for (record, k, value) in pendingDefaults {
            let field = record.fields[k]
            do {
                record.fields[k].defaultBytes = try AvroEncoder.encodeDefault(value, field.node)
            } catch {
                throw AvroSchemaError("field \(record.name).\(field.name): its default \(value.text) does not fit its type: \(error.message)")
            }
            record.finalize()
        }
        pendingDefaults = []
        for r in records { r.finalize() }
        return root
    }

    private static let primitives: [String: AvroNode.Kind] = [
        "null": .null, "boolean": .boolean, "int": .int, "long": .long, "float": .float,
        "double": .double, "bytes": .bytes, "string": .string,
    ]

    private func fullName(_ name: String, _ namespace: String?, enclosing: String) -> String {
        if name.contains(".") { return name }
        let ns = namespace ?? enclosing
        return ns.isEmpty ? name : ns + "." + name
    }

    private func reference(_ name: String, namespace: String) throws(AvroSchemaError) -> AvroNode {
        if let kind = AvroSchemaParser.primitives[name] { return AvroNode(kind, name: name) }
        if let n = named[fullName(name, nil, enclosing: namespace)] ?? named[name] { return n }
        throw AvroSchemaError("unknown type \"\(name)\"\(namespace.isEmpty ? "" : " (namespace \(namespace))"): declare it before use, or give the schema that declares it as a reference")
    }

    private func register(_ n: AvroNode, aliases: JSONValue?, namespace: String) throws(AvroSchemaError) {
        guard named[n.name] == nil else { throw AvroSchemaError("the type \(n.name) is declared twice") }
        named[n.name] = n
        n.unionNames = [Array(n.name.utf8)]
        let short = n.name.split(separator: ".").last.map(String.init) ?? n.name
        if short != n.name { n.unionNames.append(Array(short.utf8)) }
        for a in aliases?.array ?? [] {
            guard let s = a.string else { continue }
            let full = fullName(s, nil, enclosing: namespace)
            n.unionNames.append(Array(full.utf8))
            if named[full] == nil { named[full] = n }
        }
    }

    private func node(_ json: JSONValue, namespace: String) throws(AvroSchemaError) -> AvroNode {
        switch json {
        case .string(let name):
            return try reference(name, namespace: namespace)
        case .array(let branches):
            let u = AvroNode(.union, name: "union")
            for b in branches {
                let n = try node(b, namespace: namespace)
                if n.kind == .union { throw AvroSchemaError("a union directly inside a union") }
                if u.branches.contains(where: { $0.kind == n.kind && $0.name == n.name && !AvroSchemaParser.isNamed(n.kind) }) {
                    throw AvroSchemaError("the union \(json.text) has two \(n.name) branches")
                }
                u.branches.append(n)
            }
            guard !u.branches.isEmpty else { throw AvroSchemaError("an empty union []") }
            u.seal()
            return u
        case .object:
            return try complex(json, namespace: namespace)
        default:
            throw AvroSchemaError("\(json.text) is not a type (expected a type name, a union array or an object with \"type\")")
        }
    }

    /// The specification's names: `[A-Za-z_][A-Za-z0-9_]*` (Java's parser enforces it, so no
    /// registered schema has other names); a full name is such names joined by dots.
    static func isValidName(_ s: String, dotted: Bool = false) -> Bool {
        if dotted { return s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { isValidName(String($0)) } }
        guard let first = s.utf8.first, first == 0x5F || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A) else { return false }
        return s.utf8.allSatisfy { $0 == 0x5F || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    private static func isNamed(_ k: AvroNode.Kind) -> Bool { k == .record || k == .enumeration || k == .fixed }

    private func complex(_ json: JSONValue, namespace: String) throws(AvroSchemaError) -> AvroNode {
        guard let typeValue = json["type"] else { throw AvroSchemaError("\(String(json.text.prefix(80))): no \"type\"") }
        guard case .string(let type) = typeValue else {
            // {"type": {...}} or {"type": [...]}: the inner type (logical types cannot apply).
            return try node(typeValue, namespace: namespace)
        }
        let result: AvroNode
        switch type {
        case "record", "error", "enum", "fixed":
            guard let name = json["name"]?.string, !name.isEmpty else { throw AvroSchemaError("a \(type) without a \"name\"") }
            let ns = json["namespace"]?.string
            guard AvroSchemaParser.isValidName(name, dotted: true), ns.map({ $0.isEmpty || AvroSchemaParser.isValidName($0, dotted: true) }) ?? true else {
                throw AvroSchemaError("\(type) \"\(name)\"\(ns.map { " (namespace \"\($0)\")" } ?? ""): a name is letters, digits and _, not starting with a digit (dots between the parts of a full name)")
            }
            let full = fullName(name, ns, enclosing: namespace)
            if AvroSchemaParser.primitives[full] != nil || AvroSchemaParser.primitives[name] != nil {
                throw AvroSchemaError("\(type) \"\(name)\": a type cannot take a primitive type's name (a union could not tell them apart)")
            }
            let inner = full.contains(".") ? String(full[..<full.lastIndex(of: ".")!]) : ""
            if type == "enum" {
                result = AvroNode(.enumeration, name: full)
                guard let symbols = json["symbols"]?.array, !symbols.isEmpty else { throw AvroSchemaError("enum \(full) has no \"symbols\"") }
                for s in symbols {
                    guard let t = s.string, AvroSchemaParser.isValidName(t) else {
                        throw AvroSchemaError("enum \(full): symbol \(s.text) is not a name (letters, digits and _, not starting with a digit)")
                    }
                    result.symbols.append(Array(t.utf8))
                }
                result.seal()
                try register(result, aliases: json["aliases"], namespace: inner)
            } else if type == "fixed" {
                result = AvroNode(.fixed, name: full)
                guard let size = json["size"]?.int, size >= 0 else { throw AvroSchemaError("fixed \(full) has no valid \"size\"") }
                result.size = size
                try register(result, aliases: json["aliases"], namespace: inner)
            } else {
                result = AvroNode(.record, name: full)
                records.append(result)
                try register(result, aliases: json["aliases"], namespace: inner)
                guard let fields = json["fields"]?.array else { throw AvroSchemaError("record \(full) has no \"fields\" array") }
                for f in fields {
                    guard let fname = f["name"]?.string else { throw AvroSchemaError("record \(full): a field without a \"name\"") }
                    guard AvroSchemaParser.isValidName(fname) else {
                        throw AvroSchemaError("record \(full): field \"\(fname)\" is not a name (letters, digits and _, not starting with a digit)")
                    }
                    guard let ftype = f["type"] else { throw AvroSchemaError("record \(full): field \(fname) has no \"type\"") }
                    if result.fields.contains(where: { $0.name == fname }) { throw AvroSchemaError("record \(full): field \(fname) is declared twice") }
                    let fnode = try node(ftype, namespace: inner)
                    let aliases = (f["aliases"]?.array ?? []).compactMap { $0.string.map { Array($0.utf8) } }
                    result.fields.append(AvroField(name: fname, nameBytes: Array(fname.utf8), aliases: aliases, node: fnode, defaultBytes: nil))
                    if let d = f["default"] { pendingDefaults.append((result, result.fields.count - 1, d)) }
                }
            }
        case "array":
            guard let items = json["items"] else { throw AvroSchemaError("an array without \"items\"") }
            result = AvroNode(.array, name: "array")
            result.items = try node(items, namespace: namespace)
        case "map":
            guard let values = json["values"] else { throw AvroSchemaError("a map without \"values\"") }
            result = AvroNode(.map, name: "map")
            result.items = try node(values, namespace: namespace)
        default:
            guard let kind = AvroSchemaParser.primitives[type] else {
                // {"type": "com.acme.Named"}: a reference.
                return try reference(type, namespace: namespace)
            }
            result = AvroNode(kind, name: type)
        }
        if let logical = json["logicalType"]?.string { applyLogical(logical, json, result) }
        return result
    }

    /// A logical type that does not fit its underlying type is ignored, as the specification
    /// says ("must be ignored"): the value is then encoded as the underlying type.
    private func applyLogical(_ logical: String, _ json: JSONValue, _ n: AvroNode) {
        switch (logical, n.kind) {
        case ("date", .int): n.logical = .date
        case ("time-millis", .int): n.logical = .timeMillis
        case ("time-micros", .long): n.logical = .timeMicros
        case ("timestamp-millis", .long): n.logical = .timestampMillis
        case ("timestamp-micros", .long): n.logical = .timestampMicros
        case ("local-timestamp-millis", .long): n.logical = .localTimestampMillis
        case ("local-timestamp-micros", .long): n.logical = .localTimestampMicros
        case ("uuid", .string): n.logical = .uuid
        case ("decimal", .bytes), ("decimal", .fixed):
            guard let precision = json["precision"]?.int, precision > 0 else { return }
            let scale = json["scale"]?.int ?? 0
            guard scale >= 0, scale <= precision else { return }
            if n.kind == .fixed {
                // The most digits `size` bytes of two's complement hold.
                let maxDigits = Int((Double(8 * n.size - 1) * 0.30102999566398120).rounded(.down))
                guard precision <= maxDigits else { return }
            }
            n.logical = .decimal(precision: precision, scale: scale)
        default: return
        }
    }
}
