/// Transactional sending: records go in windows, each one transaction; a record's result is
/// written once its window committed, or failed when it aborted (SPEC §2, `txn=K`).
extension SendLoop {
    /// Starts the transactional producer, waiting up to the connect timeout for a coordinator.
    /// False: the run cannot send (unreachable, or a fatal error), and the reason is recorded.
    func initTransactions() -> Bool {
        let deadline = Clock.monotonicNanos() + options.connectTimeoutNanos
        while true {
            let now = Clock.monotonicNanos()
            let ms = Int32(max(1, min(1_000, (deadline > now ? deadline - now : 0) / 1_000_000)))
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
    /// hands every record of it to the sink with that outcome.
    func closeWindow() {
        guard window.isOpen else { return }
        reports.producerWillWait()
        var committed = false
        var reason: (code: Int32, message: String) = (LibrdkafkaInfo.purgeQueueCode, "interrupted by a second signal")
        let started = Clock.monotonicNanos()
        if window.poisoned.load(ordering: .acquiring) {
            reason = abortWindow() ?? reason
        } else if stop.signalCount < 2 {
            commit: while true {
                switch producer.commitTransaction(timeoutMs: 200) {
                case .ok:
                    committed = true
                    _ = txnStats.commitMicros.record((Clock.monotonicNanos() - started) / 1000)
                    break commit
                case .retriable:
                    // The commit waits for the window's last deliveries; only a second signal gives up.
                    if stop.signalCount >= 2 { reason.message = "interrupted by a second signal while committing"; break commit }
                case .abortable(let code, let message):
                    reason = abortWindow() ?? (code, message)
                    break commit
                case .fatal(let code, let message):
                    reason = (code, fatalText(code, message))
                    recordFatal(code: code, message: reason.message)
                    break commit
                }
            }
        } else {
            reason = abortWindow() ?? reason
        }
        let freed = reports.sinkLock.locked {
            let why = window.failure ?? reason
            return window.resolve(committed: committed, reason: why) { batch in
                account(batch)
                sink.deliveries(batch, nowNanos: Clock.monotonicNanos())
            }
        }
        for f in freed { slots.releaseLocally(f.slot, completed: f.local ? 0 : 1) }
        if committed { txnStats.committed += 1 } else { txnStats.aborted += 1 }
    }

    /// Aborts the open transaction; the reason if librdkafka gave one beyond the window's own.
    private func abortWindow() -> (code: Int32, message: String)? {
        while true {
            switch producer.abortTransaction(timeoutMs: 200) {
            case .ok: return nil
            case .retriable(let code, let message):
                if stop.signalCount >= 2 { return (code, message) }
            case .abortable(let code, let message):
                return (code, message)
            case .fatal(let code, let message):
                recordFatal(code: code, message: fatalText(code, message))
                return (code, fatalText(code, message))
            }
        }
    }

    private func fatalText(_ code: Int32, _ message: String) -> String {
        guard code == LibrdkafkaInfo.fencedCode else { return message }
        let id = options.transactions?.transactionalID ?? ""
        return "the producer was fenced: another producer uses transactional.id '\(id)' (\(message))"
    }

    func recordFatal(code: Int32, message: String) {
        reports.sinkLock.locked {
            if fatalError == nil {
                fatalError = message
                options.diagnostic?("fatal producer error: \(message)")
            }
        }
        stop.request(.fatalError)
    }
}
