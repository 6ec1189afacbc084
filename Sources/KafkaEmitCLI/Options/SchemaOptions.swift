@_spi(Engine) import KafkaEmit
import KafkaEmitEngine

/// Schema Registry serialization (SPEC §2b): where the key's and the value's schemas come
/// from and how to reach the registry. The Confluent console producers' `--property` keys
/// (`schema.registry.url`, `value.schema`, …) land here too (`applyConsoleProperty`).
package struct SchemaOptions {
    var plan = SchemaPlan()

    private static func side(_ c: inout EmitCommand, _ isKey: Bool, _ change: (inout SchemaPlan.Choice) -> Void) {
        var choice = (isKey ? c.schema.plan.key : c.schema.plan.value) ?? SchemaPlan.Choice()
        change(&choice)
        if isKey { c.schema.plan.key = choice } else { c.schema.plan.value = choice }
    }

    private static func rows(_ which: String, isKey: Bool) -> [OptionSpec] {
        [
            .value(["--\(which)-schema"], "file",
                   "The \(which)'s schema: .avsc Avro, .json JSON Schema, .proto Protobuf (compiled with protoc) or a protoc -o descriptor set (.desc, .pb). Registered unless --no-auto-register.",
                   completion: .file) { c, v throws(FlagError) in side(&c, isKey) { $0.file = v } },
            .value(["--\(which)-schema-type"], "type", "The \(which) schema's type when its file's extension does not say: avro, protobuf or json.",
                   completion: .list(SchemaPlan.Format.allCases.map(\.rawValue))) { c, v throws(FlagError) in
                let f = try SchemaOptions.format("--\(which)-schema-type", v)
                side(&c, isKey) { $0.format = f }
            },
            .value(["--\(which)-schema-id"], "n", "A schema already in the registry, by id, for the \(which).") { c, v throws(FlagError) in
                let id = try Numbers.inRange("--\(which)-schema-id", v, 0...Int(Int32.max))
                side(&c, isKey) { $0.id = id }
            },
            .value(["--\(which)-subject"], "name", "The \(which)'s schema: this subject's latest version (or --\(which)-schema-version N); with a schema file, the subject to register it under.") { c, v throws(FlagError) in
                guard !v.isEmpty else { throw FlagError("--\(which)-subject: the subject must not be empty") }
                side(&c, isKey) { $0.subject = v }
            },
            .value(["--\(which)-schema-version"], "n", "With --\(which)-subject: this version instead of the latest.") { c, v throws(FlagError) in
                let n = try Numbers.inRange("--\(which)-schema-version", v, 1...Int(Int32.max))
                side(&c, isKey) { $0.version = n }
            },
            .value(["--\(which)-message"], "name", "Protobuf: the message type of the \(which), full or short name (Order, Order.Line; default: the file's first).") { c, v throws(FlagError) in
                side(&c, isKey) { $0.message = v }
            },
        ]
    }

    static let specs: [OptionSpec] = [
        .value(["--schema-registry"], "url",
               "Schema Registry URL(s), comma-separated (failover in order). Default: $SCHEMA_REGISTRY_URL.") { c, v throws(FlagError) in
            guard !v.isEmpty else { throw FlagError("--schema-registry: give a URL, e.g. --schema-registry http://localhost:8081") }
            c.schema.plan.urls = v
        },
        .value(["--registry-property"], "key=value",
               "Registry client setting, repeatable: basic.auth.user.info, bearer.auth.token, ssl.ca.location, ssl.certificate.location, ssl.key.location, request.timeout.ms.",
               repeats: .accumulates) { c, v throws(FlagError) in
            guard let eq = v.firstIndex(of: "="), eq != v.startIndex else {
                throw FlagError("--registry-property: write KEY=VALUE, e.g. --registry-property basic.auth.user.info=USER:PASSWORD", seeHelp: false)
            }
            var key = String(v[..<eq])
            if key.hasPrefix("schema.registry.") { key.removeFirst("schema.registry.".count) }
            c.schema.plan.properties.append(.init(key, String(v[v.index(after: eq)...])))
        },
    ] + rows("value", isKey: false) + rows("key", isKey: true) + [
        .value(["--subject-name-strategy"], "name", "How a schema file's subject is named: topic (T-value, T-key), record (the record's full name) or topic-record (T-fullname).",
               completion: .list(SchemaPlan.SubjectStrategy.allCases.map(\.rawValue))) { c, v throws(FlagError) in
            c.schema.plan.strategy = try SchemaOptions.strategy("--subject-name-strategy", v)
        },
        .flag(["--auto-register"], "Register a schema given by file when the registry lacks it (default; off: look it up, and fail if absent).",
              display: "--auto-register/--no-auto-register") { $0.schema.plan.autoRegister = true },
        .flag(["--no-auto-register"], "Look a schema file up in the registry instead of registering it.", hidden: true,
              contradicts: "--auto-register") { $0.schema.plan.autoRegister = false },
    ]

    static func format(_ flag: String, _ v: String) throws(FlagError) -> SchemaPlan.Format {
        switch v.lowercased() {
        case "avro": return .avro
        case "protobuf", "proto": return .protobuf
        case "json", "jsonschema", "json-schema": return .json
        default: throw FlagError("\(flag): '\(v)' is not a schema type; use avro, protobuf or json")
        }
    }

    static func strategy(_ flag: String, _ v: String) throws(FlagError) -> SchemaPlan.SubjectStrategy {
        // Confluent's class names work too (value.subject.name.strategy=io.confluent…TopicNameStrategy).
        switch v.split(separator: ".").last.map(String.init) ?? v {
        case "topic", "TopicNameStrategy": return .topic
        case "record", "RecordNameStrategy": return .record
        case "topic-record", "TopicRecordNameStrategy": return .topicRecord
        default: throw FlagError("\(flag): '\(v)' is not a subject name strategy; use topic, record or topic-record")
        }
    }

    /// Keys of the Confluent console producers' `--property` (and of `-X`, `-F`) that configure
    /// serialization rather than librdkafka.
    static func isSchemaProperty(_ key: String) -> Bool {
        key.hasPrefix("schema.registry.") || key.hasPrefix("value.schema") || key.hasPrefix("key.schema")
            || ["auto.register", "auto.register.schemas", "use.latest.version", "basic.auth.user.info",
                "basic.auth.credentials.source", "bearer.auth.token", "value.subject.name.strategy",
                "key.subject.name.strategy"].contains(key)
    }

    /// Applies one such property, as `kafka-avro-console-producer` reads it.
    mutating func applyConsoleProperty(_ key: String, _ value: String) throws(FlagError) {
        func bool() throws(FlagError) -> Bool {
            switch value.lowercased() {
            case "true": return true
            case "false": return false
            default: throw FlagError("--property \(key): '\(value)' is not true or false")
            }
        }
        func id() throws(FlagError) -> Int { try Numbers.inRange("--property \(key)", value, 0...Int(Int32.max)) }
        func set(_ isKey: Bool, _ change: (inout SchemaPlan.Choice) -> Void) {
            var choice = (isKey ? plan.key : plan.value) ?? SchemaPlan.Choice()
            change(&choice)
            if isKey { plan.key = choice } else { plan.value = choice }
        }
        switch key {
        case "schema.registry.url": plan.urls = value
        case "value.schema": set(false) { $0.text = value }
        case "key.schema": set(true) { $0.text = value }
        case "value.schema.file": set(false) { $0.file = value }
        case "key.schema.file": set(true) { $0.file = value }
        case "value.schema.id": let n = try id(); set(false) { $0.id = n }
        case "key.schema.id": let n = try id(); set(true) { $0.id = n }
        case "auto.register", "auto.register.schemas": plan.autoRegister = try bool()
        case "use.latest.version":
            let b = try bool()
            set(false) { $0.useLatest = b }
            if plan.key != nil { set(true) { $0.useLatest = b } }
        case "value.subject.name.strategy", "key.subject.name.strategy": plan.strategy = try SchemaOptions.strategy("--property \(key)", value)
        case "basic.auth.user.info", "basic.auth.credentials.source", "bearer.auth.token":
            plan.properties.append(.init(key, value))
        default:
            if key.hasPrefix("schema.registry.") {
                plan.properties.append(.init(String(key.dropFirst("schema.registry.".count)), value))
            } else {
                throw FlagError("--property \(key): not a schema setting kafka-emit knows; see the Schema Registry options in kafka-emit --help", seeHelp: false)
            }
        }
    }

    func validate() throws(FlagError) {
        for (which, choice) in [("value", plan.value), ("key", plan.key)] {
            guard let c = choice else { continue }
            if c.file != nil && c.text != nil {
                throw FlagError("--\(which)-schema and \(which).schema= both give the \(which)'s schema; use one of them")
            }
            if c.version != nil && c.subject == nil {
                throw FlagError("--\(which)-schema-version needs --\(which)-subject NAME")
            }
            if c.isEmpty {
                throw FlagError("--\(which)-schema-type/--\(which)-schema-version/--\(which)-message need the schema itself: --\(which)-schema FILE, --\(which)-schema-id N or --\(which)-subject NAME")
            }
            if c.id != nil && c.subject != nil && c.file == nil && c.text == nil {
                throw FlagError("--\(which)-schema-id and --\(which)-subject both name a registered schema; use one of them")
            }
        }
    }
}
