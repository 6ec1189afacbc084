import Crdkafka

/// One librdkafka property and where it came from (for error messages and `--verbose`).
package struct ConfigProperty: Sendable, Equatable {
    package var key: String
    package var value: String
    /// Which flag or file set it, e.g. `-X`, `--acks`, `-F client.properties:3`, `default`.
    package var origin: String

    package init(_ key: String, _ value: String, origin: String) {
        self.key = key
        self.value = value
        self.origin = origin
    }

    /// Properties whose values never reach stdout or stderr.
    package var isSecret: Bool {
        let k = key.lowercased()
        return ["password", "secret", "sasl.oauthbearer.config", "ssl.key.pem", "ssl_key", "ssl.certificate.pem",
                "ssl.keystore", "private", "token", "credential", "sasl.jaas"].contains { k.contains($0) }
    }

    package var shownValue: String { isSecret ? "[redacted]" : value }
}

/// Builds an `rd_kafka_conf_t` from an ordered property list (later entries win),
/// turning librdkafka's refusal of a property into a usage error that quotes it.
package enum KafkaConfig {
    /// What kafka-emit sets before anything its user gives, CLI and library alike: no
    /// duplicates and every replica's acknowledgement unless asked otherwise.
    package static func defaults(verbose: Bool = false) -> [ConfigProperty] {
        [ConfigProperty("client.id", "kafka-emit", origin: "default"),
         ConfigProperty("acks", "all", origin: "default"),
         ConfigProperty("enable.idempotence", "true", origin: "default"),
         ConfigProperty("message.timeout.ms", "30000", origin: "default"),
         ConfigProperty("log_level", verbose ? "6" : "2", origin: "default")]
    }

    /// librdkafka's own queue must hold what the in-flight window allows, or it reports
    /// QUEUE_FULL first (unless the user sized it).
    package static func queueSize(forInFlight n: Int, origin: String) -> ConfigProperty {
        ConfigProperty("queue.buffering.max.messages", String(min(10_000_000, max(100_000, n))), origin: origin)
    }

    /// The longest record librdkafka sends (`message.max.bytes` as the properties set it):
    /// input units longer than that are skipped instead of buffered.
    package static func messageMaxBytes(_ properties: [ConfigProperty]) -> Int {
        guard let conf = try? make(properties.filter { $0.key == "message.max.bytes" }) else { return 1_000_000 }
        defer { rd_kafka_conf_destroy(conf) }
        var value = [CChar](repeating: 0, count: 32)
        var size = value.count
        guard rd_kafka_conf_get(conf, "message.max.bytes", &value, &size) == RD_KAFKA_CONF_OK else { return 1_000_000 }
        return Int(cString(value)) ?? 1_000_000
    }

    /// Caller owns the result until it is handed to `rd_kafka_new`.
    static func make(_ properties: [ConfigProperty]) throws(EmitError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errstr = [CChar](repeating: 0, count: 512)
        for p in properties {
            let rc = rd_kafka_conf_set(conf, p.key, p.value, &errstr, errstr.count)
            if rc != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let why = cString(errstr)
                // A misspelled key may still name a secret: its value is never shown.
                let shown = rc == RD_KAFKA_CONF_UNKNOWN ? p.key : "\(p.key)=\(p.shownValue)"
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

    /// `-X dump`: every property as librdkafka would use it (defaults included), global and
    /// topic-level, secrets redacted; no broker is contacted.
    package static func dumpText(_ properties: [ConfigProperty]) throws(EmitError) -> String {
        let conf = try make(properties)
        defer { rd_kafka_conf_destroy(conf) }
        let (global, topicLevel) = contents(conf)
        var text = "# Global config\n"
        for (k, v) in global { text += "\(k) = \(v)\n" }
        text += "\n# Topic config\n"
        for (k, v) in topicLevel { text += "\(k) = \(v)\n" }
        return text
    }

    /// The effective configuration as librdkafka holds it, secrets redacted (`--verbose`).
    static func dump(_ conf: OpaquePointer) -> [(String, String)] {
        let (global, topicLevel) = contents(conf)
        let globalKeys = Set(global.map(\.0))
        return global + topicLevel.filter { !globalKeys.contains($0.0) }
    }

    /// Every property `conf` holds, defaults included, secrets redacted: the global ones and the
    /// topic-level ones (acks, message.timeout.ms, ...), which live in its default topic conf.
    private static func contents(_ conf: OpaquePointer) -> (global: [(String, String)], topicLevel: [(String, String)]) {
        var global: [(String, String)] = [], topicLevel: [(String, String)] = []
        var count = 0
        if let arr = rd_kafka_conf_dump(conf, &count) {
            append(arr, count, to: &global)
            rd_kafka_conf_dump_free(arr, count)
        }
        if let topicConf = rd_kafka_conf_get_default_topic_conf(conf), let arr = rd_kafka_topic_conf_dump(topicConf, &count) {
            append(arr, count, to: &topicLevel)
            rd_kafka_conf_dump_free(arr, count)
        }
        return (global, topicLevel)
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
    package func replacingAll(_ target: String, with replacement: String) -> String {
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
