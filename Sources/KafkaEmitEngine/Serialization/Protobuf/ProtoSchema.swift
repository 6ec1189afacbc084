// The compiled schema over the message plans of ProtoPlan.swift.

/// A compiled schema: the chosen message, every plan it reaches, and its message indexes.
final class ProtoSchema {
    let root: ProtoMessagePlan
    /// The path of the chosen message in its file (Confluent's message indexes).
    let indexes: [Int]
    /// Owns every plan (fields point at them unowned).
    private let messages: [String: ProtoMessagePlan]

    /// Confluent's framing of the indexes: zig-zag varints of the count then each index, and
    /// the first message ([0]) as the single byte 0 (confluent-kafka-python's
    /// `_encode_varints`, Java's `MessageIndexes.toByteArray`).
    var indexBytes: [UInt8] {
        if indexes == [0] { return [0] }
        return ([indexes.count] + indexes).flatMap { ProtoFieldPlan.varint(UInt64(bitPattern: Int64($0) << 1 ^ Int64($0) >> 63)) }
    }

    /// Compiles the message `name` (full, or the end of a full name: `Order`, `Order.Line`) of
    /// the file `files[main]`, its first message when `name` is nil. Types are resolved across
    /// every file given.
    init(files: [ProtoFile], main: Int, message name: String?) throws(ProtoDescriptorError) {
        var compiler = Compiler(files: files)
        let file = files[main]
        guard file.syntax != "editions" else { throw ProtoDescriptorError("\(file.name): editions files are not supported yet (proto2 and proto3 are)") }
        let candidates = Compiler.paths(of: file)
        guard !candidates.isEmpty else { throw ProtoDescriptorError("\(file.name) defines no message") }
        let chosen: (String, [Int])
        if let name {
            let n = name.hasPrefix(".") ? String(name.dropFirst()) : name
            let found = candidates.filter { $0.0 == "." + n || $0.0.hasSuffix("." + n) }
            guard !found.isEmpty else {
                throw ProtoDescriptorError("no message \(name) in \(file.name) (its messages: \(candidates.map { String($0.0.dropFirst()) }.prefix(12).joined(separator: ", ")))", usage: true)
            }
            guard found.count == 1 else {
                throw ProtoDescriptorError("\(name) names several messages in \(file.name) (\(found.map { String($0.0.dropFirst()) }.joined(separator: ", "))): give the full name", usage: true)
            }
            chosen = found[0]
        } else {
            chosen = candidates[0]
        }
        root = try compiler.plan(chosen.0)
        indexes = chosen.1
        messages = compiler.plans
    }

    private struct Compiler {
        var messageDefs: [String: (ProtoMessage, proto3: Bool)] = [:]
        var enumDefs: [String: (ProtoEnum, proto3: Bool)] = [:]
        var plans: [String: ProtoMessagePlan] = [:]
        var enumPlans: [String: ProtoEnumPlan] = [:]

        init(files: [ProtoFile]) {
            for f in files {
                let prefix = f.package.isEmpty ? "" : "." + f.package
                let proto3 = f.syntax == "proto3"
                func add(_ m: ProtoMessage, _ scope: String) {
                    let full = scope + "." + m.name
                    messageDefs[full] = (m, proto3)
                    for e in m.enums { enumDefs[full + "." + e.name] = (e, proto3) }
                    for n in m.nested { add(n, full) }
                }
                for m in f.messages { add(m, prefix) }
                for e in f.enums { enumDefs[prefix + "." + e.name] = (e, proto3) }
            }
        }

        /// A file's messages (nested ones after their parent, map entries left out) with their
        /// index paths.
        static func paths(of f: ProtoFile) -> [(String, [Int])] {
            var out: [(String, [Int])] = []
            func walk(_ m: ProtoMessage, _ scope: String, _ path: [Int]) {
                guard !m.mapEntry else { return }
                let full = scope + "." + m.name
                out.append((full, path))
                for (k, n) in m.nested.enumerated() { walk(n, full, path + [k]) }
            }
            for (k, m) in f.messages.enumerated() { walk(m, f.package.isEmpty ? "" : "." + f.package, [k]) }
            return out
        }

        /// Resolves a type name as protoc does: fully qualified (`.pkg.T`) as it is; else
        /// looked up from the innermost scope outwards (a registry's descriptor may keep the
        /// names as written in the .proto).
        func resolve(_ name: String, scope: String) -> String? {
            if name.hasPrefix(".") { return messageDefs[name] != nil || enumDefs[name] != nil || wellKnown(name) != nil ? name : nil }
            var s = scope
            while true {
                let candidate = s + "." + name
                if messageDefs[candidate] != nil || enumDefs[candidate] != nil || wellKnown(candidate) != nil { return candidate }
                guard let dot = s.lastIndex(of: ".") else { return nil }
                s = String(s[..<dot])
            }
        }

        func wellKnown(_ full: String) -> ProtoWellKnown? {
            switch full {
            case ".google.protobuf.Timestamp": .timestamp
            case ".google.protobuf.Duration": .duration
            case ".google.protobuf.DoubleValue", ".google.protobuf.FloatValue", ".google.protobuf.Int64Value",
                 ".google.protobuf.UInt64Value", ".google.protobuf.Int32Value", ".google.protobuf.UInt32Value",
                 ".google.protobuf.BoolValue", ".google.protobuf.StringValue", ".google.protobuf.BytesValue": .wrapper
            default: nil
            }
        }

        /// The well-known types' fields, built in: a registry's descriptor imports their files
        /// without carrying them.
        func wellKnownFields(_ full: String) -> [ProtoField] {
            func field(_ name: String, _ number: Int32, _ kind: ProtoField.Kind) -> ProtoField {
                var f = ProtoField()
                (f.name, f.number, f.kind) = (name, number, kind)
                return f
            }
            switch full {
            case ".google.protobuf.Timestamp", ".google.protobuf.Duration": return [field("seconds", 1, .int64), field("nanos", 2, .int32)]
            case ".google.protobuf.DoubleValue": return [field("value", 1, .double)]
            case ".google.protobuf.FloatValue": return [field("value", 1, .float)]
            case ".google.protobuf.Int64Value": return [field("value", 1, .int64)]
            case ".google.protobuf.UInt64Value": return [field("value", 1, .uint64)]
            case ".google.protobuf.Int32Value": return [field("value", 1, .int32)]
            case ".google.protobuf.UInt32Value": return [field("value", 1, .uint32)]
            case ".google.protobuf.BoolValue": return [field("value", 1, .bool)]
            case ".google.protobuf.StringValue": return [field("value", 1, .string)]
            default: return [field("value", 1, .bytes)]
            }
        }

        mutating func plan(_ full: String) throws(ProtoDescriptorError) -> ProtoMessagePlan {
            if let known = plans[full] { return known }
            if let wk = wellKnown(full) {
                let p = ProtoMessagePlan(fullName: full, wellKnown: wk)
                plans[full] = p
                p.fields = wellKnownFields(full).map { ProtoFieldPlan($0, scalar: Compiler.scalar($0.kind)!, proto3: true) }
                return p
            }
            switch full {
            case ".google.protobuf.Struct", ".google.protobuf.Value", ".google.protobuf.ListValue", ".google.protobuf.Any",
                 ".google.protobuf.FieldMask":
                throw ProtoDescriptorError("\(full.dropFirst()) is not supported yet (Timestamp, Duration, the wrappers and Empty are)")
            default: break
            }
            guard let (m, proto3) = messageDefs[full] else { throw ProtoDescriptorError("unknown message type \(full.dropFirst())") }
            let p = ProtoMessagePlan(fullName: full, wellKnown: .none)
            plans[full] = p
            p.oneofNames = m.oneofs
            for f in m.fields {
                let where_ = "field \(f.name) of \(full.dropFirst())"
                var kind = f.kind
                var target: String?
                if !f.typeName.isEmpty {
                    guard let t = resolve(f.typeName, scope: full) else {
                        throw ProtoDescriptorError("\(where_): unknown type \(f.typeName) (not in this schema nor in the schemas it references)")
                    }
                    target = t
                    if kind == .unknown { kind = enumDefs[t] != nil ? .enumeration : .message }
                }
                guard let scalar = Compiler.scalar(kind) else {
                    throw ProtoDescriptorError("\(where_): \(kind == .group ? "groups are" : "type \(kind.rawValue) is") not supported")
                }
                let fp = ProtoFieldPlan(f, scalar: scalar, proto3: proto3)
                if let target, scalar == .enumeration {
                    if let known = enumPlans[target] {
                        fp.enumPlan = known
                    } else if let (e, eproto3) = enumDefs[target] {
                        let ep = ProtoEnumPlan(fullName: target, e, closed: !eproto3)
                        enumPlans[target] = ep
                        fp.enumPlan = ep
                    } else {
                        throw ProtoDescriptorError("\(where_): \(target.dropFirst()) is not an enum")
                    }
                } else if let target, scalar == .message {
                    if let (entry, _) = messageDefs[target], entry.mapEntry {
                        let kv = try entry.fields.sorted { $0.number < $1.number }.map { (e: ProtoField) throws(ProtoDescriptorError) -> ProtoFieldPlan in
                            try self.entryField(e, scope: target, proto3: proto3)
                        }
                        guard kv.count == 2 else { throw ProtoDescriptorError("\(where_): a map entry without key and value") }
                        (fp.mapKey, fp.mapValue) = (kv[0], kv[1])
                    } else {
                        fp.message = try plan(target)
                    }
                }
                try Compiler.checkTyped(fp, where_)
                p.hasRequired = p.hasRequired || fp.required
                p.fields.append(fp)
            }
            p.fields.sort { $0.number < $1.number }
            p.finalize()
            return p
        }

        /// A map entry's key or value: always written (protobuf's serializers write both).
        private mutating func entryField(_ f: ProtoField, scope: String, proto3: Bool) throws(ProtoDescriptorError) -> ProtoFieldPlan {
            var g = f
            g.label = .optional
            var kind = f.kind
            var target: String?
            if !f.typeName.isEmpty {
                guard let t = resolve(f.typeName, scope: scope) else { throw ProtoDescriptorError("map value: unknown type \(f.typeName)") }
                target = t
                if kind == .unknown { kind = enumDefs[t] != nil ? .enumeration : .message }
            }
            guard let scalar = Compiler.scalar(kind) else { throw ProtoDescriptorError("map \(scope.dropFirst()): type \(kind.rawValue) is not supported") }
            g.kind = kind
            let fp = ProtoFieldPlan(g, scalar: scalar, proto3: false)
            if let target, scalar == .enumeration, let (e, eproto3) = enumDefs[target] {
                fp.enumPlan = enumPlans[target] ?? ProtoEnumPlan(fullName: target, e, closed: !eproto3)
                enumPlans[target] = fp.enumPlan
            } else if let target, scalar == .message {
                fp.message = try plan(target)
            }
            try Compiler.checkTyped(fp, "map \(scope.dropFirst())")
            return fp
        }

        /// An enum field has its enum and a message field its message (or map entry): a
        /// descriptor whose type_name is missing or names the other kind is refused here, not
        /// met per record (a fuzzed descriptor set found it).
        static func checkTyped(_ fp: ProtoFieldPlan, _ where_: String) throws(ProtoDescriptorError) {
            if fp.scalar == .enumeration && fp.enumPlan == nil {
                throw ProtoDescriptorError("\(where_): an enum field without an enum type")
            }
            if fp.scalar == .message && fp.message == nil && fp.mapKey == nil {
                throw ProtoDescriptorError("\(where_): a message field without a message type")
            }
        }

        static func scalar(_ k: ProtoField.Kind) -> ProtoScalar? {
            switch k {
            case .double: .double
            case .float: .float
            case .int64: .int64
            case .uint64: .uint64
            case .int32: .int32
            case .fixed64: .fixed64
            case .fixed32: .fixed32
            case .bool: .bool
            case .string: .string
            case .bytes: .bytes
            case .uint32: .uint32
            case .enumeration: .enumeration
            case .sfixed32: .sfixed32
            case .sfixed64: .sfixed64
            case .sint32: .sint32
            case .sint64: .sint64
            case .message: .message
            case .group, .unknown: nil
            }
        }
    }
}
