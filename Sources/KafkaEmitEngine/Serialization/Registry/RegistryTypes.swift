/// The Schema Registry's vocabulary, as Confluent's REST API spells it.

/// A schema's language; the raw value is the registry's `schemaType`.
package enum SchemaType: String, Sendable {
    case avro = "AVRO", protobuf = "PROTOBUF", json = "JSON"
}

/// A schema this one imports (a Protobuf `import`, an Avro named type, a JSON Schema `$ref`),
/// by the name the importing schema uses and where the registry keeps it.
package struct SchemaReference: Hashable, Sendable {
    package var name: String
    package var subject: String
    package var version: Int

    package init(name: String, subject: String, version: Int) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// A schema as the registry holds it. `version` and `subject` are known when it was found
/// under a subject (lookup, a subject's version), not when fetched by id.
package struct RegisteredSchema: Equatable, Sendable {
    package var id: Int
    package var schema: String
    package var type: SchemaType
    package var version: Int?
    package var subject: String?
    package var references: [SchemaReference]

    package init(id: Int, schema: String, type: SchemaType, version: Int? = nil, subject: String? = nil,
                 references: [SchemaReference] = []) {
        self.id = id
        self.schema = schema
        self.type = type
        self.version = version
        self.subject = subject
        self.references = references
    }
}

/// Why the registry could not give what the plan needs, with SPEC §5's exit code: 64 a bad
/// registry setting, 65 a schema it refuses, 66 a subject/version/id it does not have, 69 it
/// cannot be reached or is unusable, 71 no memory, 77 it refused the credentials. The message
/// never holds a credential (URLs are printed without user info; secrets are masked).
package struct RegistryError: Error, Equatable, Sendable, CustomStringConvertible {
    package var message: String
    package var exitCode: Int32

    package init(_ message: String, exitCode: Int32) {
        self.message = message
        self.exitCode = exitCode
    }

    static func usage(_ message: String) -> RegistryError { RegistryError(message, exitCode: 64) }

    package var description: String { message }
}
