/// A Confluent-compatible Schema Registry client (Confluent, Karapace, Apicurio's ccompat API,
/// Redpanda) for the plan: schemas are registered, looked up and fetched while the run's plan
/// is made, never on the send path, so it is synchronous and single-threaded. Answers are
/// cached for the run: a schema used as key and value, or by several topics, costs one request.
///
/// Every URL of the list is tried in order when one cannot answer (connection refused, TLS,
/// timeout, 5xx, 429); a 4xx answer is final (another URL of the same registry would say the
/// same). Errors carry SPEC §5's exit code (see `RegistryError`).
package final class SchemaRegistry {
    package let settings: RegistrySettings

    /// What a lookup or a registration is keyed by: the same text under another subject, type
    /// or references is another question to the registry.
    struct SchemaKey: Hashable {
        var subject: String
        var schema: String
        var type: SchemaType
        var references: [SchemaReference]
    }
    /// Ids the registry gave for a schema under a subject (registered or found).
    var ids: [SchemaKey: Int] = [:]
    var found: [SchemaKey: RegisteredSchema] = [:]
    /// By id and `format` ("" for the default).
    var byID: [String: RegisteredSchema] = [:]
    /// By subject and version ("latest" or the number).
    var versions: [String: RegisteredSchema] = [:]

    package init(settings: RegistrySettings) {
        self.settings = settings
    }

    /// SPEC §2b's registry settings; see `RegistrySettings.init(properties:urls:)`.
    package static func settings(from properties: [(String, String)], urls: String?) throws(RegistryError) -> RegistrySettings {
        try RegistrySettings(properties: properties, urls: urls)
    }

    /// Registers `schema` under `subject` (or finds it there already) and returns its id.
    package func register(subject: String, schema: String, type: SchemaType, references: [SchemaReference] = []) throws(RegistryError) -> Int {
        let key = SchemaKey(subject: subject, schema: schema, type: type, references: references)
        if let id = ids[key] { return id }
        let answer = try call("POST", "/subjects/\(Self.pathSegment(subject))/versions",
                              body: Self.schemaRequest(schema, type, references),
                              notFound: "subject '\(subject)'", invalid: "the schema for subject '\(subject)'")
        guard let id = answer?["id"]?.int else { throw unreadable("POST /subjects/…/versions", "no \"id\"") }
        ids[key] = id
        return id
    }

    /// The schema as registered under `subject`, or nil when the subject does not have it
    /// (or does not exist).
    package func lookup(subject: String, schema: String, type: SchemaType, references: [SchemaReference] = []) throws(RegistryError) -> RegisteredSchema? {
        let key = SchemaKey(subject: subject, schema: schema, type: type, references: references)
        if let known = found[key] { return known }
        let answer = try call("POST", "/subjects/\(Self.pathSegment(subject))", body: Self.schemaRequest(schema, type, references),
                              notFound: "subject '\(subject)'", invalid: "the schema for subject '\(subject)'",
                              absentCodes: [40401, 40403])
        guard let answer else { return nil }
        var result = try registered(answer, from: "POST /subjects/…")
        result.subject = result.subject ?? subject
        // The registry's own text may be normalised; this run asked with ours.
        found[key] = result
        ids[key] = result.id
        return result
    }

    /// The schema with this id; `format` is the registry's `?format=` (`serialized` gives a
    /// Protobuf schema as a base64 FileDescriptorProto).
    package func schema(id: Int, format: String? = nil) throws(RegistryError) -> RegisteredSchema {
        let cacheKey = "\(id)?\(format ?? "")"
        if let known = byID[cacheKey] { return known }
        let query = format.map { "?format=\(Self.pathSegment($0))" } ?? ""
        let answer = try call("GET", "/schemas/ids/\(id)\(query)", body: nil, notFound: "schema id \(id)", invalid: "schema id \(id)")
        var result = try registered(answer!, from: "GET /schemas/ids/\(id)")
        result.id = id
        byID[cacheKey] = result
        return result
    }

    // (`call` answers nil only for `absentCodes`, which only `lookup` passes: hence the `!`s.)

    /// A subject's schema at `version`, or its latest when `version` is nil.
    package func version(subject: String, version: Int? = nil) throws(RegistryError) -> RegisteredSchema {
        if let version, version < 1 {
            throw .usage("schema version \(version) for subject '\(subject)': versions start at 1")
        }
        let name = version.map(String.init) ?? "latest"
        let cacheKey = "\(subject)\u{0}\(name)"
        if let known = versions[cacheKey] { return known }
        let what = version.map { "version \($0) of subject '\(subject)'" } ?? "subject '\(subject)'"
        let answer = try call("GET", "/subjects/\(Self.pathSegment(subject))/versions/\(name)", body: nil, notFound: what, invalid: what)
        var result = try registered(answer!, from: "GET /subjects/…/versions/\(name)")
        result.subject = result.subject ?? subject
        versions[cacheKey] = result
        byID["\(result.id)?"] = byID["\(result.id)?"] ?? result
        return result
    }
}
