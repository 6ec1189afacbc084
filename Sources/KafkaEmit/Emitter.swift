import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// What a finished run reports (also printed as the summary).
public struct RunSummary: Sendable {
    public var delivered = 0
    public var failed = 0
    public var attempted = 0
    public var elapsedNanos: UInt64 = 0
    public var deliveredBytes: UInt64 = 0
    public var latencyMicros: (p50: UInt64, p95: UInt64, p99: UInt64, max: UInt64) = (0, 0, 0, 0)
    public var pacing: PacingStats = PacingStats()
    public var stopReason: StopReason = .none
    public var exitCode: Int32 = 0
    public var errorMessage: String?
}

/// Runs one plan: source → pacer → librdkafka → result lines + summary.
/// The calling thread produces; a reporter thread serves delivery reports; a watch thread
/// checks that a broker answers within `--connect-timeout`.
public final class Emitter {
    private let plan: EmitPlan
    private let stop: StopSignal
    private let stdoutFD: Int32
    private let stderrFD: Int32

    public init(plan: EmitPlan, stop: StopSignal = StopSignal(), stdoutFD: Int32 = 1, stderrFD: Int32 = 2) {
        self.plan = plan
        self.stop = stop
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    /// Runs to the end and returns the summary; `summary.exitCode` is the process exit code.
    /// Throws for errors found before anything was sent (usage, unopenable input).
    public func run() throws(EmitError) -> RunSummary {
        try plan.validate()
        let reader: LineReader?
        if case .lines(let path, let delimiter, _, _) = plan.source {
            reader = try LineReader.open(path: path, delimiter: delimiter, stripCR: delimiter == [0x0A], wakeFD: stop.wakeFD)
        } else {
            reader = nil
        }
        if plan.dryRun { return try dryRun(reader) }

        // Lowest precedence first: plan.bootstrapServers, then the plan's properties in order;
        // --mock overrides every bootstrap list.
        var properties = [ConfigProperty("bootstrap.servers", plan.bootstrapServers, origin: "--bootstrap-servers")]
        properties += plan.properties
        var mock: MockCluster?
        if let n = plan.mockBrokers {
            mock = try MockCluster(brokers: n)
            properties.append(ConfigProperty("bootstrap.servers", mock!.bootstrapServers, origin: "--mock"))
        }
        let bootstrap = properties.last { $0.key == "bootstrap.servers" }!.value
        if !properties.contains(where: { $0.key == "queue.buffering.max.messages" }) {
            // librdkafka's own queue must hold what --max-in-flight allows, or it reports QUEUE_FULL first.
            let q = min(10_000_000, max(100_000, plan.maxInFlight))
            properties.insert(ConfigProperty("queue.buffering.max.messages", String(q), origin: "--max-in-flight"), at: 1)
        }
        let conf = try KafkaConfig.make(properties)
        let engine = try DeliveryEngine(conf: conf, topic: plan.topic, slots: plan.maxInFlight)
        if plan.verbose {
            var text = "kafka-emit: properties in the order applied (later wins):\n"
            for p in properties { text += "  \(p.key)=\(p.shownValue)  (\(p.origin))\n" }
            text += "kafka-emit: effective librdkafka configuration:\n"
            for (k, v) in engine.effectiveConfig { text += "  \(k)=\(v)\n" }
            writeAll(stderrFD, text)
        }

        let writer = OutputWriter(fd: stdoutFD)
        let correlations = CorrelationStore(slots: engine.slotCount, indexOnly: plan.correlation.isIndex)
        let sink = ResultSink(writer: writer, formatter: ResultFormatter(format: plan.output, topic: plan.topic),
                              correlations: correlations, stop: stop, stopOnError: plan.stopOnError,
                              verbose: plan.verbose, stderrFD: stderrFD, formatsResults: plan.output != .none)
        let startNanos = Clock.monotonicNanos()
        engine.startReporter(sink)

        let reachability = Mutex<DeliveryEngine.Reachability?>(nil)
        let deadline = startNanos + plan.connectTimeoutNanos
        let stop = self.stop
        let verbose = plan.verbose, stderrFD = self.stderrFD, topic = plan.topic
        let watchDone = DoneFlag()
        let watch = WorkerThread(name: "kafka-emit-conn") {
            // Keeps checking after a stop request too: records already queued can only drain
            // (or be failed) once we know whether a broker answers.
            let r = engine.checkReachable(deadlineNanos: deadline, shouldStop: { watchDone.isSet })
            reachability.withLock { $0 = r }
            switch r {
            case .reachable(let partitions):
                engine.markReady()
                if verbose {
                    writeAll(stderrFD, partitions > 0 ? "kafka-emit: connected; topic \(topic) has \(partitions) partition(s)\n"
                                                       : "kafka-emit: connected; first record delivered to \(topic)\n")
                }
            case .unreachable, .topicMissing:
                let why: String
                if case .topicMissing = r { why = "topic \(topic) does not exist" } else { why = "no broker reachable within --connect-timeout" }
                engine.waiter.locked { sink.purgeReason = why }
                stop.request(.unreachable)
                engine.purgeAll()
            case .cancelled:
                break
            }
        }

        let progress = plan.statsIntervalNanos.map {
            ProgressReporter(intervalNanos: $0, total: plan.count, stderrFD: stderrFD, engine: engine, sink: sink)
        }
        var pacing = PacingStats()
        var inputError: EmitError?
        let attempted: Int
        do {
            let producer = RecordProducer(plan: plan, engine: engine, correlations: correlations, stop: stop)
            do {
                if let reader { try producer.runLines(reader) } else { producer.runGenerate() }
            } catch {
                inputError = error
                stop.request(.inputError)
            }
            pacing = producer.pacingStats
            attempted = producer.attempted
        }

        // Drain: every record handed over gets its result line.
        let isUnreachable = { () -> Bool in
            reachability.withLock { r in
                switch r {
                case .unreachable, .topicMissing: true
                default: false
                }
            }
        }
        let drained = engine.drain(abandon: {
            if isUnreachable() {
                engine.purgeAll()
            } else if stop.reason == .interrupted || stop.reason == .terminated, !engine.isReady {
                // Interrupted before any broker answered: nothing queued can drain, so fail it now
                // rather than wait out --connect-timeout.
                engine.waiter.locked { sink.purgeReason = "interrupted before any broker answered" }
                engine.purgeAll()
            }
            return stop.signalCount >= 2
        })
        watchDone.set()
        progress?.finish()
        if !drained {
            // Second signal: abandon what is still in flight, report what we have, leave now.
            // The reporter may still be writing: take its lock.
            var summary = engine.waiter.locked {
                writer.flush()
                return makeSummary(sink: sink, attempted: attempted, start: startNanos, pacing: pacing)
            }
            summary.exitCode = stop.reason == .terminated ? ExitStatus.terminated : ExitStatus.interrupted
            let abandoned = attempted - summary.delivered - summary.failed
            if !plan.quiet { writeAll(stderrFD, summaryLine(summary) + "\n") }
            writeAll(stderrFD, "kafka-emit: abandoned \(abandoned) in-flight record(s) on a second signal\n")
            _exit(summary.exitCode)
        }
        watch.join()
        engine.stopReporter()
        writer.flush()

        var summary = makeSummary(sink: sink, attempted: attempted, start: startNanos, pacing: pacing)
        summary.stopReason = stop.reason
        let r = reachability.withLock { $0 }
        switch stop.reason {
        case .interrupted: summary.exitCode = ExitStatus.interrupted
        case .terminated: summary.exitCode = ExitStatus.terminated
        case .unreachable:
            summary.exitCode = 69
            let secs = DurationParser.format(nanos: plan.connectTimeoutNanos)
            if case .topicMissing(let why) = r {
                summary.errorMessage = "topic '\(plan.topic)' does not exist and was not created within \(secs) (\(why)); create it, or let the broker auto-create topics"
            } else {
                let last = sink.lastClientError.map { " (last error: \($0))" } ?? ""
                summary.errorMessage = "no broker reachable at \(bootstrap) within \(secs) (--connect-timeout)\(last); check --bootstrap-servers and that Kafka is running"
            }
        case .outputError:
            summary.exitCode = 74
            summary.errorMessage = "writing the results to stdout: \(writer.failure ?? "I/O error")"
        case .inputError:
            summary.exitCode = inputError?.exitCode ?? 74
            summary.errorMessage = inputError?.message
        default:
            summary.exitCode = summary.failed > 0 ? ExitStatus.someFailed : ExitStatus.ok
        }
        if !plan.quiet { writeAll(stderrFD, (plan.output == .json ? summaryJSON(summary) : summaryLine(summary)) + "\n") }
        if let m = summary.errorMessage { writeAll(stderrFD, "kafka-emit: \(m)\n") }
        // The process is about to exit: tearing the embedded cluster down can wait out its
        // I/O thread's poll timeout (up to a second), so let process exit reclaim it.
        if let mock { MockCluster.keepUntilExit(mock) }
        return summary
    }

    private func makeSummary(sink: ResultSink, attempted: Int, start: UInt64, pacing: PacingStats) -> RunSummary {
        var s = RunSummary()
        s.delivered = sink.stats.delivered
        s.failed = sink.stats.failed
        s.attempted = attempted
        s.elapsedNanos = Clock.monotonicNanos() - start
        s.deliveredBytes = sink.stats.deliveredBytes
        let h = sink.stats.latency
        if h.totalCount > 0 {
            s.latencyMicros = (h.valueAtPercentile(50), h.valueAtPercentile(95), h.valueAtPercentile(99), h.max)
        }
        s.pacing = pacing
        return s
    }

    /// `kafka-emit: 100 delivered, 0 failed in 9.901s (10.1 records/s, 0.00 MB/s); latency ms p50=… p95=… p99=… max=…`
    public func summaryLine(_ s: RunSummary) -> String {
        let secs = Double(s.elapsedNanos) / 1e9
        let rate = secs > 0 ? Double(s.delivered + s.failed) / secs : 0
        let mbps = secs > 0 ? Double(s.deliveredBytes) / secs / 1e6 : 0
        var line = "kafka-emit: \(s.delivered) delivered, \(s.failed) failed in \(Fmt.seconds(nanos: s.elapsedNanos))"
        line += " (\(Fmt.fixed(rate, rate < 100 ? 1 : 0)) records/s, \(Fmt.fixed(mbps, 2)) MB/s)"
        let l = s.latencyMicros
        if s.delivered == 0 { return line }
        line += "; latency ms p50=\(Fmt.millis(micros: l.p50)) p95=\(Fmt.millis(micros: l.p95)) p99=\(Fmt.millis(micros: l.p99)) max=\(Fmt.millis(micros: l.max))"
        if s.pacing.paced && s.pacing.latenessMicros.totalCount > 0 {
            let h = s.pacing.latenessMicros
            line += "; send lateness us p50=\(h.valueAtPercentile(50)) p99=\(h.valueAtPercentile(99)) max=\(h.max)"
            line += ", behind schedule \(Fmt.millis(micros: s.pacing.behindNanos / 1000))ms"
            if s.pacing.lastIndex > 0 {
                let drift = s.pacing.driftNanos / 1e6
                line += ", drift \(drift >= 0 ? "+" : "")\(Fmt.fixed(drift, 3))ms, send rate \(Fmt.fixed(s.pacing.achievedRate, 1))/s"
            }
        }
        return line
    }

    /// With `-o json` the summary is one JSON object too, for scripts.
    public func summaryJSON(_ s: RunSummary) -> String {
        let secs = Double(s.elapsedNanos) / 1e9
        let rate = secs > 0 ? Double(s.delivered + s.failed) / secs : 0
        let mbps = secs > 0 ? Double(s.deliveredBytes) / secs / 1e6 : 0
        let l = s.latencyMicros
        func ms(_ us: UInt64) -> String { Fmt.fixed(Double(us) / 1000, 3) }
        var json = "{\"summary\":true,\"delivered\":\(s.delivered),\"failed\":\(s.failed),\"elapsed_s\":\(Fmt.fixed(secs, 3))"
        json += ",\"records_per_s\":\(Fmt.fixed(rate, 1)),\"mb_per_s\":\(Fmt.fixed(mbps, 3))"
        json += ",\"latency_ms\":{\"p50\":\(ms(l.p50)),\"p95\":\(ms(l.p95)),\"p99\":\(ms(l.p99)),\"max\":\(ms(l.max))}"
        if s.pacing.paced {
            let h = s.pacing.latenessMicros
            json += ",\"lateness_us\":{\"p50\":\(h.valueAtPercentile(50)),\"p99\":\(h.valueAtPercentile(99)),\"max\":\(h.max)}"
            json += ",\"behind_schedule_ms\":\(ms(s.pacing.behindNanos / 1000))"
            json += ",\"drift_ms\":\(Fmt.fixed(s.pacing.driftNanos / 1e6, 3)),\"send_rate\":\(Fmt.fixed(s.pacing.achievedRate, 2))"
        }
        json += ",\"exit_code\":\(s.exitCode)}"
        return json
    }

    // MARK: dry run

    private func dryRun(_ reader: LineReader?) throws(EmitError) -> RunSummary {
        let writer = OutputWriter(fd: stdoutFD)
        let producer = RecordProducer(plan: plan, engine: nil, correlations: nil, stop: stop)
        producer.dryRunWriter = writer
        defer { writer.flush() }   // records rendered before an input error still reach stdout
        if let reader { try producer.runLines(reader) } else { producer.runGenerate() }
        writer.flush()
        var s = RunSummary()
        s.attempted = producer.attempted
        s.exitCode = writer.failure != nil ? 74 : (stop.reason == .interrupted ? 130 : stop.reason == .terminated ? 143 : 0)
        if !plan.quiet { writeAll(stderrFD, "kafka-emit: dry run: \(producer.attempted) record(s) rendered, nothing sent\n") }
        return s
    }
}

/// A one-way flag shared between threads.
final class DoneFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
