import Crdkafka

/// One librdkafka property and where it came from (for error messages and `--verbose`).
public struct ConfigProperty: Sendable, Equatable {
    public var key: String
    public var value: String
    /// Which flag or file set it, e.g. `-X`, `--acks`, `-F client.properties:3`, `default`.
    public var origin: String

    public init(_ key: String, _ value: String, origin: String) {
        self.key = key
        self.value = value
        self.origin = origin
    }

    /// Properties whose values never reach stdout or stderr.
    public var isSecret: Bool {
        let k = key.lowercased()
        return ["password", "secret", "sasl.oauthbearer.config", "ssl.key.pem", "ssl_key", "ssl.certificate.pem",
                "ssl.keystore", "private", "token", "credential", "sasl.jaas"].contains { k.contains($0) }
    }

    public var shownValue: String { isSecret ? "[redacted]" : value }
}

/// Builds an `rd_kafka_conf_t` from an ordered property list (later entries win),
/// turning librdkafka's refusal of a property into a usage error that quotes it.
enum KafkaConfig {
    /// Caller owns the result until it is handed to `rd_kafka_new`.
    static func make(_ properties: [ConfigProperty]) throws(EmitError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errstr = [CChar](repeating: 0, count: 512)
        for p in properties {
            let rc = rd_kafka_conf_set(conf, p.key, p.value, &errstr, errstr.count)
            if rc != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let why = cString(errstr)
                let shown = "\(p.key)=\(p.shownValue)"
                let fix = rc == RD_KAFKA_CONF_UNKNOWN
                    ? "check the name against librdkafka's CONFIGURATION.md"
                    : "check the value"
                throw .usage("\(p.origin) \(shown): librdkafka refused it: \(redact(why, properties)); \(fix)")
            }
        }
        return conf
    }

    /// Removes any secret value that librdkafka may have echoed.
    static func redact(_ text: String, _ properties: [ConfigProperty]) -> String {
        var t = text
        for p in properties where p.isSecret && !p.value.isEmpty {
            t = t.replacingAll(p.value, with: "[redacted]")
        }
        return t
    }

    /// The effective configuration as librdkafka holds it, secrets redacted.
    static func dump(_ conf: OpaquePointer) -> [(String, String)] {
        var count = 0
        var out: [(String, String)] = []
        guard let arr = rd_kafka_conf_dump(conf, &count) else { return [] }
        defer { rd_kafka_conf_dump_free(arr, count) }
        append(arr, count, to: &out)
        // Topic-level properties (acks, message.timeout.ms, ...) live in the default topic conf.
        if let topicConf = rd_kafka_conf_get_default_topic_conf(conf) {
            var tcount = 0
            if let tarr = rd_kafka_topic_conf_dump(topicConf, &tcount) {
                var topicLevel: [(String, String)] = []
                append(tarr, tcount, to: &topicLevel)
                rd_kafka_conf_dump_free(tarr, tcount)
                let global = Set(out.map(\.0))
                out += topicLevel.filter { !global.contains($0.0) }
            }
        }
        return out
    }

    private static func append(_ arr: UnsafeMutablePointer<UnsafePointer<CChar>?>, _ count: Int, to out: inout [(String, String)]) {
        var i = 0
        while i + 1 < count {
            let k = String(cString: arr[i]!)
            let v = arr[i + 1].map { String(cString: $0) } ?? ""
            let shown = ConfigProperty(k, v, origin: "").isSecret ? "[redacted]" : v
            out.append((k, shown))
            i += 2
        }
    }
}

/// librdkafka's error buffer as one line (it ends some messages with a newline).
func cString(_ buffer: [CChar]) -> String {
    let s = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ").trimmingSpaces()
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let r = rest.byteRange(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    func byteRange(of target: String) -> Range<Index>? {
        let t = Array(target.utf8)
        let s = Array(utf8)
        guard t.count <= s.count, !t.isEmpty else { return nil }
        for start in 0...(s.count - t.count) where s[start] == t[0] && Array(s[start..<(start + t.count)]) == t {
            let lo = utf8.index(utf8.startIndex, offsetBy: start)
            let hi = utf8.index(lo, offsetBy: t.count)
            return lo..<hi
        }
        return nil
    }
}

/// What `--version` reports about the librdkafka the binary runs on.
public enum LibrdkafkaInfo {
    public static var version: String { String(cString: rd_kafka_version_str()) }

    public static var builtinFeatures: String {
        let conf = rd_kafka_conf_new()!
        defer { rd_kafka_conf_destroy(conf) }
        var size = 0
        rd_kafka_conf_get(conf, "builtin.features", nil, &size)
        var buf = [CChar](repeating: 0, count: max(size, 1))
        rd_kafka_conf_get(conf, "builtin.features", &buf, &size)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static let invalidArgCode = RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue
    static let badMessageCode = RD_KAFKA_RESP_ERR__BAD_MSG.rawValue
    static let purgeQueueCode = RD_KAFKA_RESP_ERR__PURGE_QUEUE.rawValue
    static let purgeInflightCode = RD_KAFKA_RESP_ERR__PURGE_INFLIGHT.rawValue

    /// librdkafka's short name for an error code, e.g. `MSG_SIZE_TOO_LARGE`.
    public static func errorName(_ code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(code)))
    }

    /// librdkafka's description of an error code.
    public static func errorDescription(_ code: Int32) -> String {
        String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(code)))
    }
}
