import Crdkafka
#if canImport(Glibc)
import Glibc
#endif

/// What `--version` reports about the librdkafka the binary runs on.
package enum LibrdkafkaInfo {
    package static var version: String { String(cString: rd_kafka_version_str()) }

    /// `-X list`: librdkafka's table of properties, on stdout.
    package static func printProperties() {
        guard let out = fdopen(dup(1), "w") else { return }
        rd_kafka_conf_properties_show(out)
        fclose(out)
    }

    package static var builtinFeatures: String {
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
    static let unknownTopicCode = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue
    static let transportCode = RD_KAFKA_RESP_ERR__TRANSPORT.rawValue
    static let fatalCode = RD_KAFKA_RESP_ERR__FATAL.rawValue
    package static let msgSizeTooLargeCode = RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE.rawValue

    static let critSysResourceCode = RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE.rawValue
    /// "Local: Read underflow".
    static let underflowText = String(cString: rd_kafka_err2str(RD_KAFKA_RESP_ERR__UNDERFLOW))

    /// An error event that means the system refused librdkafka a resource: a thread
    /// (`_CRIT_SYS_RESOURCE`, "Unable to create broker thread") or a socket at the descriptor
    /// limit (the transport error carries strerror(EMFILE) / strerror(ENFILE)).
    static func isResourceExhaustion(code: Int32, message: String) -> Bool {
        if code == critSysResourceCode { return true }
        return message.contains(String(cString: strerror(EMFILE))) || message.contains(String(cString: strerror(ENFILE)))
    }

    /// The broker (`host:port`) whose ApiVersion reply this librdkafka could not parse, from an
    /// error event such as librdkafka 2.0.2's against newer brokers: "127.0.0.1:19092/bootstrap:
    /// ApiVersionRequest failed: Local: Read underflow: probably due to broker version < 0.10 …".
    /// The broker answered; it is the client that is too old.
    static func brokerWithUnreadableReply(_ message: String) -> String? {
        guard let failed = message.firstRange(of: ": ApiVersionRequest failed: "),
              message[failed.upperBound...].hasPrefix(underflowText) else { return nil }
        let name = message[..<failed.lowerBound]
        return String(name.split(separator: "/", maxSplits: 1).first ?? name)
    }

    /// The code of an error named as librdkafka names it (`REQUEST_TIMED_OUT`, `_MSG_TIMED_OUT`),
    /// or written as a number; nil for neither.
    package static func errorCode(named name: String) -> Int32? {
        if let n = Int32(name) { return n }
        var descs: UnsafePointer<rd_kafka_err_desc>?
        var count = 0
        rd_kafka_get_err_descs(&descs, &count)
        guard let descs else { return nil }
        for k in 0..<count {
            if let n = descs[k].name, String(cString: n) == name { return descs[k].code.rawValue }
        }
        return nil
    }

    /// librdkafka's short name for an error code, e.g. `MSG_SIZE_TOO_LARGE`.
    package static func errorName(_ code: Int32) -> String {
        String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(code)))
    }

    /// librdkafka's description of an error code.
    package static func errorDescription(_ code: Int32) -> String {
        String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(code)))
    }
}
