import Synchronization
#if canImport(Glibc)
import Glibc
#endif

// Threads (DESIGN.md "Threads"), and the only lock order.
//
// - The producing thread runs `SendLoop.run` (the CLI's main thread; a `KafkaSender`'s own
//   "kafka-sender" thread, `SenderEngine.run`): it takes records from the source, paces
//   them, takes an in-flight slot, produces, and serves delivery reports itself while it sends
//   in bulk; then it drains. In the CLI signals land on it (every other thread blocks them).
//   A sender's callers (tasks, threads) only put records in its engine's mailbox.
// - The reporter thread (`ReportServer`) serves reports otherwise, woken by the report
//   queue's IO event, and flushes the sink when idle.
// - The watch thread (`SendLoop.startWatch`) proves a broker answers within the connect
//   timeout, or stops the run and purges what is queued. It is detached: one metadata request
//   to a slow broker may take the whole connect timeout, and the run does not wait for it.
// - The progress thread (CLI: `--stats-interval`, SIGUSR1) reads the atomic counters without
//   a lock, and takes the latency window out of the sink's statistics under the sink lock.
// - librdkafka's own threads talk to brokers.
// - A dry run (`SendLoop(sendingNowhere:)`) has the producing thread alone: its producer
//   reports each record itself before `produce` returns (a local-only `ReportServer`, no
//   reporter, no watch), still holding the sink lock.
//
// Locks, always taken in this order and never the other way round:
//   1. `reachability`'s mutex: the watch holds it while acting on its verdict (purge reason,
//      stop, purge), so the run's end (`finish`) cannot pass it half-way.
//   2. `ReportServer.serveLock`: whoever holds it pops and handles report events, so results
//      keep completion order whichever thread serves them.
//   3. `ReportServer.sinkLock`, taken through `withSink`: held around every call into the sink
//      and into `SendLoop`'s handler methods but `statistics` (librdkafka's statistics JSON
//      goes to `SendOptions.statistics`, which orders its own writes: the CLI's stats file has
//      its own mutex); readers of the sink's state and of the fields below written under it
//      take it too.
//   4. Leaves, held only for a moment and never while calling out or taking another lock:
//      `InFlightSlots`' waiter mutex and `watchWake`'s (inside wait/signal); the CLI's
//      `TopicNames` mutex (the producing thread adds a topic; the serving thread, holding the
//      sink lock, copies the list); the CLI's `TerminalBar` lock (taken holding the sink lock
//      by the writer's flush, or alone by the progress thread); the stats file's first-failure
//      mutex; `KeptUntilExit`'s list; the library's `SenderEngine` mailbox mutex (callers
//      put records, the producing thread takes them; its `wake` waiter's mutex is taken
//      first, inside a wait), and each results stream's and blocking send's state mutex
//      (taken by `receive` holding the sink lock, by the feeder and by the consumer; every
//      continuation is resumed after it is released). A blocking send's `onResult` runs
//      holding the sink lock: it may hand the sender more records, never wait for results.
//   (So the order is 1 → 2 → 3 → 4, and the old `KafkaSender.sendLock` is gone: callers of
//   one sender never wait for each other, only for room in the in-flight window.)

/// The one loop that sends records: source → pacer → slot → produce, with backpressure,
/// stop-on-error, signals, the connectivity check and the drain. The CLI (a send and a
/// `--dry-run`, whose producer sends nowhere) and `KafkaSender` all run it.
///
/// `@unchecked Sendable` — invariant: `attempted`, `clusterReady`, `lastTopic` and the source
/// are touched by the producing thread only; what the other threads touch is atomic, behind a
/// `Mutex`, or read and written holding the report server's sink lock (`purgeReason`,
/// `lastClientError`, `fatalError`, `resourceError`, `incompatibleBroker`, the sink).
package final class SendLoop<Sink: ResultSink>: @unchecked Sendable {
    let producer: any RecordProducer
    /// `producer` when it is librdkafka's: `send` calls it directly, not through the protocol's
    /// witness (a call per record; the split put the loop and the command in two modules).
    let kafka: ProducerHandle?
    /// The producer delivers every record itself, at once (`NowhereProducer`): no broker to
    /// watch for, no transactions.
    let sendsNowhere: Bool
    package let slots: InFlightSlots
    package let reports: ReportServer
    package let sink: Sink
    package let stop: StopSignal
    let options: SendOptions
    let defaultTopic: TopicID?

    /// Records handed over or reported as failed (producing thread).
    @exclusivity(unchecked) var attempted = 0
    @exclusivity(unchecked) var clusterReady = false
    @exclusivity(unchecked) var lastTopic: (name: [UInt8], id: TopicID)?
    /// Before the cluster has answered, queue only this many records: otherwise the whole
    /// in-flight window piles up in librdkafka's queue (memory) before the first send.
    static var recordsBeforeConnected: Int { 10_000 }
    /// Send time for latency, shared by up to `stampRecords` records produced back to back: a
    /// clock read costs ~25 ns here, a tenth of producing a record. They are < 1 µs apart, so
    /// a shared stamp is early by ~10 µs at most, against latencies of milliseconds in a bulk
    /// run. Paced records, and the first after any wait (for input, a slot, the queue) or
    /// after serving reports, read the clock.
    @exclusivity(unchecked) private var stampNanos: UInt64 = 0
    @exclusivity(unchecked) private var stampLeft = 0
    static var stampRecords: Int { 16 }

    // Written under the sink lock; read by anyone.
    package let delivered = Atomic<Int>(0)
    package let failed = Atomic<Int>(0)
    /// Failed as librdkafka reports them, but possibly stored (SPEC §4 `unknown`).
    package let unknown = Atomic<Int>(0)
    var purgeReason: UnsafeMutableRawBufferPointer?
    var lastClientError: String?
    var fatalError: String?
    /// The system refused something the run needs (a thread, a descriptor): why.
    var resourceError: String?
    /// A broker answered, but this librdkafka cannot read its protocol: what to tell the user.
    var incompatibleBroker: String?
    /// The watch's verdict; its lock also orders the watch's acting against the run's end.
    let reachability = Mutex<Reachability?>(nil)
    let watchDone = Atomic<Bool>(false)
    /// Wakes the connectivity check when the run ends.
    let watchWake = Waiter()
    /// The open transaction, and what the run's transactions did (producing thread).
    let window = TransactionWindow()
    var txnStats = TransactionStats()
    /// How long a commit or abort may keep failing before the run gives up on it (transactions).
    let transactionGiveUpNanos: UInt64

    package convenience init(producer: ProducerHandle, slots: Int, sink: Sink, stop: StopSignal, options: SendOptions) throws(EmitError) {
        try self.init(using: producer, slots: slots, sink: sink, stop: stop, options: options)
    }

    /// A loop whose producer sends nowhere (`--dry-run`): each record goes through the same
    /// source handling, shard filter, pacer, stop-on-error and signals, then is delivered at
    /// once to `sink`, without librdkafka. One slot: it is free again before `send` returns.
    package convenience init(sendingNowhere sink: Sink, stop: StopSignal, options: SendOptions) throws(EmitError) {
        var options = options
        options.transactions = nil
        try self.init(using: NowhereProducer(), slots: 1, sink: sink, stop: stop, options: options)
    }

    private init(using producer: any RecordProducer, slots: Int, sink: Sink, stop: StopSignal, options: SendOptions) throws(EmitError) {
        self.producer = producer
        kafka = producer as? ProducerHandle
        sendsNowhere = producer is NowhereProducer
        self.slots = InFlightSlots(count: slots)
        reports = try producer.makeReportServer(slots: self.slots)
        self.sink = sink
        self.stop = stop
        self.options = options
        transactionGiveUpNanos = options.transactions == nil ? 0 : producer.transactionGiveUpNanos
        defaultTopic = try options.defaultTopic.map { name throws(EmitError) in try producer.topic(named: name) }
    }

    deinit { purgeReason?.deallocate() }

    /// Sends every record of `source` (until it ends, `--duration` is over, or a stop), then
    /// drains: every record handed over gets its result. Never throws: an input error ends
    /// the stream and is returned with the outcome.
    package func run<Source: RecordSource>(_ source: Source, pacer: inout Pacer) -> SendOutcome {
        reports.holdsSlots = options.transactions != nil
        do {
            try reports.start(self)
            if !sendsNowhere { try startWatch() }
        } catch {
            // Nothing was sent: the run ends here, with the reason (exit 71).
            withSink { resourceError = error.message }
            stop.request(.resourceExhausted)
            return finish()
        }
        var inputError: EmitError?
        // The schedule starts once the producer can send: a transactional one first finds its
        // coordinator, and records due meanwhile would otherwise go out in a burst.
        if options.transactions == nil || initTransactions() {
            pacer.begin()
            source.begin(inputDeadlineNanos: pacer.durationEnd)
            do {
                try produceAll(source, &pacer)
            } catch {
                inputError = error
                stop.request(.inputError)
            }
            // The last window commits too: on a first signal as well (a second one aborts it).
            closeWindow()
        }
        var outcome = finish()
        outcome.inputError = inputError
        return outcome
    }

    private func produceAll<Source: RecordSource>(_ source: Source, _ pacer: inout Pacer) throws(EmitError) {
        let stop = self.stop
        var epoch = source.inputEpoch
        while !stop.isStopped {
            let event = try source.advance()
            if let s = options.shard, event != .end, event != .endOfWindow, source.index % s.count != s.index { continue }
            switch event {
            case .end: return
            case .malformed(let message):
                try reportMalformed(source, message)
                continue
            case .endOfWindow:
                closeWindow()
                continue
            case .failed(let code, let message):
                failLocally(RecordView(index: source.index, key: nil, value: nil, headers: RecordView.noHeaders,
                                       correlation: source.malformedCorrelation()), code: code, message: message)
                continue
            case .ready: break
            }
            if pacer.replays { pacer.recordTimestampMillis = source.inputTimestampMillis }
            guard pacer.waitTurn(source.index, shouldStop: { stop.isStopped }, willSleep: { reports.producerWillWait() }) else { return }
            if source.inputEpoch != epoch {   // it may have waited for input: a fresh send time
                epoch = source.inputEpoch
                stampLeft = 0
            }
            var record = source.record()
            if options.rebaseTimestamps { record.timestampMillis = 0 }   // librdkafka's: the send time
            if let why = record.buildError {
                try reportMalformed(source, String(decoding: why, as: UTF8.self))
                continue
            }
            if !send(record, &pacer) { return }
        }
    }

    /// Hands one record to librdkafka: false when the run must stop.
    @inline(__always) private func send(_ record: RecordView, _ pacer: inout Pacer) -> Bool {
        var held = false
        if let t = options.transactions {
            // Committing one window and beginning the next can block: resume the cadence after.
            guard frameTransaction(t, blocked: &held) else { return false }
            if t.callerWindows && window.poisoned.load(ordering: .acquiring) {
                // The caller's window already failed: the rest of it fails with it, unsent.
                failLocally(record, code: LibrdkafkaInfo.purgeQueueCode, message: "not sent: an earlier record of its transaction failed")
                return true
            }
        }
        if !clusterReady && attempted >= Self.recordsBeforeConnected {
            guard waitForCluster(pacer) else { return false }
            held = true
        }
        let topic: TopicID
        if let name = record.topic {
            guard let id = resolve(topic: name, record) else { return true }
            topic = id
        } else if let defaultTopic {
            topic = defaultTopic
        } else {
            failLocally(record, code: LibrdkafkaInfo.invalidArgCode, message: "record \(record.index + 1) names no topic; give -t")
            return true
        }
        var slot: Int
        if let s = slots.tryAcquire() {
            slot = s
        } else if let t = options.transactions, window.isOpen {
            // Every slot holds a record of the open window: it is full.
            closeWindow()
            held = true
            guard frameTransaction(t, blocked: &held), let s = slots.tryAcquire() else { return false }
            slot = s
        } else {
            guard let s = waitForSlot(expired: { pacer.expired }) else { return false }
            slot = s
            held = true
        }
        sink.willSend(slot: slot, record: record, topic: topic)
        while true {
            if options.latencyFromIntended {
                stampNanos = pacer.intendedNanos
            } else if stampLeft == 0 || held || pacer.isPaced {
                stampNanos = Clock.monotonicNanos(); stampLeft = Self.stampRecords
            }
            stampLeft &-= 1
            slots.markSent(slot, at: stampNanos)
            switch kafka?.produce(slot: slot, record: record, topic: topic) ?? producer.produce(slot: slot, record: record, topic: topic) {
            case .accepted:
                if held { pacer.resume(after: record.index) }
                attempted &+= 1
                if options.transactions != nil { window.count += 1 }
                if options.servesReportsOnProducer && attempted & 31 == 0 {
                    reports.serveOnProducer()
                    stampLeft = 0
                }
                return true
            case .queueFull:
                slots.unmarkSent()
                held = true
                if stop.isStopped {
                    slots.releaseLocally(slot, completed: 0)
                    return false
                }
                reports.producerWillWait()
                slots.pause(nanos: 1_000_000)
            case .refused(let code, let message):
                slots.unmarkSent()
                if held { pacer.resume(after: record.index) }
                attempted &+= 1
                if options.transactions != nil { window.count += 1 }
                reports.reportLocalFailure(slot: slot, code: code, message: message, record: record, giveUp: { stop.signalCount >= 2 })
                return true
            }
        }
    }

    /// Runs `body` holding the sink lock (lock 3 above): the sink's state and this loop's fields
    /// written under it, one thread at a time.
    @inline(__always) package func withSink<T>(_ body: () throws -> T) rethrows -> T { try reports.withSink(body) }

    /// Runs `body` holding the sink lock, unless `giveUp` turns true while another thread holds
    /// it (a reporter stuck writing to a stalled stdout): nil then, and `body` did not run.
    @discardableResult
    package func withSink<T>(unless giveUp: () -> Bool, _ body: () throws -> T) rethrows -> T? {
        try reports.withSink(unless: giveUp, body)
    }
}
