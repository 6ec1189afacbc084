/// The registry's REST exchanges: failover over the URL list, its answers read with
/// `JSONValue`, and each refusal turned into SPEC §5's exit code.
extension SchemaRegistry {
    static let contentType = "Content-Type: application/vnd.schemaregistry.v1+json"
    /// As Confluent's own client asks: the v1 media type first, plain JSON accepted.
    static let accept = "Accept: application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5"

    /// One request, tried on each URL in turn until one answers with something other than a
    /// 5xx/429. Returns a 2xx answer's JSON, or nil for a 404 whose `error_code` is in
    /// `absentCodes`. `notFound`/`invalid` name what was asked for, in messages.
    func call(_ method: String, _ path: String, body: String?, notFound: String, invalid: String,
              absentCodes: Set<Int> = []) throws(RegistryError) -> JSONValue? {
        var failures: [String] = []
        for endpoint in settings.endpoints {
            var headers = [Self.accept]
            if body != nil { headers.append(Self.contentType) }
            let outcome = RegistryHTTP.perform(RegistryHTTP.Request(
                method: method, url: endpoint.url + path, body: body.map { Array($0.utf8) }, headers: headers,
                userInfo: endpoint.userInfo, bearerToken: settings.bearerToken, caFile: settings.caFile,
                certificateFile: settings.certificateFile, keyFile: settings.keyFile, timeoutMs: settings.requestTimeoutMs))
            switch outcome {
            case .noLibcurl(let reason):
                throw failure("the schema registry needs libcurl: \(reason)", 69)
            case .noMemory:
                throw failure("out of memory while asking the schema registry at \(endpoint.url)", 71)
            case .transport(let reason, let curlCode):
                let hint = curlCode == RegistryHTTP.untrustedServer
                    ? (settings.caFile == nil ? " (set ssl.ca.location to the CA that signed it)" : " (check ssl.ca.location)") : ""
                failures.append("\(endpoint.url): \(reason)\(hint)")
            case .answer(let status, let bytes):
                let json = bytes.withUnsafeBytes { try? JSONValue.parse($0) }
                if (200..<300).contains(status) {
                    guard let json else { throw unreadable("\(method) \(path)", "not JSON (HTTP \(status))") }
                    return json
                }
                let code = json?["error_code"]?.int
                let message = json?["message"]?.string.map { ": \($0)" } ?? ""
                // Busy or broken on this node: another URL of the same registry may answer.
                if status >= 500 || status == 429 || status == 408 {
                    failures.append("\(endpoint.url): HTTP \(status)\(message)")
                    continue
                }
                if status == 404, let code, absentCodes.contains(code) { return nil }
                throw refusal(status, message, endpoint.url, notFound: notFound, invalid: invalid, method: method, path: path)
            }
        }
        let tried = settings.endpoints.count > 1 ? " (tried each URL in turn)" : ""
        throw failure("the schema registry cannot be reached\(tried): " + failures.joined(separator: "; "), 69)
    }

    /// A final 4xx answer.
    private func refusal(_ status: Int, _ message: String, _ url: String, notFound: String, invalid: String,
                         method: String, path: String) -> RegistryError {
        switch status {
        case 401, 403:
            let hasCredentials = settings.bearerToken != nil || settings.endpoints.contains { $0.userInfo != nil }
            return hasCredentials
                ? failure("the registry at \(url) refused the credentials (HTTP \(status)): check basic.auth.user.info or bearer.auth.token", 77)
                : failure("the registry at \(url) asks for credentials (HTTP \(status)): give basic.auth.user.info or bearer.auth.token", 77)
        case 404:
            return failure("the schema registry at \(url) has no \(notFound) (HTTP 404\(message))", 66)
        case 409:
            return failure("the schema registry at \(url) refused \(invalid) as incompatible (HTTP 409\(message))", 65)
        case 422:
            return failure("the schema registry at \(url) refused \(invalid) as invalid (HTTP 422\(message))", 65)
        default:
            // 400, 405, 415...: the server does not take Confluent's REST requests as sent — a
            // service we cannot use, as a 5xx (69); retrying another URL would get the same.
            return failure("the schema registry at \(url) answered HTTP \(status) to \(method) \(path)\(message); is it a Confluent-compatible registry?", 69)
        }
    }

    /// An error whose message is scrubbed of every secret the settings hold (a registry or
    /// curl could echo one back).
    func failure(_ message: String, _ exitCode: Int32) -> RegistryError {
        var text = message
        for secret in settings.secrets { text = text.replacing(secret, with: "(redacted)") }
        return RegistryError(text, exitCode: exitCode)
    }

    func unreadable(_ request: String, _ why: String) -> RegistryError {
        failure("the schema registry's answer to \(request) is not what a Confluent-compatible registry sends: \(why)", 69)
    }

    /// A schema object of the registry's answers (`schema`, and as the request has them `id`,
    /// `schemaType` — absent for Avro —, `subject`, `version`, `references`).
    func registered(_ json: JSONValue, from request: String) throws(RegistryError) -> RegisteredSchema {
        guard let text = json["schema"]?.string else { throw unreadable(request, "no \"schema\" string") }
        let typeName = json["schemaType"]?.string ?? "AVRO"
        guard let type = SchemaType(rawValue: typeName.uppercased()) else {
            throw failure("the schema registry's answer to \(request) has schema type '\(typeName)'; kafka-emit knows AVRO, PROTOBUF and JSON", 69)
        }
        var references: [SchemaReference] = []
        for item in json["references"]?.array ?? [] {
            guard let name = item["name"]?.string, let subject = item["subject"]?.string, let version = item["version"]?.int else {
                throw unreadable(request, "a reference without name, subject and version")
            }
            references.append(SchemaReference(name: name, subject: subject, version: version))
        }
        return RegisteredSchema(id: json["id"]?.int ?? 0, schema: text, type: type, version: json["version"]?.int,
                                subject: json["subject"]?.string, references: references)
    }

    /// The body of a register or lookup: `schemaType` left out for Avro, as Confluent's client
    /// does (registries older than 5.5 know no other type, and no such field).
    static func schemaRequest(_ schema: String, _ type: SchemaType, _ references: [SchemaReference]) -> String {
        var members: [(String, JSONValue)] = [("schema", .string(schema))]
        if type != .avro { members.append(("schemaType", .string(type.rawValue))) }
        if !references.isEmpty {
            members.append(("references", .array(references.map {
                .object([("name", .string($0.name)), ("subject", .string($0.subject)), ("version", .number(String($0.version)))])
            })))
        }
        return JSONValue.object(members).text
    }

    /// A subject as one path segment: every byte but RFC 3986's unreserved ones percent-encoded
    /// (a subject may hold `/`, spaces, `:` for contexts...).
    static func pathSegment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(b >> 4)])
                out.unicodeScalars.append(hex[Int(b & 15)])
            }
        }
        return out
    }
}
