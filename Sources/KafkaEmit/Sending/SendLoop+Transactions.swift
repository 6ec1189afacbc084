/// Transactional sending: records go in windows, each one transaction; a record's result is
/// written once its window committed, or failed when it aborted (SPEC §2, `txn=K`).
extension SendLoop {
    /// Starts the transactional producer, waiting up to the connect timeout for a coordinator.
    /// False: the run cannot send (unreachable, or a fatal error), and the reason is recorded.
    func initTransactions() -> Bool {
        let deadline = Clock.monotonicNanos() + options.connectTimeoutNanos
        while true {
            let now = Clock.monotonicNanos()
            let ms = Int32(max(1, min(200, (deadline > now ? deadline - now : 0) / 1_000_000)))
            switch producer.initTransactions(timeoutMs: ms) {
            case .ok: return true
            case .retriable(_, let message):
                if stop.isStopped { return false }
                if Clock.monotonicNanos() >= deadline {
                    reachability.withLock { $0 = .unreachable("no transaction coordinator answered: \(message)") }
                    stop.request(.unreachable)
                    return false
                }
            case .abortable(let code, let message), .fatal(let code, let message):
                recordFatal(code: code, message: "transactions could not start: \(message)")
                return false
            }
        }
    }

    /// Before each record: closes the open window when it is full, too old, or holds a failed
    /// record; opens one when none is open. False: the run must stop.
    @inline(never) func frameTransaction(_ t: TransactionOptions, blocked: inout Bool) -> Bool {
        if window.isOpen {
            let expired = t.maxNanos.map { Clock.monotonicNanos() &- window.openedAt >= $0 } ?? false
            let poisoned = window.poisoned.load(ordering: .acquiring)
            if window.count >= t.maxRecords || expired || (poisoned && !t.callerWindows) {
                closeWindow()
                blocked = true
            }
        }
        if stop.isStopped { return false }
        if window.isOpen { return true }
        blocked = true
        switch producer.beginTransaction() {
        case .ok:
            window.open(now: Clock.monotonicNanos())
            return true
        case .retriable(let code, let message), .abortable(let code, let message), .fatal(let code, let message):
            recordFatal(code: code, message: "a transaction could not begin: \(message)")
            return false
        }
    }

    /// Commits the open window, or aborts it (a record failed, a second signal came), and
    /// hands every record of it to the sink with that outcome. A commit or abort that keeps
    /// failing (brokers gone) is given up after `transactionGiveUpNanos`: the window's records
    /// are then failed (never committed) or unknown (the commit may have reached the
    /// coordinator), and the run stops — the producer cannot begin another transaction.
    func closeWindow() {
        guard window.isOpen else { return }
        reports.producerWillWait()
        let started = Clock.monotonicNanos()
        let deadline = started + transactionGiveUpNanos
        let interrupted = (code: LibrdkafkaInfo.purgeQueueCode, message: "interrupted by a second signal")
        var ending = TransactionWindow.Ending.aborted(code: interrupted.code, message: interrupted.message)
        var gaveUp = false
        // Whether EndTxn(commit) may have gone out: a commit first flushes the window's records
        // (librdkafka: "Failed to flush ..." while it cannot), and only then sends it.
        var commitMayBeOut = false
        if window.poisoned.load(ordering: .acquiring) {
            ending = abortWindow(deadline: deadline, else: interrupted, gaveUp: &gaveUp)
        } else if stop.signalCount < 2 {
            commit: while true {
                switch producer.commitTransaction(timeoutMs: 200) {
                case .ok:
                    ending = .committed
                    options.recordCommit?((Clock.monotonicNanos() - started) / 1000)
                    break commit
                case .retriable(let code, let message):
                    if !message.contains("flush") { commitMayBeOut = true }
                    if stop.signalCount >= 2 {
                        let why = "interrupted by a second signal while committing"
                        ending = commitMayBeOut ? .unknown(code: code, message: why) : .aborted(code: code, message: why)
                        break commit
                    }
                    if Clock.monotonicNanos() >= deadline {
                        let why = "its commit \(giveUpText()) (\(message))"
                        ending = commitMayBeOut ? .unknown(code: code, message: why) : .notCommitted(code: code, message: why)
                        gaveUp = true
                        break commit
                    }
                case .abortable(let code, let message):
                    ending = abortWindow(deadline: deadline, else: (code, message), gaveUp: &gaveUp)
                    break commit
                case .fatal(let code, let message):
                    ending = .aborted(code: code, message: fatalText(code, message))
                    recordFatal(code: code, message: fatalText(code, message))
                    break commit
                }
            }
        } else {
            ending = abortWindow(deadline: deadline, else: interrupted, gaveUp: &gaveUp)
        }
        // Why the window failed, if a record of it did: the reason its lines give — unless
        // the records failed only because they are purged below.
        let recordFailure = withSink { window.failure }
        if case .committed = ending {} else if gaveUp || stop.signalCount >= 2 {
            // Every record of the window gets its report before the window is resolved: purge
            // what is still queued or in flight (their reports come at once) and wait for them
            // to be served — briefly after a second signal, whose exit stays within a second.
            producer.purge(inFlight: true)
            let waitEnds = Clock.monotonicNanos() + (stop.signalCount >= 2 ? 300_000_000 : 1_000_000_000)
            while withSink({ window.heldCount }) < window.count && Clock.monotonicNanos() < waitEnds {
                reports.producerWillWait()
                slots.pause(nanos: 2_000_000)
            }
        }
        let freed = withSink {
            // The record that failed is the reason, unless the abort itself could not complete.
            if !gaveUp, let failure = recordFailure, case .aborted = ending { ending = .aborted(code: failure.code, message: failure.message) }
            return window.resolve(ending) { batch in
                account(batch)
                sink.deliveries(batch, nowNanos: Clock.monotonicNanos())
            }
        }
        for f in freed { slots.releaseLocally(f.slot, completed: f.local ? 0 : 1) }
        if case .committed = ending { txnStats.committed += 1 } else { txnStats.aborted += 1 }
        if gaveUp {
            recordFatal(code: LibrdkafkaInfo.timedOutCode, label: "transactions stopped",
                        message: "transaction \(window.number): its commit or abort \(giveUpText()); check that the brokers are up")
        }
    }

    /// "could not complete within 8.000s (transaction.timeout.ms + --delivery-timeout)".
    private func giveUpText() -> String {
        "could not complete within \(DurationParser.format(nanos: transactionGiveUpNanos)) (transaction.timeout.ms + --delivery-timeout)"
    }

    /// Aborts the open transaction, trying until `deadline` (then `gaveUp`). The ending names
    /// librdkafka's reason when it gave one beyond the window's own, else `reason`.
    private func abortWindow(deadline: UInt64, else reason: (code: Int32, message: String),
                             gaveUp: inout Bool) -> TransactionWindow.Ending {
        while true {
            switch producer.abortTransaction(timeoutMs: 200) {
            case .ok: return .aborted(code: reason.code, message: reason.message)
            case .retriable(let code, let message):
                if stop.signalCount >= 2 { return .aborted(code: code, message: message) }
                if Clock.monotonicNanos() >= deadline {
                    gaveUp = true
                    return .notCommitted(code: code, message: "its abort \(giveUpText()) (\(message))")
                }
            case .abortable(let code, let message):
                return .aborted(code: code, message: message)
            case .fatal(let code, let message):
                recordFatal(code: code, message: fatalText(code, message))
                return .aborted(code: code, message: fatalText(code, message))
            }
        }
    }

    private func fatalText(_ code: Int32, _ message: String) -> String {
        guard code == LibrdkafkaInfo.fencedCode else { return message }
        let id = options.transactions?.transactionalID ?? ""
        return "the producer was fenced: another producer uses transactional.id '\(id)' (\(message))"
    }

    func recordFatal(code: Int32, label: String = "fatal producer error", message: String) {
        withSink {
            if fatalError == nil {
                fatalError = message
                options.diagnostic?("\(label): \(message)")
            }
        }
        stop.request(.fatalError)
    }
}
