import Crdkafka
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Serves librdkafka's delivery reports and error events to one handler, in completion
/// order. Two threads take turns (see "Threads" in SendLoop.swift): the reporter thread,
/// woken by the report queue's IO event, and the producing thread while it sends in bulk
/// (as kcat does between records) — then messages are freed by the thread that allocated
/// them and slots come straight back. Whoever holds `serveLock` pops and handles events.
///
/// `@unchecked Sendable` — invariant: `handler` is set before the reporter starts and
/// cleared after it is joined; the scratch buffers belong to one thread each; every call
/// into the handler but `statistics` is made holding `sinkLock`.
///
/// A local-only server (`init(localOnly:)`, for `NowhereProducer`) has no queue, no pipe and
/// no reporter thread: every report comes from the producing thread through the local paths
/// (`reportLocalDelivery`, `reportLocalFailure`), still holding the sink lock.
package final class ReportServer: @unchecked Sendable {
    /// librdkafka's report queue; nil for a local-only server.
    private let queue: OpaquePointer?
    private let slots: InFlightSlots
    /// Kept so the queue outlives this server: whichever owner lets go last, the deinit below
    /// still talks to a live queue (a crash at exit when the producer went first).
    private let producer: ProducerHandle?
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let serveLock = Lock()
    /// Held around every call into the handler but `statistics`; others take it through
    /// `withSink`. (Not private only while `KafkaSender` still takes it directly.)
    private let sinkLock = Lock()
    private var handler: (any DeliveryHandler)?
    private var thread: WorkerThread?
    private let stopping = Atomic<Bool>(false)
    /// Monotonic time the producing thread last served reports itself (0 = not serving).
    private let producerServedAt = Atomic<UInt64>(0)
    private let delivered = Atomic<Bool>(false)
    private let reporterScratch = Scratch()
    /// Read each message's headers into its report (`%h` in `--format`).
    package var readsHeaders = false
    /// Leave slots taken after their reports were handled (transactions hold results until
    /// the window ends; the send loop releases the slots then).
    var holdsSlots = false
    private let producerScratch = Scratch()

    /// While the producing thread served within this window, the reporter stays out of its way:
    /// two threads freeing and allocating messages contend on malloc's locks.
    private static let producerServingWindow: UInt64 = 2_000_000

    init(producer: ProducerHandle, slots: InFlightSlots) throws(EmitError) {
        self.producer = producer
        queue = producer.mainQueue
        self.slots = slots
        (wakeRead, wakeWrite) = try makeInternalPipe(for: "the delivery report queue")
        // librdkafka writes a byte here whenever the queue goes from empty to non-empty, so
        // the reporter can wait for reports without popping them.
        var one: UInt8 = 1
        rd_kafka_queue_io_event_enable(queue, wakeWrite, &one, 1)
    }

    /// A server for a producer that reports every record itself, at once, on the producing
    /// thread: nothing to poll, nobody to wake.
    init(localOnly slots: InFlightSlots) {
        producer = nil
        queue = nil
        self.slots = slots
        (wakeRead, wakeWrite) = (-1, -1)
    }

    deinit {
        guard let queue else { return }
        rd_kafka_queue_io_event_enable(queue, -1, nil, 0)
        close(wakeRead)
        close(wakeWrite)
    }

    /// A record was delivered: the cluster answers for its topic.
    var anyDelivered: Bool { delivered.load(ordering: .acquiring) }

    func start(_ handler: any DeliveryHandler) throws(EmitError) {
        stopping.store(false, ordering: .releasing)
        self.handler = handler
        guard queue != nil else { return }
        do {
            thread = try WorkerThread(name: "kafka-emit-dr") { [self] in reportLoop(handler) }
        } catch {
            self.handler = nil
            throw error
        }
    }

    /// Stops the reporter once it has served what is waiting. Call after the drain.
    func stop() {
        stopping.store(true, ordering: .releasing)
        wake()
        thread?.join()
        thread = nil
        handler = nil
    }

    private func wake() {
        guard wakeWrite >= 0 else { return }
        var b: UInt8 = 1
        _ = write(wakeWrite, &b, 1)
    }

    private func reportLoop(_ handler: any DeliveryHandler) {
        guard let queue else { return }
        var pfd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        var sink = [UInt8](repeating: 0, count: 256)
        while true {
            let stopRequested = stopping.load(ordering: .acquiring)
            let servedAt = producerServedAt.load(ordering: .relaxed)
            let producerServing = servedAt != 0 && Clock.monotonicNanos() &- servedAt < Self.producerServingWindow
            if !producerServing || stopRequested {
                serveLock.lock()
                while let ev = rd_kafka_queue_poll(queue, 0) {
                    process(ev, handler, reporterScratch, onProducer: false)
                    rd_kafka_event_destroy(ev)
                }
                serveLock.unlock()
            }
            // Lines formatted by either thread reach their reader promptly.
            sinkLock.locked { handler.idle() }
            if stopRequested { break }
            _ = poll(&pfd, 1, producerServing ? 2 : 100)
            while read(wakeRead, &sink, sink.count) > 0 {}
        }
    }

    /// The producing thread is about to wait (backpressure, pacing, drain): hand report
    /// serving back to the reporter at once instead of after the serving window.
    @inline(__always) func producerWillWait() {
        guard producerServedAt.load(ordering: .relaxed) != 0 else { return }
        producerServedAt.store(0, ordering: .relaxed)
        wake()
    }

    /// Serves the reports already waiting, on the producing thread. Non-blocking: skipped
    /// while the reporter serves, or holds the sink (it may be stuck writing to a stalled
    /// stdout, and the producing thread must stay free to notice signals).
    @inline(__always) func serveOnProducer() {
        guard let queue, let handler, serveLock.tryLock() else { return }
        guard sinkLock.tryLock() else { serveLock.unlock(); return }
        while let ev = rd_kafka_queue_poll(queue, 0) {
            process(ev, handler, producerScratch, onProducer: true)
            rd_kafka_event_destroy(ev)
        }
        sinkLock.unlock()
        serveLock.unlock()
        producerServedAt.store(Clock.monotonicNanos(), ordering: .relaxed)
    }

    /// Runs `body` holding the sink lock: the handler's state, one thread at a time.
    @inline(__always) func withSink<T>(_ body: () throws -> T) rethrows -> T { try sinkLock.locked(body) }

    /// Runs `body` holding the sink lock, unless `giveUp` turns true while another thread holds
    /// it (the reporter may be stuck writing to a stalled stdout): nil then, `body` not run.
    @discardableResult
    func withSink<T>(unless giveUp: () -> Bool, _ body: () throws -> T) rethrows -> T? {
        while !sinkLock.tryLock() {
            if giveUp() { return nil }
            Clock.sleep(nanos: 1_000_000)
        }
        defer { sinkLock.unlock() }
        return try body()
    }

    /// A record refused before librdkafka took it (too large, malformed input): reported
    /// through the same handler, so it gets its result like any other; the slot is freed.
    /// Called on the producing thread; `giveUp` abandons the report if the sink stays busy.
    func reportLocalFailure(slot: Int, code: Int32, message: String, record: RecordView, giveUp: () -> Bool) {
        let now = Clock.monotonicNanos()
        withSink(unless: giveUp) {
            var text = message
            text.withUTF8 { text in
                var report = DeliveryReport(slot: slot, errorCode: code, partition: record.partition, offset: -1,
                                            timestampMillis: -1, key: record.key, value: record.value,
                                            sentNanos: now, detail: UnsafeRawBufferPointer(text), local: true)
                withUnsafeMutablePointer(to: &report) { p in
                    handler?.deliveries(UnsafeMutableBufferPointer(start: p, count: 1), nowNanos: now)
                }
            }
        }
        if !holdsSlots { slots.releaseLocally(slot, completed: 0) }
    }

    /// A record the producer delivered itself, at once (`NowhereProducer`): reported through
    /// the same handler, on the producing thread, before `produce` returns; the slot is freed.
    func reportLocalDelivery(slot: Int, record: borrowing RecordView) {
        if !delivered.load(ordering: .relaxed) { delivered.store(true, ordering: .releasing) }
        let sent = slots.sentAt[slot]
        var report = DeliveryReport(slot: slot, errorCode: 0, partition: record.partition, offset: -1,
                                    timestampMillis: record.timestampMillis, key: record.key, value: record.value,
                                    sentNanos: sent, detail: nil)
        sinkLock.locked {
            withUnsafeMutablePointer(to: &report) { p in
                handler?.deliveries(UnsafeMutableBufferPointer(start: p, count: 1), nowNanos: sent)
            }
        }
        if !holdsSlots { slots.releaseLocally(slot, completed: 1) }
    }

    /// Per-thread scratch for turning one DR event into reports.
    private final class Scratch {
        static let batchMax = 1024
        let messages = UnsafeMutablePointer<UnsafePointer<rd_kafka_message_t>?>.allocate(capacity: batchMax)
        let reports = UnsafeMutablePointer<DeliveryReport>.allocate(capacity: batchMax)
        deinit { messages.deallocate(); reports.deallocate() }
    }

    private func process(_ ev: OpaquePointer, _ handler: any DeliveryHandler, _ scratch: Scratch, onProducer: Bool) {
        let type = rd_kafka_event_type(ev)
        if type == RD_KAFKA_EVENT_DR {
            let msgs = scratch.messages, reports = scratch.reports
            var tstype = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
            while true {
                let n = rd_kafka_event_message_array(ev, msgs, Scratch.batchMax)
                if n == 0 { break }
                let now = Clock.monotonicNanos()
                var anyDelivered = false
                for k in 0..<n {
                    let m = msgs[k]!.pointee
                    let slot = Int(bitPattern: m._private)
                    anyDelivered = anyDelivered || m.err == RD_KAFKA_RESP_ERR_NO_ERROR
                    reports[k] = DeliveryReport(
                        slot: slot, errorCode: m.err.rawValue, partition: m.partition,
                        // librdkafka's "no offset" sentinels (acks=0, implicit acks) read as -1.
                        offset: m.offset >= 0 ? m.offset : -1,
                        timestampMillis: rd_kafka_message_timestamp(msgs[k], &tstype),
                        key: m.key.map { UnsafeRawBufferPointer(start: $0, count: m.key_len) },
                        value: m.payload.map { UnsafeRawBufferPointer(start: $0, count: m.len) },
                        sentNanos: slots.sentAt[slot], detail: nil)
                    if readsHeaders { reports[k].headers = MessageHeaders(message: msgs[k]!) }
                    if m.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        reports[k].possiblyPersisted = rd_kafka_message_status(msgs[k]) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED
                    }
                }
                if anyDelivered && !delivered.load(ordering: .relaxed) { delivered.store(true, ordering: .releasing) }
                let batch = UnsafeMutableBufferPointer(start: reports, count: n)
                // The producing thread already holds the sink lock (see serveOnProducer).
                if onProducer { handler.deliveries(batch, nowNanos: now) } else { sinkLock.locked { handler.deliveries(batch, nowNanos: now) } }
                // Only now may these slots be reused.
                if holdsSlots { continue }
                if onProducer { slots.releaseOnProducer(batch) } else { slots.releaseFromReporter(batch) }
            }
        } else if type == RD_KAFKA_EVENT_STATS, let json = rd_kafka_event_stats(ev) {
            // Not under the sink lock (the producing thread happens to hold it): the handler
            // passes it to a writer that orders its own writes (`SendOptions.statistics`).
            handler.statistics(UnsafeRawBufferPointer(start: json, count: strlen(json)))
        } else if type == RD_KAFKA_EVENT_ERROR {
            let code = rd_kafka_event_error(ev).rawValue
            let message = String(cString: rd_kafka_event_error_string(ev))
            let fatal = rd_kafka_event_error_is_fatal(ev) != 0
            if onProducer { handler.clientError(code: code, message: message, fatal: fatal) } else {
                sinkLock.locked { handler.clientError(code: code, message: message, fatal: fatal) }
            }
        }
    }
}
