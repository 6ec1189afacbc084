/// What the command line asked of the Schema Registry (SPEC §2b), before anything is
/// contacted: the registry's settings, and for the key and the value, where the schema comes
/// from. `SchemaResolver` turns it into encoders before the first record.
package struct SchemaPlan: Sendable, Equatable {
    package enum Format: String, Sendable, CaseIterable { case avro, protobuf, json }
    package enum SubjectStrategy: String, Sendable, CaseIterable {
        /// `T-value` / `T-key` (Confluent's TopicNameStrategy).
        case topic
        /// The record's full name (RecordNameStrategy).
        case record
        /// `T-fullname` (TopicRecordNameStrategy).
        case topicRecord = "topic-record"
    }

    /// One side (key or value): at least one of file, text, id or subject.
    package struct Choice: Sendable, Equatable {
        /// `--value-schema FILE` / `value.schema.file=`.
        package var file: String?
        /// `value.schema=` (the console producers' inline schema text).
        package var text: String?
        /// `--value-schema-type`; else from the file's extension (`.avsc`, `.proto`, `.json`), else Avro.
        package var format: Format?
        /// `--value-schema-id` / `value.schema.id=`.
        package var id: Int?
        /// `--value-subject`.
        package var subject: String?
        /// `--value-schema-version` (nil: the latest).
        package var version: Int?
        /// `use.latest.version=true`: the subject's latest schema instead of the local one.
        package var useLatest = false
        /// Protobuf: the message to encode (`--value-message`).
        package var message: String?
        package init() {}
        package var isEmpty: Bool { file == nil && text == nil && id == nil && subject == nil }
    }

    /// Comma-separated URLs, failover in order; nil: not set (an error if a schema needs it).
    package var urls: String?
    /// `--registry-property` and `-F`/`--property` keys prefixed `schema.registry.` (prefix
    /// removed), in the order given.
    package var properties: [KeyValue] = []
    package var strategy: SubjectStrategy = .topic
    package var autoRegister = true
    package var key: Choice?
    package var value: Choice?
    /// Generate mode with a schema and no `--value` (`--key`): random records valid for it.
    package var randomValue = false
    package var randomKey = false

    package struct KeyValue: Sendable, Equatable {
        package var key: String
        package var value: String
        package init(_ key: String, _ value: String) { (self.key, self.value) = (key, value) }
    }

    package init() {}
    package var isUsed: Bool { key != nil || value != nil }
}
