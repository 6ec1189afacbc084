import Crdkafka
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One header of an outgoing record: a NUL-terminated name kept for the whole run and a
/// value valid for the duration of one `produce` call.
public struct OutgoingHeader {
    public var name: UnsafePointer<CChar>
    public var value: UnsafeRawBufferPointer?

    public init(name: UnsafePointer<CChar>, value: UnsafeRawBufferPointer?) {
        self.name = name
        self.value = value
    }
}

/// A delivery report copied out of librdkafka's message before the event is destroyed.
/// `key` and `value` point into the message and are valid only during the handler call.
public struct DeliveryReport {
    /// The in-flight slot the record occupied; index into the caller's per-record state.
    public var slot: Int
    /// 0 on success, else a librdkafka `rd_kafka_resp_err_t` code.
    public var errorCode: Int32
    public var partition: Int32
    public var offset: Int64
    public var timestampMillis: Int64
    public var key: UnsafeRawBufferPointer?
    public var value: UnsafeRawBufferPointer?
    /// Monotonic time the record was handed to librdkafka.
    public var sentNanos: UInt64
    /// For failures found at produce time, librdkafka's message as a C string valid during
    /// the handler call (else the message is derived from the code). Keeps the struct trivial.
    public var detail: UnsafePointer<CChar>?

    public var succeeded: Bool { errorCode == 0 }

    /// Microseconds from handing the record to librdkafka to `nowNanos`.
    @inline(__always) public func latencyMicros(now nowNanos: UInt64) -> UInt64 {
        nowNanos > sentNanos ? (nowNanos - sentNanos) / 1000 : 0
    }
    public var errorName: String { LibrdkafkaInfo.errorName(errorCode) }
    public var errorMessage: String { detail.map { String(cString: $0) } ?? LibrdkafkaInfo.errorDescription(errorCode) }
}

/// Receives delivery reports. Calls come from the reporter thread or, while it sends in bulk,
/// the producing thread (which also reports produce-time failures); the engine's lock
/// serialises them, and reports arrive in completion order.
public protocol DeliveryHandler: AnyObject, Sendable {
    /// A batch of reports; `nowNanos` is one monotonic reading for the batch.
    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64)
    /// The reporter is about to block: flush buffered output.
    func idle()
    /// An ERROR event from librdkafka (broker down, fatal idempotence error, ...).
    func clientError(code: Int32, message: String, fatal: Bool)
}

/// The producer side of librdkafka: owns `rd_kafka_t`, the topic handle, the produce call,
/// the reporter thread serving DR/ERROR events, and the in-flight slot pool that gives
/// backpressure (`max-in-flight`).
///
/// Threads: `acquireSlot`, `produce`, `releaseUnsent` and `reportLocalFailure` are called
/// from one producing thread; the reporter thread calls the handler. `@unchecked Sendable`:
/// the producer-only fields are touched by that one thread, the hand-off of freed slots is
/// a single-producer/single-consumer ring published with acquire/release atomics, and
/// per-slot data written before `produce` is read by the reporter only after librdkafka
/// hands back the delivery report (which passes through librdkafka's locked queues).
public final class DeliveryEngine: @unchecked Sendable {
    let rk: OpaquePointer
    /// The main topic's handle; nil for a sender whose records name their own topics.
    let rkt: OpaquePointer?
    private let queue: OpaquePointer
    public let slotCount: Int

    // Per-slot send time, written by the producer before produce, read by the reporter.
    private let sentAt: UnsafeMutablePointer<UInt64>

    // Freed slots travel reporter -> producer through this SPSC ring.
    private let freeRing: UnsafeMutablePointer<Int32>
    private let freeMask: Int
    private let freeTail = Atomic<Int>(0)     // written by the reporter
    private var freeHead = 0                  // producer only
    private var neverUsed = 0                 // producer only: slots not yet handed out
    private var localFree: [Int32] = []       // producer only: slots it released itself

    private let sentCount = Atomic<Int>(0)
    private let completedCount = Atomic<Int>(0)
    private let producerWaiting = Atomic<Bool>(false)
    private let reporterStop = Atomic<Bool>(false)
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Whoever holds it pops and handles reports, one event at a time, so result lines keep
    /// completion order whichever thread serves them.
    private let serveLock = ServeLock()
    /// Monotonic time the producing thread last served reports itself.
    private let producerServedAt = Atomic<UInt64>(0)
    private let ready = Atomic<Bool>(false)

    /// The cluster answered for the topic (set by the connectivity check).
    public func markReady() { ready.store(true, ordering: .releasing) }
    public var isReady: Bool { ready.load(ordering: .acquiring) }
    let waiter = Waiter()

    private var vus: UnsafeMutablePointer<rd_kafka_vu_t>
    private var vuCapacity: Int
    private var reporter: WorkerThread?
    private var handler: (any DeliveryHandler)?
    private var extraTopics: [String: OpaquePointer] = [:]   // producer only

    /// Creates the producer. `conf` is consumed (librdkafka owns it from here on).
    init(conf: OpaquePointer, topic: String?, slots: Int) throws(EmitError) {
        // Every record must come back with a report (one result line each; the drain waits
        // for them). Ask librdkafka how it parsed the setting rather than guess its spellings.
        var value = [CChar](repeating: 0, count: 16)
        var size = value.count
        if rd_kafka_conf_get(conf, "delivery.report.only.error", &value, &size) == RD_KAFKA_CONF_OK,
           cString(value) == "true" {
            rd_kafka_conf_destroy(conf)
            throw .usage("delivery.report.only.error=true: kafka-emit needs a delivery report for every record; use -o none to hide successful results instead")
        }
        rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR))
        var errstr = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errstr, errstr.count) else {
            rd_kafka_conf_destroy(conf)
            var why = cString(errstr)
            if why.contains("enable.idempotence") {
                why += "; use --no-idempotent (or -X enable.idempotence=false) with acks 0 or 1"
            }
            throw .usage("cannot create the producer: \(why)")
        }
        rk = handle
        if let topic {
            guard let topicHandle = rd_kafka_topic_new(handle, topic, nil) else {
                let code = rd_kafka_last_error()
                rd_kafka_destroy(handle)
                throw .usage("--topic '\(topic)': \(String(cString: rd_kafka_err2str(code)))")
            }
            rkt = topicHandle
        } else {
            rkt = nil
        }
        queue = rd_kafka_queue_get_main(handle)
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds { _ = fcntl(fd, F_SETFL, O_NONBLOCK); _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        // librdkafka writes a byte here whenever the report queue goes from empty to non-empty,
        // so the reporter can wait for reports without popping them.
        var one: UInt8 = 1
        rd_kafka_queue_io_event_enable(queue, wakeWrite, &one, 1)
        slotCount = max(1, slots)
        sentAt = .allocate(capacity: slotCount)
        // Not initialised: a slot's send time is written before its record is handed over.
        var ringSize = 1
        while ringSize < slotCount { ringSize <<= 1 }
        freeRing = .allocate(capacity: ringSize)
        freeMask = ringSize - 1
        vuCapacity = 16
        vus = .allocate(capacity: vuCapacity)
    }

    deinit {
        rd_kafka_queue_io_event_enable(queue, -1, nil, 0)
        close(wakeRead)
        close(wakeWrite)
        rd_kafka_queue_destroy(queue)
        for (_, t) in extraTopics { rd_kafka_topic_destroy(t) }
        if let rkt { rd_kafka_topic_destroy(rkt) }
        rd_kafka_destroy(rk)
        sentAt.deallocate()
        freeRing.deallocate()
        vus.deallocate()
    }

    // MARK: reporter thread

    /// A topic handle for records sent elsewhere than the engine's main topic (cached).
    public func topicHandle(named name: String) throws(EmitError) -> OpaquePointer {
        if let t = extraTopics[name] { return t }
        guard let t = rd_kafka_topic_new(rk, name, nil) else {
            throw .usage("topic '\(name)': \(String(cString: rd_kafka_err2str(rd_kafka_last_error())))")
        }
        extraTopics[name] = t
        return t
    }

    public func startReporter(_ handler: any DeliveryHandler) {
        reporterStop.store(false, ordering: .releasing)
        self.handler = handler
        reporter = WorkerThread(name: "kafka-emit-dr") { [self] in self.reportLoop(handler) }
    }

    /// Per-thread scratch for turning one DR event into reports.
    final class ReportScratch {
        static let batchMax = 1024
        let msgs = UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>.allocate(capacity: batchMax)
        let reports = UnsafeMutablePointer<DeliveryReport>.allocate(capacity: batchMax)
        deinit { msgs.deallocate(); reports.deallocate() }
    }

    private func reportLoop(_ handler: any DeliveryHandler) {
        let scratch = ReportScratch()
        var pfd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        var sink = [UInt8](repeating: 0, count: 256)
        while true {
            let stopping = reporterStop.load(ordering: .acquiring)
            // While the producing thread is serving reports itself (bulk sending), stay out of
            // its way: two threads freeing and allocating messages contend on malloc's locks.
            let servedAt = producerServedAt.load(ordering: .relaxed)
            let producerServing = servedAt != 0 && Clock.monotonicNanos() &- servedAt < Self.producerServingWindow
            if producerServing && !stopping {
                // Lines the producer formatted still reach stdout promptly.
                waiter.locked { handler.idle() }
            } else {
                serveLock.lock()
                while let ev = rd_kafka_queue_poll(queue, 0) {
                    process(ev, handler, scratch, byProducer: false)
                    rd_kafka_event_destroy(ev)
                }
                serveLock.unlock()
                waiter.locked { handler.idle() }
                if stopping { break }
            }
            _ = poll(&pfd, 1, producerServing ? 2 : 100)
            while read(wakeRead, &sink, sink.count) > 0 {}
        }
    }

    private static let producerServingWindow: UInt64 = 2_000_000

    /// The producing thread is about to wait (backpressure, pacing, drain): hand report
    /// serving back to the reporter at once instead of after the serving window.
    @inline(__always) public func producerWillWait() {
        guard producerServedAt.load(ordering: .relaxed) != 0 else { return }
        producerServedAt.store(0, ordering: .relaxed)
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
    }

    private let producerScratch = ReportScratch()

    /// Serves reports that are already waiting, on the producing thread (as kcat does between
    /// records): messages are then freed by the thread that allocated them, and the freed slots
    /// come straight back. Non-blocking; skipped while the reporter is serving.
    @inline(__always) public func serveReportsOnProducer() {
        guard let handler, serveLock.tryLock() else { return }
        while let ev = rd_kafka_queue_poll(queue, 0) {
            process(ev, handler, producerScratch, byProducer: true)
            rd_kafka_event_destroy(ev)
        }
        serveLock.unlock()
        producerServedAt.store(Clock.monotonicNanos(), ordering: .relaxed)
    }

    /// Hands one event's reports to the handler; returns how many records it reported.
    @discardableResult
    private func process(_ ev: OpaquePointer, _ handler: any DeliveryHandler, _ scratch: ReportScratch, byProducer: Bool) -> Int {
        let type = rd_kafka_event_type(ev)
        var reported = 0
        if type == RD_KAFKA_EVENT_DR {
            let msgs = scratch.msgs, reports = scratch.reports
            var tstype = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            while true {
                let n = rd_kafka_event_message_array(ev, msgs, ReportScratch.batchMax)
                if n == 0 { break }
                let now = Clock.monotonicNanos()
                var anyDelivered = false
                for k in 0..<n {
                    let m = msgs[k]!.pointee
                    let slot = Int(bitPattern: m._private)
                    anyDelivered = anyDelivered || m.err == RD_KAFKA_RESP_ERR_NO_ERROR
                    reports[k] = DeliveryReport(
                        slot: slot,
                        errorCode: m.err.rawValue,
                        partition: m.partition,
                        offset: m.offset,
                        timestampMillis: rd_kafka_message_timestamp(msgs[k], &tstype),
                        key: m.key.map { UnsafeRawBufferPointer(start: $0, count: m.key_len) },
                        value: m.payload.map { UnsafeRawBufferPointer(start: $0, count: m.len) },
                        sentNanos: sentAt[slot],
                        detail: nil)
                }
                // A delivered record proves the cluster answers for the topic.
                if anyDelivered && !ready.load(ordering: .relaxed) { markReady() }
                waiter.locked { handler.deliveries(UnsafeMutableBufferPointer(start: reports, count: n), nowNanos: now) }
                // Only now may the producer reuse these slots.
                if byProducer {
                    for k in 0..<n { localFree.append(Int32(truncatingIfNeeded: reports[k].slot)) }
                    completedCount.add(n, ordering: .sequentiallyConsistent)
                } else {
                    var tail = freeTail.load(ordering: .relaxed)
                    for k in 0..<n {
                        freeRing[tail & freeMask] = Int32(truncatingIfNeeded: reports[k].slot)
                        tail &+= 1
                    }
                    freeTail.store(tail, ordering: .sequentiallyConsistent)
                    completedCount.add(n, ordering: .sequentiallyConsistent)
                    if producerWaiting.load(ordering: .sequentiallyConsistent) { waiter.signal() }
                }
                reported += n
            }
        } else if type == RD_KAFKA_EVENT_ERROR {
            let code = rd_kafka_event_error(ev).rawValue
            let message = String(cString: rd_kafka_event_error_string(ev))
            let fatal = rd_kafka_event_error_is_fatal(ev) != 0
            waiter.locked { handler.clientError(code: code, message: message, fatal: fatal) }
        }
        return reported
    }

    /// Stops the reporter once it has nothing left to serve. Call after the drain.
    public func stopReporter() {
        reporterStop.store(true, ordering: .releasing)
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
        reporter?.join()
        reporter = nil
        handler = nil
    }

    // MARK: producing thread

    /// Records handed to librdkafka and not yet reported.
    public var inFlight: Int {
        // Completed first: a record is counted sent before it can complete, so this never
        // goes negative.
        let completed = completedCount.load(ordering: .sequentiallyConsistent)
        return sentCount.load(ordering: .sequentiallyConsistent) - completed
    }

    /// A free slot, waiting (backpressure) while `max-in-flight` records are outstanding.
    /// Returns nil when `shouldStop` turns true while waiting.
    @inline(__always) public func acquireSlot(shouldStop: () -> Bool) -> Int? {
        // Recycled slots first: only as many slots (and pages of per-slot state) get touched
        // as records are ever in flight at once.
        if let s = localFree.popLast() { return Int(s) }
        if freeHead != freeTail.load(ordering: .acquiring) {
            let s = freeRing[freeHead & freeMask]
            freeHead &+= 1
            return Int(s)
        }
        if neverUsed < slotCount { neverUsed += 1; return neverUsed - 1 }
        if !waitForSlot(shouldStop) { return nil }
        let s = freeRing[freeHead & freeMask]
        freeHead &+= 1
        return Int(s)
    }

    /// How many times the producer had to wait for room — a free slot or librdkafka's queue
    /// (producer thread only); the pacer resumes its cadence after such waits.
    public private(set) var slotWaits = 0

    @inline(never) private func waitForSlot(_ shouldStop: () -> Bool) -> Bool {
        slotWaits += 1
        producerWillWait()
        while freeHead == freeTail.load(ordering: .acquiring) {
            if shouldStop() { return false }
            producerWaiting.store(true, ordering: .sequentiallyConsistent)
            waiter.wait(nanos: 5_000_000) { freeHead != freeTail.load(ordering: .sequentiallyConsistent) }
            producerWaiting.store(false, ordering: .relaxed)
        }
        return true
    }

    /// Gives back a slot whose record was never accepted by librdkafka.
    public func releaseUnsent(_ slot: Int) { localFree.append(Int32(slot)) }

    /// Outcome of a produce call.
    public enum ProduceOutcome {
        case accepted
        case refused(code: Int32, message: String)
        case stopped
    }

    /// Hands one record to librdkafka (copied), tagged with `slot`. On `QUEUE_FULL` it waits
    /// for delivery reports to free room and retries; it never drops the record.
    @inline(__always)
    public func produce(slot: Int, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
                        headers: UnsafeBufferPointer<OutgoingHeader>, partition: Int32,
                        topic: OpaquePointer? = nil, shouldStop: () -> Bool) -> ProduceOutcome {
        let needed = 6 + headers.count
        if needed > vuCapacity { growVUs(needed) }
        var n = 0
        vus[n].vtype = RD_KAFKA_VTYPE_RKT; vus[n].u.rkt = topic ?? rkt!; n += 1
        vus[n].vtype = RD_KAFKA_VTYPE_PARTITION; vus[n].u.i32 = partition; n += 1
        vus[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS; vus[n].u.i = RD_KAFKA_MSG_F_COPY; n += 1
        vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE; vus[n].u.ptr = UnsafeMutableRawPointer(bitPattern: slot); n += 1
        if let value {
            // A non-nil pointer even for an empty value: NULL means a tombstone to librdkafka.
            vus[n].vtype = RD_KAFKA_VTYPE_VALUE
            vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress ?? Self.emptyBytes)
            vus[n].u.mem.size = value.count
            n += 1
        }
        if let key {
            vus[n].vtype = RD_KAFKA_VTYPE_KEY
            vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress ?? Self.emptyBytes)
            vus[n].u.mem.size = key.count
            n += 1
        }
        for h in headers {
            vus[n].vtype = RD_KAFKA_VTYPE_HEADER
            vus[n].u.header.name = h.name
            if let v = h.value {
                vus[n].u.header.val = v.baseAddress ?? Self.emptyBytes
                vus[n].u.header.size = v.count
            } else {
                vus[n].u.header.val = nil
                vus[n].u.header.size = 0
            }
            n += 1
        }
        sentAt[slot] = Clock.monotonicNanos()
        // Count before handing over: the report may arrive before produceva returns.
        sentCount.add(1, ordering: .sequentiallyConsistent)
        while true {
            guard let error = rd_kafka_produceva(rk, vus, n) else { return .accepted }
            let code = rd_kafka_error_code(error)
            if code == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                rd_kafka_error_destroy(error)
                if shouldStop() {
                    sentCount.subtract(1, ordering: .sequentiallyConsistent)
                    return .stopped
                }
                slotWaits += 1
                producerWillWait()
                waiter.wait(nanos: 1_000_000) { false }
                continue
            }
            let message = String(cString: rd_kafka_error_string(error))
            rd_kafka_error_destroy(error)
            sentCount.subtract(1, ordering: .sequentiallyConsistent)
            return .refused(code: code.rawValue, message: message)
        }
    }

    /// A valid address for empty (non-null) keys, values and headers; never written.
    nonisolated(unsafe) private static let emptyBytes = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1))

    @inline(never) private func growVUs(_ needed: Int) {
        vus.deallocate()
        vuCapacity = needed
        vus = .allocate(capacity: needed)
    }

    /// Reports a record librdkafka refused at produce time through the same handler, so it
    /// gets its `failed` line like any other; the slot is released.
    public func reportLocalFailure(slot: Int, code: Int32, message: String,
                                   key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?, partition: Int32) {
        let now = Clock.monotonicNanos()
        message.withCString { cMessage in
            var report = DeliveryReport(slot: slot, errorCode: code, partition: partition, offset: -1,
                                        timestampMillis: -1, key: key, value: value,
                                        sentNanos: now, detail: cMessage)
            withUnsafeMutablePointer(to: &report) { p in
                waiter.locked { handler?.deliveries(UnsafeMutableBufferPointer(start: p, count: 1), nowNanos: now) }
            }
        }
        releaseUnsent(slot)
    }

    /// Waits until every record handed over has been reported, or `abandon` turns true.
    /// Returns whether the drain completed.
    public func drain(abandon: () -> Bool) -> Bool {
        producerWillWait()
        while inFlight > 0 {
            if abandon() { return false }
            // The reporter signals after each batch while we wait, so the last report ends the wait.
            producerWaiting.store(true, ordering: .sequentiallyConsistent)
            waiter.wait(nanos: 10_000_000) { inFlight == 0 }
            producerWaiting.store(false, ordering: .relaxed)
        }
        return true
    }

    /// Fails every queued and in-flight record now (each still gets its report, with
    /// `_PURGE_QUEUE` / `_PURGE_INFLIGHT`); used when no broker is reachable.
    public func purgeAll() {
        rd_kafka_purge(rk, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
    }

    private static let passiveWaitNanos: UInt64 = 300_000_000

    /// Outcome of the connectivity check.
    public enum Reachability: Sendable, Equatable {
        case reachable(partitions: Int)
        case unreachable(String)
        case topicMissing(String)
        /// The run ended before the check could tell.
        case cancelled
    }

    /// Asks for the topic's metadata until `deadline`: proves a broker answers and that the
    /// topic exists (or was auto-created). Each request waits at most 250 ms, so a stop request
    /// is noticed promptly.
    public func checkReachable(deadlineNanos: UInt64, shouldStop: () -> Bool) -> Reachability {
        var lastTopicError: Int32 = 0
        var lastError = "no broker answered"
        // Usually the first delivery report arrives within milliseconds and settles it; only
        // then ask for metadata. (An extra request on a fresh connection can meet a 40 ms
        // delayed-ACK stall on loopback, which would cost short runs more than it saves.)
        let quiet = min(deadlineNanos, Clock.monotonicNanos() + Self.passiveWaitNanos)
        while Clock.monotonicNanos() < quiet {
            if isReady { return .reachable(partitions: -1) }
            if shouldStop() { return .cancelled }
            Clock.sleep(nanos: 5_000_000)
        }
        if isReady { return .reachable(partitions: -1) }
        while true {
            if shouldStop() { return .cancelled }
            let now = Clock.monotonicNanos()
            if now >= deadlineNanos { break }
            let sliceMs = Int32(max(1, min(250, (deadlineNanos - now) / 1_000_000)))
            var md: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(rk, 0, rkt, &md, sliceMs)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR, let md {
                defer { rd_kafka_metadata_destroy(md) }
                if md.pointee.topic_cnt > 0 {
                    let t = md.pointee.topics[0]
                    if t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0 {
                        return .reachable(partitions: Int(t.partition_cnt))
                    }
                    lastTopicError = t.err.rawValue
                }
                Clock.sleep(nanos: 100_000_000)
                continue
            }
            lastError = LibrdkafkaInfo.errorDescription(err.rawValue)
            if err != RD_KAFKA_RESP_ERR__TIMED_OUT { Clock.sleep(nanos: 50_000_000) }
        }
        if lastTopicError != 0 {
            return .topicMissing("\(LibrdkafkaInfo.errorName(lastTopicError)): \(LibrdkafkaInfo.errorDescription(lastTopicError))")
        }
        return .unreachable(lastError)
    }

    /// The effective configuration (secrets redacted), for `--verbose`.
    public var effectiveConfig: [(String, String)] {
        KafkaConfig.dump(rd_kafka_conf(rk))
    }
}
