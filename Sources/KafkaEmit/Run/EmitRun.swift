/// One run of the CLI: the plan's source, paced, through the send loop, into result lines
/// on stdout and the statistics of the summary.
package final class EmitRun {
    private let plan: EmitPlan
    private let stop: StopSignal
    private let stdoutFD: Int32
    private let stderrFD: Int32

    package init(plan: EmitPlan, stop: StopSignal = StopSignal(), stdoutFD: Int32 = 1, stderrFD: Int32 = 2) {
        self.plan = plan
        self.stop = stop
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    /// Runs to the end. Throws for what is found before anything is sent (usage errors, an
    /// input or config that cannot be opened).
    package func run() throws(EmitError) -> RunResult {
        try plan.validate()
        let input = try plan.openInput(stop: stop)
        if plan.dryRun {
            return DryRun(plan: plan, stop: stop, stdoutFD: stdoutFD, stderrFD: stderrFD).run(input)
        }
        var mock: MockCluster?
        // Lowest precedence first; --mock overrides every bootstrap list.
        var properties = plan.properties
        if !properties.contains(where: { $0.key == "bootstrap.servers" }) {
            properties.insert(ConfigProperty("bootstrap.servers", plan.bootstrapServers, origin: "plan"), at: 0)
        }
        if let n = plan.mockBrokers {
            mock = try MockCluster(brokers: n)
            if let p = plan.mockPartitions, let topic = plan.topic { mock!.createTopic(topic, partitions: p) }
            properties.append(ConfigProperty("bootstrap.servers", mock!.bootstrapServers, origin: "--mock"))
        }
        // The process exits right after the run: let exit reclaim the embedded cluster.
        defer { if let mock { KeptUntilExit.keep(mock) } }
        if !properties.contains(where: { $0.key == "queue.buffering.max.messages" }) {
            properties.insert(KafkaConfig.queueSize(forInFlight: plan.maxInFlight, origin: "--max-in-flight"), at: 1)
        }
        let producer = try ProducerHandle(properties: properties)
        if plan.verbose { writeAll(stderrFD, Self.configText(properties, producer.effectiveConfig)) }

        let stop = self.stop
        let writer = OutputWriter(fd: stdoutFD, abandoned: { stop.signalCount >= 2 })
        let sink = ResultWriter(writer: writer, formatter: ResultFormatter(format: plan.output), topic: plan.topic,
                                slots: plan.maxInFlight, correlations: CorrelationStore(slots: plan.maxInFlight, indexOnly: plan.correlation.isIndex),
                                stop: stop, formatsResults: plan.output != .none)
        let stderrFD = self.stderrFD
        var options = SendOptions()
        options.defaultTopic = plan.topic
        options.connectTimeoutNanos = plan.connectTimeoutNanos
        options.stopOnError = plan.stopOnError
        // Slower paces leave report serving to the reporter, which answers at once (latency).
        options.servesReportsOnProducer = plan.pacing == .unpaced || plan.pacing.intervalNanos < 100_000
        options.verbose = plan.verbose
        options.diagnostic = { writeAll(stderrFD, "kafka-emit: \($0)\n") }
        options.transactions = plan.transactionalID.map {
            TransactionOptions(transactionalID: $0, maxRecords: plan.transactionRecords, maxNanos: plan.transactionEveryNanos)
        }
        let loop = try SendLoop(producer: producer, slots: plan.maxInFlight, sink: sink, stop: stop, options: options)
        loop.reports.readsHeaders = ResultFormatter(format: plan.output).showsHeaders

        let start = Clock.monotonicNanos()
        let progress = plan.statsIntervalNanos.map {
            ProgressReporter(intervalNanos: $0, total: plan.count, stderrFD: stderrFD, loop: loop)
        }
        let templates = RecordTemplates(plan: plan)
        let (outcome, pacing) = plan.withSource(input: input, templates: templates, maxRecordBytes: KafkaConfig.messageMaxBytes(properties),
                                                stop: stop, Sending(loop: loop, plan: plan))
        progress?.finish()

        var result = RunResult()
        result.requested = plan.count
        result.attempted = outcome.attempted
        result.delivered = outcome.delivered
        result.failed = outcome.failed
        result.pacing = pacing
        result.transactions = outcome.transactions
        result.elapsedNanos = Clock.monotonicNanos() - start
        if outcome.abandoned == nil {
            writer.flush()
            result.deliveredBytes = sink.stats.deliveredBytes
            result.latency = sink.stats.latency
        } else if loop.reports.sinkLock.tryLock() {
            // The reporter may be stuck writing to a stalled stdout: read its figures only
            // if its lock is free.
            result.deliveredBytes = sink.stats.deliveredBytes
            result.latency = sink.stats.latency
            loop.reports.sinkLock.unlock()
        }
        (result.ending, result.message) = ending(outcome, writer: writer)
        return result
    }

    /// Runs the send loop on the plan's concrete source type.
    private struct Sending: SourceConsumer {
        let loop: SendLoop<ResultWriter>
        let plan: EmitPlan
        func consume<Source: RecordSource>(_ source: Source) -> (SendOutcome, PacingStats) {
            var pacer = Pacer(plan.pacing, durationNanos: plan.durationNanos, clock: SystemClock())
            let outcome = loop.run(source, pacer: &pacer)
            return (outcome, pacer.stats)
        }
    }

    private func ending(_ outcome: SendOutcome, writer: OutputWriter) -> (RunEnding, String?) {
        if let abandoned = outcome.abandoned {
            return (.abandoned(inFlight: abandoned, terminated: outcome.stopReason == .terminated),
                    "abandoned \(abandoned) in-flight record(s) on a second signal")
        }
        switch outcome.stopReason {
        case .interrupted: return (.interrupted, nil)
        case .terminated: return (.terminated, nil)
        case .unreachable:
            let secs = DurationParser.format(nanos: plan.connectTimeoutNanos)
            if case .topicMissing(let why) = outcome.reachability {
                return (.unreachable, "topic '\(plan.topic ?? "")' does not exist and was not created within \(secs) (\(why)); create it, or let the broker auto-create topics")
            }
            let bootstrap = plan.mockBrokers == nil ? plan.bootstrapServers : "the embedded mock cluster"
            let last = outcome.lastClientError.map { " (last error: \($0))" } ?? ""
            return (.unreachable, "no broker reachable at \(bootstrap) within \(secs) (--connect-timeout)\(last); check --bootstrap-servers and that Kafka is running")
        case .outputClosed: return (.outputClosed, nil)
        case .outputError: return (.outputError, "writing the results to stdout: \(writer.failure ?? "I/O error")")
        case .inputError: return (.inputError(outcome.inputError ?? .io("reading the input")), outcome.inputError?.message)
        case .fatalError: return (.fatalError, nil)
        default: return (.finished, nil)
        }
    }

    static func configText(_ properties: [ConfigProperty], _ effective: [(String, String)]) -> String {
        var text = "kafka-emit: properties in the order applied (later wins):\n"
        for p in properties { text += "  \(p.key)=\(p.shownValue)  (\(p.origin))\n" }
        text += "kafka-emit: effective librdkafka configuration:\n"
        for (k, v) in effective { text += "  \(k)=\(v)\n" }
        return text
    }
}
