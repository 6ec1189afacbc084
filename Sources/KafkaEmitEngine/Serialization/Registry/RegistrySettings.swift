#if canImport(Glibc)
import Glibc
#endif

/// How to reach the registry: SPEC §2b's `--registry-property` keys (also `-F` keys prefixed
/// `schema.registry.`), checked once when the plan is made. Holds secrets: its description
/// masks them, and `secrets` lets every message be scrubbed of them.
package struct RegistrySettings: Sendable, CustomStringConvertible {
    /// One registry URL (tried in order) and the basic credentials sent to it.
    package struct Endpoint: Sendable, Equatable {
        /// Printable: user info removed, no trailing `/`.
        package var url: String
        /// `user:password` for basic auth, if any.
        var userInfo: String?
    }

    package var endpoints: [Endpoint]
    var bearerToken: String?
    package var caFile: String?
    package var certificateFile: String?
    package var keyFile: String?
    /// Each request's limit per URL, connection and TLS handshake included.
    package var requestTimeoutMs = 10_000

    /// Every secret the settings hold, longest first (to mask in messages).
    var secrets: [String] {
        var all: [String] = []
        if let bearerToken { all.append(bearerToken) }
        for e in endpoints {
            guard let info = e.userInfo else { continue }
            all.append(info)
            if let colon = info.firstIndex(of: ":"), info.index(after: colon) < info.endIndex {
                all.append(String(info[info.index(after: colon)...]))
            }
        }
        return all.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    package var description: String {
        var parts = ["urls: " + endpoints.map(\.url).joined(separator: ",")]
        if endpoints.contains(where: { $0.userInfo != nil }) { parts.append("basic auth: (redacted)") }
        if bearerToken != nil { parts.append("bearer token: (redacted)") }
        if let caFile { parts.append("ssl.ca.location: \(caFile)") }
        if let certificateFile { parts.append("ssl.certificate.location: \(certificateFile)") }
        if let keyFile { parts.append("ssl.key.location: \(keyFile)") }
        parts.append("request.timeout.ms: \(requestTimeoutMs)")
        return "RegistrySettings(" + parts.joined(separator: "; ") + ")"
    }

    package static let knownKeys = [
        "url", "basic.auth.credentials.source", "basic.auth.user.info", "bearer.auth.credentials.source",
        "bearer.auth.token", "ssl.ca.location", "ssl.certificate.location", "ssl.key.location", "request.timeout.ms",
    ]

    /// `properties`: key=value pairs, keys bare or prefixed `schema.registry.`; the last of a
    /// repeated key wins, as in a properties file. `urls`, when given (the flag or
    /// `$SCHEMA_REGISTRY_URL`), wins over a `url` property.
    package init(properties: [(String, String)], urls: String?) throws(RegistryError) {
        var values: [String: String] = [:]
        for (given, value) in properties {
            let key = given.hasPrefix("schema.registry.") ? String(given.dropFirst("schema.registry.".count)) : given
            guard RegistrySettings.knownKeys.contains(key) else {
                // The key only: its value may be a secret.
                throw .usage("unknown schema registry property '\(given)'; known: \(RegistrySettings.knownKeys.joined(separator: ", "))")
            }
            values[key] = value
        }

        // Basic credentials: Confluent's basic.auth.credentials.source picks basic.auth.user.info
        // (USER_INFO) or the URLs' user info (URL); unset, whichever is given (user.info first).
        let source = values["basic.auth.credentials.source"]?.uppercased()
        switch source {
        case nil, "USER_INFO", "URL": break
        case "SASL_INHERIT":
            throw .usage("basic.auth.credentials.source=SASL_INHERIT is not supported: give basic.auth.user.info=USER:PASSWORD")
        default:
            throw .usage("basic.auth.credentials.source: expected USER_INFO or URL")
        }
        let userInfo = values["basic.auth.user.info"].flatMap { $0.isEmpty ? nil : $0 }
        if let userInfo, !userInfo.contains(":") {
            // Not echoed: it is (part of) a secret.
            throw .usage("basic.auth.user.info: expected USER:PASSWORD")
        }

        guard let list = urls ?? values["url"] else {
            throw .usage("no schema registry URL: give --schema-registry URL, schema.registry.url in -F, or $SCHEMA_REGISTRY_URL")
        }
        endpoints = []
        for raw in list.split(separator: ",") {
            let text = raw.trimmingSpaces
            if text.isEmpty { continue }
            let (url, info) = RegistrySettings.splitUserInfo(text)
            let lower = url.lowercased()
            guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
                throw .usage("schema registry URL '\(url)': expected http://HOST[:PORT] or https://HOST[:PORT]")
            }
            var trimmed = url
            while trimmed.hasSuffix("/") { trimmed.removeLast() }
            let basic: String?
            switch source {
            case "URL": basic = info
            case "USER_INFO": basic = userInfo
            default: basic = userInfo ?? info
            }
            endpoints.append(Endpoint(url: trimmed, userInfo: basic))
        }
        guard !endpoints.isEmpty else { throw .usage("the schema registry URL list is empty") }

        if let value = values["bearer.auth.credentials.source"], value.uppercased() != "STATIC_TOKEN" {
            throw .usage("bearer.auth.credentials.source: only STATIC_TOKEN is supported (with bearer.auth.token)")
        }
        bearerToken = values["bearer.auth.token"].flatMap { $0.isEmpty ? nil : $0 }
        if values["bearer.auth.credentials.source"] != nil && bearerToken == nil {
            throw .usage("bearer.auth.credentials.source=STATIC_TOKEN needs bearer.auth.token")
        }
        // Both go into HTTP headers: a line break would end the header (and start another).
        if bearerToken?.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) == true {
            throw .usage("bearer.auth.token: holds a control character (the token is not shown)")
        }
        if endpoints.contains(where: { $0.userInfo?.utf8.contains { $0 < 0x20 || $0 == 0x7F } == true }) {
            throw .usage("basic auth user info: holds a control character (it is not shown)")
        }
        if bearerToken != nil && endpoints.contains(where: { $0.userInfo != nil }) {
            throw .usage("schema registry: give basic auth (basic.auth.user.info or user info in the URL) or bearer.auth.token, not both")
        }

        caFile = try RegistrySettings.readableFile(values, "ssl.ca.location")
        certificateFile = try RegistrySettings.readableFile(values, "ssl.certificate.location")
        keyFile = try RegistrySettings.readableFile(values, "ssl.key.location")
        if keyFile != nil && certificateFile == nil {
            throw .usage("ssl.key.location needs ssl.certificate.location (the client certificate)")
        }
        if let text = values["request.timeout.ms"] {
            guard let ms = Int(text.trimmingSpaces), ms > 0, ms <= 3_600_000 else {
                throw .usage("request.timeout.ms: expected milliseconds from 1 to 3600000, got '\(text)'")
            }
            requestTimeoutMs = ms
        }
    }

    /// A TLS file setting, checked now so a typo is named at once (exit 66, as any file that
    /// cannot be read) rather than as a TLS failure of every URL.
    private static func readableFile(_ values: [String: String], _ key: String) throws(RegistryError) -> String? {
        guard let path = values[key], !path.isEmpty else { return nil }
        if access(path, R_OK) != 0 {
            throw RegistryError("\(key) '\(path)' cannot be read: \(String(cString: strerror(errno)))", exitCode: 66)
        }
        return path
    }

    /// `scheme://user:password@host/...` → (`scheme://host/...`, `user:password` decoded).
    static func splitUserInfo(_ url: String) -> (url: String, userInfo: String?) {
        guard let schemeEnd = url.firstRange(of: "://") else { return (url, nil) }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { (c: Character) in c == "/" || c == "?" || c == "#" } ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return (url, nil) }
        let info = percentDecoded(rest[..<at])
        return (String(url[..<schemeEnd.upperBound]) + rest[rest.index(after: at)...], info.isEmpty ? nil : info)
    }

    static func percentDecoded(_ s: Substring) -> String {
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let v = UInt8(String(decoding: bytes[i + 1...i + 2], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
