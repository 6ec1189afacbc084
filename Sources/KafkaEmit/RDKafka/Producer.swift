import Crdkafka
#if canImport(Glibc)
import Glibc
#endif

/// A topic as the send path knows it: an index into the producer's topic table (no
/// librdkafka handle leaves this folder).
package struct TopicID: Hashable {
    let index: Int
}

/// Outcome of handing one record to librdkafka.
enum ProduceOutcome {
    case accepted
    /// librdkafka's queue is full: serve reports, wait a little and retry (never drop).
    case queueFull
    /// librdkafka refused the record itself (too large, unknown partition, ...).
    case refused(code: Int32, message: String)
}

/// The librdkafka producer: `rd_kafka_t`, its topic handles and the produce call.
///
/// `@unchecked Sendable` — invariant: librdkafka's handle is thread-safe; `produce`,
/// `topic(named:)` and the `vus` scratch are used by the one producing thread only.
package final class ProducerHandle: @unchecked Sendable {
    let rk: OpaquePointer
    /// The queue delivery reports and errors arrive on.
    let mainQueue: OpaquePointer
    @exclusivity(unchecked) private var topics: [OpaquePointer] = []   // producing thread only; read per record
    private var topicIDs: [String: TopicID] = [:]      // producing thread only
    @exclusivity(unchecked) private var vus: UnsafeMutablePointer<rd_kafka_vu_t>
    @exclusivity(unchecked) private var vuCapacity = 8
    private(set) var topicNames: [String] = []

    /// Whose words a refusal's fix is in: the command's flags, or the library's options.
    package enum Hints { case commandLine, library }

    /// Creates the producer from properties applied in order (later wins).
    package init(properties: [ConfigProperty], hints: Hints = .commandLine) throws(EmitError) {
        let conf = try KafkaConfig.make(properties)
        // Every record must come back with a report (one result each; the drain waits for
        // them). Ask librdkafka how it parsed the setting rather than guess its spellings.
        var value = [CChar](repeating: 0, count: 16)
        var size = value.count
        if rd_kafka_conf_get(conf, "delivery.report.only.error", &value, &size) == RD_KAFKA_CONF_OK,
           cString(value) == "true" {
            rd_kafka_conf_destroy(conf)
            throw .usage(hints == .library
                ? "delivery.report.only.error=true: a sender needs a delivery report for every record; remove the property"
                : "delivery.report.only.error=true: kafka-emit needs a delivery report for every record; use -o none to hide successful results instead")
        }
        rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR | RD_KAFKA_EVENT_STATS))
        rd_kafka_conf_set_log_cb(conf, { rk, level, facility, line in ProducerHandle.log(rk, level, facility, line) })
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            var why = KafkaConfig.redact(cString(errstr), properties)
            if rd_kafka_last_error() == RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE {
                throw .resource("cannot create the producer: \(why); \(WorkerThread.limitHint)")
            }
            if why.contains("enable.idempotence") {
                why += hints == .library
                    ? "; set enable.idempotence=false in SenderOptions.properties with acks 0 or 1"
                    : "; use --no-idempotent (or -X enable.idempotence=false) with acks 0 or 1"
            }
            throw .usage("cannot create the producer: \(why)")
        }
        rk = handle
        mainQueue = rd_kafka_queue_get_main(handle)
        vus = .allocate(capacity: vuCapacity)
    }

    deinit {
        rd_kafka_queue_destroy(mainQueue)
        for t in topics { rd_kafka_topic_destroy(t) }
        rd_kafka_destroy(rk)
        vus.deallocate()
    }

    /// The handle for `name`, created once (producing thread). Throws a usage error naming the
    /// topic when librdkafka refuses it.
    func topic(named name: String) throws(EmitError) -> TopicID {
        if let id = topicIDs[name] { return id }
        guard let t = rd_kafka_topic_new(rk, name, nil) else {
            throw .usage("topic '\(name)': \(String(cString: rd_kafka_err2str(rd_kafka_last_error())))")
        }
        let id = TopicID(index: topics.count)
        topics.append(t)
        topicNames.append(name)
        topicIDs[name] = id
        return id
    }

    func handle(_ id: TopicID) -> OpaquePointer { topics[id.index] }

    /// Hands one record to librdkafka (copied), tagged with `slot`.
    @inline(__always)
    func produce(slot: Int, record: borrowing RecordView, topic: TopicID) -> ProduceOutcome {
        let needed = 7
        if needed > vuCapacity { growVUs(needed) }
        var n = 0
        vus[n].vtype = RD_KAFKA_VTYPE_RKT; vus[n].u.rkt = topics[topic.index]; n += 1
        vus[n].vtype = RD_KAFKA_VTYPE_PARTITION; vus[n].u.i32 = record.partition; n += 1
        vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS; vus[n].u.i = RD_KAFKA_MSG_F_COPY; n += 1
        vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE; vus[n].u.ptr = UnsafeMutableRawPointer(bitPattern: slot); n += 1
        if let value = record.value {
            // A non-nil pointer even for an empty value: NULL means a tombstone to librdkafka.
            vus[n].vtype = RD_KAFKA_VTYPE_VALUE
            vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress ?? Self.emptyBytes)
            vus[n].u.mem.size = value.count
            n += 1
        }
        if let key = record.key {
            vus[n].vtype = RD_KAFKA_VTYPE_KEY
            vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress ?? Self.emptyBytes)
            vus[n].u.mem.size = key.count
            n += 1
        }
        if record.timestampMillis > 0 {
            vus[n].vtype = RD_KAFKA_VTYPE_TIMESTAMP; vus[n].u.i64 = record.timestampMillis; n += 1
        }
        // Our own headers list (not VTYPE_HEADER): names carry their length, so a name with a
        // NUL byte is sent whole. librdkafka takes the list only when it accepts the record.
        var headers: OpaquePointer?
        if record.headers.count > 0 {
            headers = Self.makeHeaders(record.headers)
            vus[n].vtype = RD_KAFKA_VTYPE_HEADERS; vus[n].u.headers = headers; n += 1
        }
        guard let error = rd_kafka_produceva(rk, vus, n) else { return .accepted }
        if let headers { rd_kafka_headers_destroy(headers) }
        let code = rd_kafka_error_code(error)
        defer { rd_kafka_error_destroy(error) }
        if code == RD_KAFKA_RESP_ERR__QUEUE_FULL { return .queueFull }
        return .refused(code: code.rawValue, message: String(cString: rd_kafka_error_string(error)))
    }

    private static func makeHeaders(_ headers: UnsafeBufferPointer<RecordHeaderView>) -> OpaquePointer {
        let list = rd_kafka_headers_new(headers.count)!
        for h in headers {
            let name = h.name.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }
                ?? UnsafeRawPointer(Self.emptyBytes).assumingMemoryBound(to: CChar.self)
            if let v = h.value {
                rd_kafka_header_add(list, name, h.name.count, v.baseAddress ?? Self.emptyBytes, v.count)
            } else {
                rd_kafka_header_add(list, name, h.name.count, nil, 0)
            }
        }
        return list
    }

    /// librdkafka's log lines on stderr, in its own format (`%LEVEL|secs.ms|FACILITY|name| text`),
    /// except a thread it could not create: that error also arrives as an event, and the run
    /// then ends with exit 71 and one line that says so (SPEC §6).
    private static func log(_ rk: OpaquePointer?, _ level: Int32, _ facility: UnsafePointer<CChar>?, _ line: UnsafePointer<CChar>?) {
        let fac = facility.map { String(cString: $0) } ?? ""
        if fac == "THREAD" { return }
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let millis = ts.tv_nsec / 1_000_000
        let name = rk.flatMap { rd_kafka_name($0) }.map { String(cString: $0) } ?? ""
        let text = "%\(level)|\(ts.tv_sec).\(millis < 10 ? "00" : millis < 100 ? "0" : "")\(millis)|\(fac)|\(name)| \(line.map { String(cString: $0) } ?? "")\n"
        writeAll(2, text)
    }

    /// A valid address for empty (non-null) keys, values and headers; never written.
    nonisolated(unsafe) private static let emptyBytes = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))

    @inline(never) private func growVUs(_ needed: Int) {
        vus.deallocate()
        vuCapacity = needed
        vus = .allocate(capacity: needed)
    }

    /// Fails every queued record now (`_PURGE_QUEUE`: never sent), and with `inFlight` the
    /// records awaiting a broker's answer too (`_PURGE_INFLIGHT`, possibly stored: their
    /// reports say so). Each still gets its report.
    func purge(inFlight: Bool) {
        rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | (inFlight ? RD_KAFKA_PURGE_F_INFLIGHT : 0)))
    }

    /// The effective configuration as librdkafka holds it, secrets redacted (`--verbose`).
    package var effectiveConfig: [(String, String)] { KafkaConfig.dump(rd_kafka_conf(rk)) }

    /// Triggers a fatal error the way a real one arrives (librdkafka's testing hook), for tests.
    func injectFatalError(_ reason: String) {
        rd_kafka_test_fatal_error(rk, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, reason)
    }

}
