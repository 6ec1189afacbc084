import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How a send loop ended.
package struct SendOutcome {
    package var attempted = 0
    package var delivered = 0
    package var failed = 0
    package var unknown = 0
    package var stopReason: StopReason = .none
    /// The input could not be read (or a malformed record under stop-on-error).
    package var inputError: EmitError?
    package var reachability: Reachability?
    var fatalError: String?
    package var lastClientError: String?
    /// The system refused a thread or a descriptor (exit 71).
    package var resourceError: String?
    /// A broker answered in a protocol this librdkafka cannot read (exit 69).
    package var incompatibleBroker: String?
    /// Records still in flight when a second signal abandoned the drain; nil = drained.
    package var abandoned: Int?
    /// What the run's transactions did (transactional runs only).
    package var transactions: TransactionStats?
}

extension SendLoop {
    /// Waits until every record handed over has been reported, purging what can no longer be
    /// delivered (no broker, a fatal error, a cancelled send; Ctrl-C before any broker
    /// answered fails what is still queued, never what is in flight). A second signal purges
    /// everything — in-flight records come back `unknown` — and waits `abandonGraceNanos` for
    /// those results; what is still out then is abandoned to process exit.
    func finish() -> SendOutcome {
        reports.producerWillWait()
        var abandoned: Int?
        var graceEnds: UInt64 = 0
        while slots.inFlight > 0 {
            // After the second signal's purge of everything, nothing is left to purge, and its
            // reason must not be overwritten for the reports still coming back.
            if graceEnds == 0, let purge = purgeCause() {
                if let why = purge.reason { setPurgeReason(why) }
                producer.purge(inFlight: purge.inFlight)
            }
            if stop.signalCount >= 2 {
                let now = Clock.monotonicNanos()
                if graceEnds == 0 {
                    graceEnds = now + Self.abandonGraceNanos
                    setPurgeReason("interrupted by a second signal")
                    producer.purge(inFlight: true)
                } else if now >= graceEnds {
                    abandoned = slots.inFlight
                    break
                }
            }
            // The reporter signals after each batch while we wait, so the last report ends it.
            slots.waitForDrain(nanos: 10_000_000)
        }
        reachability.withLock { _ in watchDone.store(true, ordering: .releasing) }
        watchWake.signal()
        if abandoned != nil {
            // The reporter may still be formatting lines stdout will not take: neither join
            // nor destroy.
            KeptUntilExit.keep(producer)
            KeptUntilExit.keep(reports)
        } else {
            reports.stop()
        }
        var outcome = SendOutcome()
        outcome.attempted = attempted
        outcome.delivered = delivered.load(ordering: .acquiring)
        outcome.failed = failed.load(ordering: .acquiring)
        outcome.unknown = unknown.load(ordering: .acquiring)
        outcome.stopReason = stop.reason
        outcome.reachability = reachability.withLock { $0 }
        outcome.abandoned = abandoned
        if options.transactions != nil { outcome.transactions = txnStats }
        if abandoned == nil {
            (outcome.fatalError, outcome.lastClientError, outcome.resourceError, outcome.incompatibleBroker) =
                withSink { (fatalError, lastClientError, resourceError, incompatibleBroker) }
        }
        return outcome
    }

    /// After a second signal: how long in-flight records get to come back (as `unknown`,
    /// purged) before the run gives up on them; the whole exit stays within a second.
    static var abandonGraceNanos: UInt64 { 400_000_000 }

    /// Whether records must be failed now: in flight too, or only those still queued (never
    /// sent, so certainly not stored); with which reason (nil: librdkafka's own).
    private func purgeCause() -> (inFlight: Bool, reason: String?)? {
        switch reachability.withLock({ $0 }) {
        case .unreachable, .topicMissing: return (true, nil)
        default: break
        }
        switch stop.reason {
        case .fatalError, .cancelled: return (true, nil)
        case .resourceExhausted:
            let why = withSink { resourceError } ?? "a resource ran out"
            return (false, "not sent: \(why)")
        case .incompatibleBroker:
            return (true, "not sent: librdkafka \(LibrdkafkaInfo.version) cannot read the broker's replies")
        case .interrupted, .terminated, .hangup:
            // Before any broker answered nothing queued can drain until --connect-timeout:
            // fail what was never sent. What is in flight drains to its real outcome: a
            // slow broker may be storing it right now.
            if reports.anyDelivered || producer.anyBrokerAnswered { return nil }
            if case .reachable = reachability.withLock({ $0 }) { return nil }
            return (false, "interrupted before any broker answered")
        default: return nil
        }
    }

    func setPurgeReason(_ why: String) {
        withSink {
            purgeReason?.deallocate()
            let bytes = Array(why.utf8)
            let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
            bytes.withUnsafeBytes { copy.copyMemory(from: $0) }
            purgeReason = copy
        }
    }

    /// Proves a broker answers within the connect timeout; otherwise stops the run and fails
    /// what is queued. Keeps checking after a stop request too: records already queued can
    /// only drain (or be failed) once we know. The thread is detached, not joined: a metadata
    /// request to a slow broker may take the whole connect timeout, and the run must not wait
    /// for it once every record has its result. It keeps the loop (and so the producer) alive
    /// until then, and acts only while the run is on (`reachability`'s lock orders the two).
    func startWatch() throws(EmitError) {
        let deadline = Clock.monotonicNanos() + options.connectTimeoutNanos
        try WorkerThread(name: "kafka-emit-conn") { [self] in
            let loop = self
            let r = loop.producer.checkReachable(topic: loop.defaultTopic, deadlineNanos: deadline,
                                                 delivered: { loop.reports.anyDelivered },
                                                 shouldStop: { loop.watchDone.load(ordering: .acquiring) },
                                                 pause: { n in loop.watchWake.wait(nanos: n) { loop.watchDone.load(ordering: .acquiring) } })
            loop.reachability.withLock { reachability in
                guard !loop.watchDone.load(ordering: .acquiring) else { return }
                reachability = r
                loop.act(on: r)
            }
        }.detach()
    }

    /// The watch's verdict, while the run is on (`reachability`'s lock held).
    private func act(on r: Reachability) {
            switch r {
            case .reachable(let partitions):
                if options.verbose, let topic = options.defaultTopic {
                    options.diagnostic?(partitions > 0 ? "connected; topic \(topic) has \(partitions) partition(s)"
                                                            : "connected; first record delivered to \(topic)")
                }
            case .unreachable, .topicMissing:
                if case .topicMissing = r {
                    setPurgeReason("topic \(options.defaultTopic ?? "") does not exist")
                } else {
                    setPurgeReason("no broker reachable within the connect timeout")
                }
                stop.request(.unreachable)
                // No broker answered, so nothing can be stored; a record librdkafka thinks
                // may be (a broker that took the request and died) is reported `unknown`.
                producer.purge(inFlight: true)
            case .cancelled:
                break
            }
    }
}

extension SendLoop: DeliveryHandler {
    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        if let purgeReason {
            for k in reports.indices where reports[k].errorCode == LibrdkafkaInfo.purgeQueueCode || reports[k].errorCode == LibrdkafkaInfo.purgeInflightCode {
                reports[k].detail = UnsafeRawBufferPointer(purgeReason)
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
        var bad = 0, possiblyStored = 0
        for r in reports where r.errorCode != 0 {
            bad += 1
            if r.possiblyPersisted { possiblyStored += 1 }
        }
        if bad > 0 {
            if bad > possiblyStored { failed.add(bad - possiblyStored, ordering: .releasing) }
            if possiblyStored > 0 { unknown.add(possiblyStored, ordering: .releasing) }
            // A dry run delivers every record it hands over: its only failures are records
            // refused before that (too large), shown and skipped under stop-on-error too.
            if options.stopOnError && !sendsNowhere { stop.request(.deliveryFailed) }
        }
        if bad < reports.count { delivered.add(reports.count - bad, ordering: .releasing) }
    }

    func idle() { sink.idle() }

    func statistics(_ json: UnsafeRawBufferPointer) { options.statistics?(json) }

    func clientError(code: Int32, message: String, fatal: Bool) {
        lastClientError = message
        if incompatibleBroker == nil, !reports.anyDelivered, !producer.anyBrokerAnswered,
           let broker = LibrdkafkaInfo.brokerWithUnreadableReply(message) {
            // It answered: waiting out --connect-timeout would only end in "unreachable".
            incompatibleBroker = "the broker at \(broker) answered, but librdkafka \(LibrdkafkaInfo.version) cannot read its reply "
                + "(ApiVersion: \(LibrdkafkaInfo.underflowText)): the broker speaks a newer "
                + "protocol than this librdkafka knows; run kafka-emit on a newer librdkafka (kafka-emit -V shows the one "
                + "loaded; README: Compatibility)"
            stop.request(.incompatibleBroker)
            return
        }
        if LibrdkafkaInfo.isResourceExhaustion(code: code, message: message) {
            // librdkafka could not create a broker thread or a socket: no record can go to
            // that broker. Stop, fail what was never sent, let what is in flight drain.
            if resourceError == nil {
                resourceError = message + (code == LibrdkafkaInfo.critSysResourceCode
                    ? "; \(WorkerThread.limitHint)" : "; raise the open-file limit (ulimit -n)")
                stop.request(.resourceExhausted)
            }
            return
        }
        if fatal && fatalError == nil {
            fatalError = message
            options.diagnostic?("fatal producer error: \(message)")
            stop.request(.fatalError)
        } else if options.verbose {
            options.diagnostic?("broker: \(LibrdkafkaInfo.errorName(code)): \(message)")
        }
    }
}
