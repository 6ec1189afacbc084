
/// The producing side of a `KafkaSender`: one mailbox that any number of callers fill at
/// once, and one send loop (`SendLoop`, the CLI's) that empties it on a thread of its own,
/// started by the first record and kept until `close` — so every caller shares the producer,
/// its batching and its in-flight window, and none holds a lock while its record travels.
///
/// A run ends early when no broker answers within the connect timeout, or on a fatal error:
/// what it could not send fails with that cause. After a fatal error the producer is done
/// and every later record fails at once; after the other ends, the next record starts a
/// new run (and a new connectivity check).
final class SenderEngine: Sendable {
    let producer: ProducerHandle
    private let options: SenderOptions
    private let state = Locked(State())
    /// Wakes the producing thread when records arrive or the sender closes.
    private let wake = Waiter()

    private struct State {
        var queue: [Submission] = []
        /// Records the producing thread has handed to librdkafka, given back so that the next
        /// caller to submit releases them on its own thread. Their bytes were most likely
        /// allocated there: freed on the producing thread instead, every free took the
        /// allocating thread's malloc arena lock against its mallocs (a quarter of a stream's
        /// context switches were that lock, perf sched_switch).
        var spent: [OutgoingRecord] = []
        var run = RunState.idle
        var producerWaiting = false
        var closing = false
        /// Tasks in `close()`, resumed when the run has ended.
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private enum SubmitNext { case none, wake, start, refuse(KafkaSenderError) }

    private enum RunState {
        case idle
        case running(StopSignal)
        /// The producer hit a fatal error: it can send no more.
        case fatal(KafkaSenderError)
    }

    init(producer: ProducerHandle, options: SenderOptions) {
        self.producer = producer
        self.options = options
    }

    /// Puts records (and window ends) in the mailbox, starting a run if none is on. Returns
    /// the error every one of them fails with when the sender cannot take them.
    func submit(_ items: some Collection<Submission>) -> KafkaSenderError? {
        var spent: [OutgoingRecord] = []   // released here, after the lock (see `State.spent`)
        let next: SubmitNext = state.withLock { st in
            swap(&st.spent, &spent)
            if st.closing { return .refuse(Self.closedError) }
            if case .fatal(let e) = st.run { return .refuse(e) }
            st.queue.append(contentsOf: items)
            return Self.afterQueueing(&st)
        }
        return act(next)
    }

    func submit(_ item: Submission) -> KafkaSenderError? { submit(CollectionOfOne(item)) }

    /// `submit` for a batch the caller gives up: an empty mailbox takes the array itself (no
    /// copy of its records); `items` comes back empty either way.
    func submit(handingOver items: inout [Submission]) -> KafkaSenderError? {
        var spent: [OutgoingRecord] = []   // released here, after the lock (see `State.spent`)
        let next: SubmitNext = state.withLock { st in
            swap(&st.spent, &spent)
            if st.closing { return .refuse(Self.closedError) }
            if case .fatal(let e) = st.run { return .refuse(e) }
            if st.queue.isEmpty { swap(&st.queue, &items) } else { st.queue.append(contentsOf: items) }
            return Self.afterQueueing(&st)
        }
        items.removeAll(keepingCapacity: true)
        return act(next)
    }

    private static func afterQueueing(_ st: inout State) -> SubmitNext {
        if case .idle = st.run {
            st.run = .running(StopSignal())
            return .start
        }
        // Only a producing thread that said it waits needs the (costlier) signal.
        if st.producerWaiting { st.producerWaiting = false; return .wake }
        return .none
    }

    private func act(_ next: SubmitNext) -> KafkaSenderError? {
        switch next {
        case .refuse(let e): return e
        case .start: startRun()
        case .wake: wake.signal()
        case .none: break
        }
        return nil
    }

    /// Producing thread: moves what the mailbox holds into `batch`, waiting for it; false when
    /// the run is to end (the sender closes with nothing left, or the loop was stopped).
    /// `spent`: records the thread is done with, given back (see `State.spent`); emptied.
    func take(into batch: inout [Submission], returning spent: inout [OutgoingRecord], stop: StopSignal,
              willWait: () -> Void) -> Bool {
        var waited = false
        while true {
            if stop.isStopped { return false }
            let got: Bool? = state.withLock { st in
                if !spent.isEmpty {
                    if st.spent.isEmpty { swap(&st.spent, &spent) } else { st.spent.append(contentsOf: spent) }
                }
                if !st.queue.isEmpty { swap(&st.queue, &batch); return true }
                if st.closing { return false }
                st.producerWaiting = true
                return nil
            }
            if let got { return got }
            if !waited { willWait(); waited = true }
            // Short waits: a stop request (the connectivity check) does not signal this waiter.
            wake.wait(nanos: 50_000_000) { state.withLock { !$0.queue.isEmpty || $0.closing } }
        }
    }

    /// No more records: the run sends what the mailbox holds, drains, and ends. Returns at
    /// once; `waitUntilClosed` waits for the end.
    func close() {
        state.withLock { $0.closing = true }
        wake.signal()
    }

    /// Waits until the run (if any) has ended: every record handed over has its result.
    func waitUntilClosed() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { st -> Bool in
                st.closing = true
                if case .running = st.run { st.closeWaiters.append(c); return false }
                return true
            }
            wake.signal()
            if resumeNow { c.resume() }
        }
    }

    /// Stops the running loop from taking more records; what was taken still gets results.
    func requestStop() {
        let (stop, queued): (StopSignal?, [Submission]) = state.withLock { st in
            let queued = st.queue
            st.queue = []
            if case .running(let s) = st.run { return (s, queued) }
            return (nil, queued)
        }
        // A first signal's stop: in-flight records drain to their real outcome.
        stop?.request(.interrupted)
        wake.signal()
        let failure = Result<RecordMetadata, KafkaSenderError>.failure(Self.stoppedError)
        for case .record(_, let w) in queued { w.resolve(failure, latency: .zero) }
    }

    static let stoppedError = KafkaSenderError(cause: .stopped, code: LibrdkafkaInfo.purgeQueueCode,
                                               message: "not sent: the sender was stopped (requestStop)")

    static let closedError = KafkaSenderError(cause: .closed, message: "the sender is closed")

    private func startRun() {
        guard case .running(let stop) = state.withLock({ $0.run }) else { return }
        do {
            try WorkerThread(name: "kafka-sender") { [self] in run(stop) }.detach()
        } catch {
            end(KafkaSenderError(cause: .resourceExhausted, code: LibrdkafkaInfo.critSysResourceCode, message: error.message),
                fatal: false, leftovers: [])
        }
    }

    private func run(_ stop: StopSignal) {
        let slots = max(1, options.maxInFlight)
        let session = SenderSession(engine: self, stop: stop, slots: slots)
        var loopOptions = SendOptions()
        loopOptions.stopOnError = false
        loopOptions.connectTimeoutNanos = Self.nanos(options.connectTimeout)
        if let id = options.transactionalID {
            loopOptions.transactions = TransactionOptions(transactionalID: id, maxRecords: Int.max, maxNanos: nil, callerWindows: true)
        }
        let loop: SendLoop<SenderSession>
        do {
            loop = try SendLoop(producer: producer, slots: slots, sink: session, stop: stop, options: loopOptions)
        } catch {
            end(KafkaSenderError(cause: .resourceExhausted, code: LibrdkafkaInfo.critSysResourceCode, message: error.message),
                fatal: false, leftovers: [])
            return
        }
        session.willWait = { [unowned loop] in loop.reports.producerWillWait() }
        session.purgeCause = { [unowned loop] in
            let cause = Self.cause(of: loop.stop.reason, loop.reachability.withLock { $0 })
            return (cause, cause == .fatal ? loop.fatalError : nil)
        }
        var pacer = Pacer(.unpaced, durationNanos: nil, clock: SystemClock())
        let outcome = loop.run(session, pacer: &pacer)
        let error = Self.error(ending: outcome)
        end(error ?? Self.closedError, fatal: outcome.stopReason == .fatalError, leftovers: session.leftovers())
    }

    /// The run is over: fails what it never took, and settles what the next record meets.
    /// Records that reached the mailbox after the run stopped taking them were never part of
    /// it: a new run takes them (with its own connectivity check), unless the producer is done.
    private func end(_ error: KafkaSenderError, fatal: Bool, leftovers: [ResultWaiter]) {
        let (queued, waiters, again) = state.withLock { st in
            st.producerWaiting = false
            if !fatal && !st.closing && !st.queue.isEmpty {
                st.run = .running(StopSignal())
                return ([Submission](), [CheckedContinuation<Void, Never>](), true)
            }
            let queued = st.queue
            st.queue = []
            st.spent = []
            st.run = fatal ? .fatal(error) : .idle
            let waiters = st.closeWaiters
            st.closeWaiters = []
            return (queued, waiters, false)
        }
        let failure = Result<RecordMetadata, KafkaSenderError>.failure(error)
        for w in leftovers { w.resolve(failure, latency: .zero) }
        for case .record(_, let w) in queued { w.resolve(failure, latency: .zero) }
        for c in waiters { c.resume() }
        if again { startRun() }
    }

    /// Why records were purged, from the loop's stop reason.
    static func cause(of reason: StopReason, _ reachability: Reachability?) -> KafkaSenderError.Cause {
        switch reason {
        case .unreachable:
            if case .topicMissing = reachability { return .topicMissing }
            return .brokerUnreachable
        case .fatalError: return .fatal
        case .incompatibleBroker: return .incompatibleBroker
        case .resourceExhausted: return .resourceExhausted
        default:
            switch reachability {
            case .unreachable: return .brokerUnreachable
            case .topicMissing: return .topicMissing
            default: return .stopped
            }
        }
    }

    /// Why a run ended before the sender closed; nil when it just ran out of records.
    static func error(ending outcome: SendOutcome) -> KafkaSenderError? {
        switch outcome.stopReason {
        case .unreachable:
            if case .topicMissing(let why) = outcome.reachability {
                return KafkaSenderError(cause: .topicMissing, code: LibrdkafkaInfo.unknownTopicCode,
                                        message: "the topic does not exist and was not created (\(why))")
            }
            return KafkaSenderError(cause: .brokerUnreachable, code: LibrdkafkaInfo.transportCode,
                                    message: "no broker reachable within the connect timeout" + (outcome.lastClientError.map { " (last error: \($0))" } ?? ""))
        case .fatalError:
            return KafkaSenderError(cause: .fatal, code: LibrdkafkaInfo.fatalCode, message: outcome.fatalError ?? "fatal producer error")
        case .incompatibleBroker:
            return KafkaSenderError(cause: .incompatibleBroker, code: LibrdkafkaInfo.transportCode,
                                    message: outcome.incompatibleBroker ?? "this librdkafka cannot read the broker's replies")
        case .resourceExhausted:
            return KafkaSenderError(cause: .resourceExhausted, code: LibrdkafkaInfo.critSysResourceCode,
                                    message: outcome.resourceError ?? "the system refused a thread or a file descriptor")
        case .interrupted:
            return stoppedError
        default:
            return nil
        }
    }

    static func nanos(_ d: Duration) -> UInt64 {
        let (s, atto) = d.components
        guard s >= 0 else { return 0 }
        return UInt64(clamping: s) &* 1_000_000_000 &+ UInt64(atto / 1_000_000_000)
    }
}
