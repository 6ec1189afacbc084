@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// The key's and the value's serializers for a run (nil: bytes as rendered).
package struct SchemaEncoders {
    var key: FramedEncoder?
    var value: FramedEncoder?
    /// Random records valid for the schema (generate mode without `--value` / `--key`).
    var randomKey: AvroRandom?
    var randomValue: AvroRandom?
    /// Said once on stderr before the run (unless -q): e.g. JSON Schema keywords not checked.
    package var warnings: [String] = []
    package init() {}
}

/// Turns the plan's schema choices into encoders before the first record (SPEC §2b): reads
/// schema files, registers or looks them up, fetches schemas by id or subject, follows their
/// references, and compiles each once. The registry is never contacted after this.
enum SchemaResolver {
    static func resolve(_ plan: EmitPlan) throws(EmitError) -> SchemaEncoders {
        let schemas = plan.schemas
        var encoders = SchemaEncoders()
        guard schemas.isUsed else { return encoders }
        var registry: SchemaRegistry?
        func client(_ why: String) throws(EmitError) -> SchemaRegistry {
            if let registry { return registry }
            guard let urls = schemas.urls else {
                throw .usage("\(why) needs the schema registry: --schema-registry URL (or $SCHEMA_REGISTRY_URL, or --property schema.registry.url=URL)")
            }
            do {
                let settings = try SchemaRegistry.settings(from: schemas.properties.map { ($0.key, $0.value) }, urls: urls)
                let r = SchemaRegistry(settings: settings)
                registry = r
                return r
            } catch { throw emitError(error) }
        }
        let seed = plan.seed ?? UInt64.random(in: 0...UInt64.max)
        if let v = schemas.value {
            let e = try encoder(v, isKey: false, plan: plan, &encoders.warnings, client)
            encoders.value = e
            if schemas.randomValue { encoders.randomValue = try random(e, "value", seed: seed &+ 1) }
        }
        if let k = schemas.key {
            let e = try encoder(k, isKey: true, plan: plan, &encoders.warnings, client)
            encoders.key = e
            if schemas.randomKey { encoders.randomKey = try random(e, "key", seed: seed &+ 2) }
        }
        return encoders
    }

    private static func random(_ e: FramedEncoder, _ side: String, seed: UInt64) throws(EmitError) -> AvroRandom {
        guard let avro = e.body as? AvroEncoder else {
            throw .usage("random \(side)s are made for Avro schemas only; give --\(side) TEMPLATE with the JSON to encode")
        }
        let random = AvroRandom(avro, seed: seed)
        guard random.canEnd else {
            throw .usage("the \(side) schema has no finite value (a record requires itself): give --\(side) TEMPLATE with the JSON to encode")
        }
        return random
    }

    static func emitError(_ e: RegistryError) -> EmitError {
        switch e.exitCode {
        case 64: return .usage(e.message)
        case 65: return .dataError(e.message)
        case 66: return .cannotOpen(e.message)
        case 71: return .resource(e.message)
        case 77: return .noPermission(e.message)
        default: return .unavailable(e.message)
        }
    }

    private static func readFile(_ path: String, flag: String) throws(EmitError) -> String {
        String(decoding: try ProtoSchemaSource.readBytes(path, flag: flag), as: UTF8.self)
    }

    private static func format(of c: SchemaPlan.Choice) -> SchemaPlan.Format? {
        if let f = c.format { return f }
        if c.file == nil, let text = c.text {
            // Inline text (`value.schema=`): not JSON is .proto text (as
            // kafka-protobuf-console-producer's `value.schema`); JSON with "$schema",
            // "properties" or "type": "object" at its top is JSON Schema (as
            // kafka-json-schema-console-producer's), which no Avro schema has; else Avro.
            guard let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return nil }
            guard first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"") else { return .protobuf }
            guard let json = try? JSONValue.parse(text), json.object != nil else { return nil }
            return json["$schema"] != nil || json["properties"] != nil || json["type"]?.string == "object" ? .json : nil
        }
        guard let file = c.file else { return nil }
        if file.hasSuffix(".avsc") { return .avro }
        if file.hasSuffix(".proto") || ProtoSchemaSource.isDescriptorSet(file) { return .protobuf }
        if file.hasSuffix(".json") { return .json }
        return nil
    }

    private static func encoder(_ c: SchemaPlan.Choice, isKey: Bool, plan: EmitPlan, _ warnings: inout [String],
                                _ client: (String) throws(EmitError) -> SchemaRegistry) throws(EmitError) -> FramedEncoder {
        let side = isKey ? "key" : "value"
        let flag = c.file != nil ? "--\(side)-schema" : c.text != nil ? "\(side).schema" : c.id != nil ? "--\(side)-schema-id" : "--\(side)-subject"
        var format = format(of: c)
        // Protobuf: a local schema is compiled first (descriptors, and the text to register).
        var protoLocal: ProtoSchemaSource.Local?
        var protoSchema: ProtoSchema?
        if format == .protobuf, c.file != nil || c.text != nil {
            let l = try ProtoSchemaSource.local(path: c.file, text: c.text, flag: flag)
            protoLocal = l
            protoSchema = try compileProto(l, c, flag: flag, id: nil)
        }
        let local: String?
        if let protoLocal { local = protoLocal.registryText } else if let path = c.file { local = try readFile(path, flag: "--\(side)-schema") } else { local = c.text }

        // The schema text, its id, and what it references.
        var text: String
        var id: Int
        var references: [SchemaReference] = []
        var registry: SchemaRegistry?
        do {
            if let local, !c.useLatest {
                text = local
                if let given = c.id {
                    id = given
                    if !plan.dryRun {
                        // The registry's copy is what readers will fetch: encode with it.
                        let r = try client(flag)
                        registry = r
                        let found = try r.schema(id: given, format: format == .protobuf ? "serialized" : nil)
                        (text, references) = (found.schema, found.references)
                        format = format ?? SchemaResolver.format(of: found.type)
                        protoSchema = nil
                    }
                } else {
                    let r = try client(flag)
                    registry = r
                    let type = registryType(format ?? .avro)
                    let subject = try c.subject ?? subjectName(plan: plan, isKey: isKey, schema: local, format: format ?? .avro,
                                                               protoMessage: protoSchema?.root.shownName)
                    if plan.schemas.autoRegister {
                        id = try r.register(subject: subject, schema: local, type: type)
                    } else {
                        guard let found = try r.lookup(subject: subject, schema: local, type: type) else {
                            throw EmitError.cannotOpen("the registry at \(r.settings.endpoints.map(\.url).joined(separator: ",")) has no such schema under subject '\(subject)' (\(flag)); register it, or drop --no-auto-register")
                        }
                        id = found.id
                    }
                }
            } else if let given = c.id {
                let r = try client(flag)
                registry = r
                let found = try r.schema(id: given)
                (text, id, references) = (found.schema, found.id, found.references)
                format = format ?? SchemaResolver.format(of: found.type)
                protoSchema = nil // the registry's copy: fetched below as a descriptor
            } else {
                let r = try client(flag)
                registry = r
                let subject = try c.subject ?? subjectName(plan: plan, isKey: isKey, schema: local ?? "", format: format ?? .avro,
                                                           protoMessage: nil)
                let found = try r.version(subject: subject, version: c.version)
                (text, id, references) = (found.schema, found.id, found.references)
                format = format ?? SchemaResolver.format(of: found.type)
                protoSchema = nil // the registry's copy: fetched below as a descriptor
            }
        } catch let e as RegistryError {
            throw emitError(e)
        } catch let e as EmitError {
            throw e
        } catch {
            throw .internalError("\(error)")
        }

        let f = format ?? .avro
        do {
            switch f {
            case .avro:
                let parser = AvroSchemaParser()
                if let registry { try parseReferences(references, registry, parser, seen: []) }
                let root = try parser.parse(text)
                return FramedEncoder(schemaID: Int32(truncatingIfNeeded: id), side: side, format: .avro, body: AvroEncoder(root, schema: parser))
            case .json:
                // References to other registered schemas are not followed: a $ref outside
                // the document is refused by the compiler with its name.
                let (root, notes) = try JSONSchemaCompiler.compile(text)
                warnings += notes.map { "\(flag): \($0)" }
                return FramedEncoder(schemaID: Int32(truncatingIfNeeded: id), side: side, format: .json, body: JSONSchemaEncoder(root))
            case .protobuf:
                // The local schema's descriptors, unless the registry's copy is the one to use:
                // then its FileDescriptorProto (`?format=serialized`).
                var schema = protoSchema
                if schema == nil {
                    guard let registry else { throw EmitError.internalError("\(flag): no Protobuf schema and no registry") }
                    let found = try registry.schema(id: id, format: "serialized")
                    var l = try ProtoSchemaSource.serialized(found.schema, id: id, flag: flag)
                    // The files it imports from other subjects (Confluent's references) first.
                    var seen = Set<String>()
                    let imported = try protoReferences(found.references, registry, flag: flag, seen: &seen)
                    l.files = imported + l.files
                    l.main += imported.count
                    schema = try compileProto(l, c, flag: flag, id: id)
                }
                return FramedEncoder(schemaID: Int32(truncatingIfNeeded: id), side: side, format: .protobuf,
                                     body: ProtobufEncoder(schema!), prefix: schema!.indexBytes)
            }
        } catch let e as AvroSchemaError {
            throw .dataError("\(flag): the Avro schema (id \(id)) is not valid: \(e.message)")
        } catch let e as JSONSchemaError {
            throw .dataError("\(flag): the JSON Schema (id \(id)) cannot be used: \(e.message)")
        } catch let e as RegistryError {
            throw emitError(e)
        } catch let e as EmitError {
            throw e
        } catch {
            throw .internalError("\(error)")
        }
    }

    /// The descriptors of the schemas a Protobuf schema imports, each fetched serialized by
    /// its subject and version, their own imports before them (depth first, each once).
    private static func protoReferences(_ refs: [SchemaReference], _ registry: SchemaRegistry, flag: String,
                                        seen: inout Set<String>) throws -> [ProtoFile] {
        var files: [ProtoFile] = []
        for ref in refs {
            let key = "\(ref.subject)/\(ref.version)"
            guard seen.insert(key).inserted else { continue }
            let version = try registry.version(subject: ref.subject, version: ref.version)
            let found = try registry.schema(id: version.id, format: "serialized")
            files += try protoReferences(found.references, registry, flag: flag, seen: &seen)
            var l = try ProtoSchemaSource.serialized(found.schema, id: version.id, flag: flag)
            // The importing file names it by the reference's name (its import path).
            if l.files.count == 1 { l.files[0].name = ref.name }
            files += l.files
        }
        return files
    }

    /// The message to encode (`--value-message`, else the file's first), compiled.
    private static func compileProto(_ l: ProtoSchemaSource.Local, _ c: SchemaPlan.Choice, flag: String, id: Int?) throws(EmitError) -> ProtoSchema {
        do {
            return try ProtoSchema(files: l.files, main: l.main, message: c.message)
        } catch {
            let which = id.map { " (id \($0))" } ?? ""
            if error.usage { throw .usage("\(flag): \(error.message)") }
            throw .dataError("\(flag): the Protobuf schema\(which) cannot be used: \(error.message)")
        }
    }

    /// Referenced schemas first (depth first), so their named types are known to the schema
    /// that uses them.
    private static func parseReferences(_ refs: [SchemaReference], _ registry: SchemaRegistry, _ parser: AvroSchemaParser,
                                        seen: Set<String>) throws {
        for ref in refs {
            let key = "\(ref.subject)/\(ref.version)"
            guard !seen.contains(key) else { continue }
            let found = try registry.version(subject: ref.subject, version: ref.version)
            try parseReferences(found.references, registry, parser, seen: seen.union([key]))
            try parser.parse(found.schema)
        }
    }

    private static func registryType(_ f: SchemaPlan.Format) -> SchemaType {
        switch f {
        case .avro: .avro
        case .protobuf: .protobuf
        case .json: .json
        }
    }

    private static func format(of t: SchemaType) -> SchemaPlan.Format {
        switch t {
        case .avro: .avro
        case .protobuf: .protobuf
        case .json: .json
        }
    }

    /// Confluent's subject name strategies.
    private static func subjectName(plan: EmitPlan, isKey: Bool, schema: String, format: SchemaPlan.Format,
                                    protoMessage: String?) throws(EmitError) -> String {
        let suffix = isKey ? "key" : "value"
        func recordName() throws(EmitError) -> String {
            // JSON Schema: Confluent's serializers take the record name from "title".
            if format == .json, let json = try? JSONValue.parse(schema), let title = json["title"]?.string, !title.isEmpty { return title }
            if format == .protobuf, let protoMessage { return protoMessage }
            guard format == .avro, let json = try? JSONValue.parse(schema), let name = json["name"]?.string else {
                throw .usage("--subject-name-strategy \(plan.schemas.strategy.rawValue) needs the schema's record name: give a schema file with a named record, or --\(suffix)-subject NAME")
            }
            if name.contains(".") { return name }
            if let ns = json["namespace"]?.string, !ns.isEmpty { return ns + "." + name }
            return name
        }
        switch plan.schemas.strategy {
        case .topic:
            guard let topic = plan.topic else { throw .usage("--\(suffix)-schema with records that name their own topics: say the subject with --\(suffix)-subject NAME") }
            return "\(topic)-\(suffix)"
        case .record: return try recordName()
        case .topicRecord:
            guard let topic = plan.topic else { throw .usage("--subject-name-strategy topic-record needs -t TOPIC, or --\(suffix)-subject NAME") }
            return "\(topic)-\(try recordName())"
        }
    }
}
