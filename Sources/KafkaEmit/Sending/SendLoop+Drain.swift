import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How a send loop ended.
struct SendOutcome {
    var attempted = 0
    var delivered = 0
    var failed = 0
    var stopReason: StopReason = .none
    /// The input could not be read (or a malformed record under stop-on-error).
    var inputError: EmitError?
    var reachability: Reachability?
    var fatalError: String?
    var lastClientError: String?
    /// Records still in flight when a second signal abandoned the drain; nil = drained.
    var abandoned: Int?
    /// What the run's transactions did (transactional runs only).
    var transactions: TransactionStats?
}

extension SendLoop {
    /// Waits until every record handed over has been reported, purging what can no longer be
    /// delivered (no broker, a fatal error, a cancelled send, Ctrl-C before any broker
    /// answered). A second signal abandons the wait: the producer is then left to process exit.
    func finish() -> SendOutcome {
        reports.producerWillWait()
        var abandoned: Int?
        while slots.inFlight > 0 {
            if let why = purgeCause() {
                if let why { setPurgeReason(why) }
                producer.purgeAll()
            }
            if stop.signalCount >= 2 {
                abandoned = slots.inFlight
                break
            }
            // The reporter signals after each batch while we wait, so the last report ends it.
            slots.waitForDrain(nanos: 10_000_000)
        }
        watchDone.store(true, ordering: .releasing)
        watchWake.signal()
        if abandoned != nil {
            // The reporter may be blocked on a stalled stdout: neither join nor destroy.
            KeptUntilExit.keep(producer)
            KeptUntilExit.keep(reports)
        } else {
            watch?.join()
            reports.stop()
        }
        var outcome = SendOutcome()
        outcome.attempted = attempted
        outcome.delivered = delivered.load(ordering: .acquiring)
        outcome.failed = failed.load(ordering: .acquiring)
        outcome.stopReason = stop.reason
        outcome.reachability = reachability.withLock { $0 }
        outcome.abandoned = abandoned
        if options.transactions != nil { outcome.transactions = txnStats }
        if abandoned == nil {
            (outcome.fatalError, outcome.lastClientError) = reports.sinkLock.locked { (fatalError, lastClientError) }
        }
        return outcome
    }

    /// Whether what is still queued must be failed now, and with which reason (nil: keep
    /// librdkafka's own).
    private func purgeCause() -> String?? {
        switch reachability.withLock({ $0 }) {
        case .unreachable, .topicMissing: return .some(nil)
        default: break
        }
        switch stop.reason {
        case .fatalError, .cancelled: return .some(nil)
        case .interrupted, .terminated:
            // Before any broker answered nothing queued can drain until --connect-timeout:
            // fail it now.
            if reports.anyDelivered { return nil }
            if case .reachable = reachability.withLock({ $0 }) { return nil }
            return .some("interrupted before any broker answered")
        default: return nil
        }
    }

    func setPurgeReason(_ why: String) {
        reports.sinkLock.locked {
            free(purgeReason)
            purgeReason = strdup(why)
        }
    }

    /// Proves a broker answers within the connect timeout; otherwise stops the run and fails
    /// what is queued. Keeps checking after a stop request too: records already queued can
    /// only drain (or be failed) once we know.
    func startWatch() {
        let deadline = Clock.monotonicNanos() + options.connectTimeoutNanos
        watch = WorkerThread(name: "kafka-emit-conn") { [self] in
            let loop = self
            let r = loop.producer.checkReachable(topic: loop.defaultTopic, deadlineNanos: deadline,
                                                 delivered: { loop.reports.anyDelivered },
                                                 shouldStop: { loop.watchDone.load(ordering: .acquiring) },
                                                 pause: { n in loop.watchWake.wait(nanos: n) { loop.watchDone.load(ordering: .acquiring) } })
            loop.reachability.withLock { $0 = r }
            switch r {
            case .reachable(let partitions):
                if loop.options.verbose, let topic = loop.options.defaultTopic {
                    loop.options.diagnostic?(partitions > 0 ? "connected; topic \(topic) has \(partitions) partition(s)"
                                                            : "connected; first record delivered to \(topic)")
                }
            case .unreachable, .topicMissing:
                if case .topicMissing = r {
                    loop.setPurgeReason("topic \(loop.options.defaultTopic ?? "") does not exist")
                } else {
                    loop.setPurgeReason("no broker reachable within the connect timeout")
                }
                loop.stop.request(.unreachable)
                loop.producer.purgeAll()
            case .cancelled:
                break
            }
        }
    }
}

extension SendLoop: DeliveryHandler {
    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        if let purgeReason {
            for k in reports.indices where reports[k].errorCode == LibrdkafkaInfo.purgeQueueCode || reports[k].errorCode == LibrdkafkaInfo.purgeInflightCode {
                reports[k].detail = UnsafePointer(purgeReason)
            }
        }
        // In a transaction, results wait for the window's outcome.
        if options.transactions != nil {
            window.hold(reports)
            return
        }
        account(reports)
        sink.deliveries(reports, nowNanos: nowNanos)
    }

    /// Counts results and applies stop-on-error (sink lock held).
    func account(_ reports: UnsafeMutableBufferPointer<DeliveryReport>) {
        var bad = 0
        for r in reports where r.errorCode != 0 { bad += 1 }
        if bad > 0 {
            failed.add(bad, ordering: .releasing)
            if options.stopOnError { stop.request(.deliveryFailed) }
        }
        if bad < reports.count { delivered.add(reports.count - bad, ordering: .releasing) }
    }

    func idle() { sink.idle() }

    func statistics(_ json: UnsafeRawBufferPointer) { options.statistics?(json) }

    func clientError(code: Int32, message: String, fatal: Bool) {
        lastClientError = message
        if fatal && fatalError == nil {
            fatalError = message
            options.diagnostic?("fatal producer error: \(message)")
            stop.request(.fatalError)
        } else if options.verbose {
            options.diagnostic?("broker: \(LibrdkafkaInfo.errorName(code)): \(message)")
        }
    }
}
