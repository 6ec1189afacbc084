@_spi(Engine) import KafkaEmit

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

    /// Runs to the end. Throws for what is found before anything is sent (an input or config
    /// that cannot be opened). The plan was validated when it was made: not again here.
    package func run() throws(EmitError) -> RunResult {
        let input = try plan.openInput(stop: stop)
        // Schemas before anything else: a registry or schema problem ends the run at once.
        let encoders = try SchemaResolver.resolve(plan)
        if !plan.quiet { for w in encoders.warnings { writeAll(stderrFD, "kafka-emit: warning: \(w)\n") } }
        if plan.dryRun {
            return try DryRun(plan: plan, stop: stop, stdoutFD: stdoutFD, stderrFD: stderrFD).run(input, encoders: encoders)
        }
        let (properties, mock) = try clusterProperties()
        // The process exits right after the run: let exit reclaim the embedded cluster.
        defer { if let mock { KeptUntilExit.keep(mock) } }
        let producer = try ProducerHandle(properties: properties)
        if plan.verbose { writeAll(stderrFD, Self.configText(properties, producer.effectiveConfig)) }
        let histogramLog = try plan.histogramLog.map { path throws(EmitError) in try HistogramLog(path: path, startMillis: Clock.wallMillis()) }
        let statsFile = try plan.statsFile.map { path throws(EmitError) in try StatsFile(path: path) }

        let stop = self.stop
        let writer = OutputWriter(fd: stdoutFD, abandonFD: stop.abandonFD)
        // A ticker reports windows: progress lines, histogram-log intervals (5 s by default).
        let tick = plan.statsIntervalNanos ?? (histogramLog != nil ? 5_000_000_000 : nil)
        let stageCursor = plan.stageCursor()
        let stats = RunStats(warmup: plan.warmup, keepsWindows: tick != nil, stages: stageCursor?.names.count ?? 0)
        let sink = ResultWriter(writer: writer, formatter: ResultFormatter(format: plan.output), topic: plan.topic,
                                slots: plan.maxInFlight, correlations: CorrelationStore(slots: plan.maxInFlight, indexOnly: plan.correlation.isIndex),
                                stop: stop, formatsResults: plan.output != .none, stats: stats, stages: stageCursor)
        let timings = Timings()
        let loop = try SendLoop(producer: producer, slots: plan.maxInFlight, sink: sink, stop: stop, options: sendOptions(statsFile, timings))
        loop.reports.readsHeaders = ResultFormatter(format: plan.output).showsHeaders

        let start = Clock.monotonicNanos()
        // Always there: without an interval it only answers SIGUSR1 with a progress line.
        let ticker = try ProgressReporter(intervalNanos: tick, total: plan.requestedCount, stderrFD: stderrFD, loop: loop,
                                         printsProgress: plan.statsIntervalNanos != nil, histogramLog: histogramLog)
        if let bar = ticker.bar, TerminalBar.sameTerminal(stdoutFD, stderrFD) { writer.sharedBar = bar }
        let templates = RecordTemplates(plan: plan, encoders: encoders)
        let (outcome, pacing) = plan.withSource(input: input, templates: templates, maxRecordBytes: KafkaConfig.messageMaxBytes(properties),
                                                stop: stop, Sending(loop: loop, plan: plan, timings: timings, stages: stageCursor))
        ticker.finish(abandoned: outcome.abandoned != nil)
        if outcome.stopReason == .resourceExhausted && outcome.attempted == 0, let why = outcome.resourceError {
            // Refused before anything was sent (a thread for the run): one line, no summary.
            throw .resource(why)
        }
        let fileError = histogramLog?.failure ?? statsFile?.failure

        var result = RunResult()
        result.requested = plan.requestedCount
        result.attempted = outcome.attempted
        result.delivered = outcome.delivered
        result.failed = outcome.failed
        result.unknown = outcome.unknown
        result.pacing = pacing
        result.latenessMicros = timings.latenessMicros
        result.commitMicros = timings.commitMicros
        result.transactions = outcome.transactions
        result.elapsedNanos = Clock.monotonicNanos() - start
        result.outputFileError = fileError
        if outcome.abandoned == nil {
            writer.flush()
            result.takeFigures(stats, stageNames: stageCursor?.names)
            result.droppedLines = writer.droppedLines
        } else {
            // After an abandon the reporter may still hold the sink, so this runs only if its
            // lock is free; the result lines already formatted still go out, as far as stdout
            // takes them without blocking.
            loop.withSink(unless: { true }) {
                writer.flushIfWritable()
                result.takeFigures(stats, stageNames: stageCursor?.names)
                result.droppedLines = writer.droppedLines
            }
        }
        (result.ending, result.message) = Self.ending(outcome.stopReason, outcome: outcome, plan: plan, stdoutFailure: writer.failure)
        return result
    }

    /// The librdkafka properties in the order applied (later wins), with `--mock`'s cluster.
    private func clusterProperties() throws(EmitError) -> ([ConfigProperty], MockCluster?) {
        var properties = plan.properties
        if !properties.contains(where: { $0.key == "bootstrap.servers" }) {
            properties.insert(ConfigProperty("bootstrap.servers", plan.bootstrapServers, origin: "plan"), at: 0)
        }
        var mock: MockCluster?
        if let n = plan.mockBrokers {
            let cluster = try MockCluster(checkedBrokers: n)
            if let p = plan.mockPartitions, let topic = plan.topic { cluster.createTopic(topic, partitions: p) }
            properties.append(ConfigProperty("bootstrap.servers", cluster.bootstrapServers, origin: "--mock"))
            mock = cluster
        }
        if !properties.contains(where: { $0.key == "queue.buffering.max.messages" }) {
            properties.insert(KafkaConfig.queueSize(forInFlight: plan.maxInFlight, origin: "--max-in-flight"), at: 1)
        }
        return (properties, mock)
    }

    private func sendOptions(_ statsFile: StatsFile?, _ timings: Timings) -> SendOptions {
        let stderrFD = self.stderrFD
        var options = SendOptions()
        options.defaultTopic = plan.topic
        options.connectTimeoutNanos = plan.connectTimeoutNanos
        options.stopOnError = plan.stopOnError
        // Slower paces leave report serving to the reporter, which answers at once (latency).
        options.servesReportsOnProducer = plan.pacing == .unpaced || plan.peakRate > 10_000
        options.latencyFromIntended = plan.latencyFromIntended
        options.rebaseTimestamps = plan.rebaseTimestamps
        options.verbose = plan.verbose
        options.diagnostic = { writeAll(stderrFD, "kafka-emit: \($0)\n") }
        options.transactions = plan.transactionalID.map {
            TransactionOptions(transactionalID: $0, maxRecords: plan.transactionRecords, maxNanos: plan.transactionEveryNanos)
        }
        options.recordCommit = { _ = timings.commitMicros.record($0) }
        options.shard = plan.shard
        if let statsFile { options.statistics = { statsFile.append($0) } }
        return options
    }

    /// What the producing thread times for the summary (it alone touches them during the run).
    private final class Timings {
        var latenessMicros = RunResult.microsHistogram()
        var commitMicros = RunResult.microsHistogram()
    }

    /// Runs the send loop on the plan's concrete source type.
    private struct Sending: SourceConsumer {
        let loop: SendLoop<ResultWriter>
        let plan: EmitPlan
        let timings: Timings
        let stages: StageCursor?
        func consume<Source: RecordSource>(_ source: Source) -> (SendOutcome, PacingStats) {
            let timings = self.timings
            var pacer = Pacer(plan.pacing, durationNanos: plan.durationNanos, clock: SystemClock(),
                              recordLateness: { _ = timings.latenessMicros.record($0) }, schedule: plan.scheduleOptions(stages: stages))
            let outcome = loop.run(source, pacer: &pacer)
            return (outcome, pacer.stats)
        }
    }

    /// How a run ended, and the line to print for it, from why it stopped: the one mapping,
    /// for a send (`outcome`) and for a dry run (`outcome` nil: no broker, no send path).
    /// `stdoutFailure` is why writing stdout failed.
    static func ending(_ reason: StopReason, outcome: SendOutcome?, plan: EmitPlan, stdoutFailure: String?) -> (RunEnding, String?) {
        if let abandoned = outcome?.abandoned {
            return (.abandoned(inFlight: abandoned, signal: reason),
                    "abandoned \(abandoned) in-flight record(s) on a second signal")
        }
        switch reason {
        case .interrupted: return (.interrupted, nil)
        case .terminated: return (.terminated, nil)
        case .hangup: return (.hangup, nil)
        case .incompatibleBroker:
            return (.unreachable, outcome?.incompatibleBroker ?? "this librdkafka cannot read the broker's replies")
        case .resourceExhausted:
            return (.resourceExhausted, outcome?.resourceError ?? "the system refused a resource kafka-emit needs")
        case .unreachable:
            let secs = DurationParser.format(nanos: plan.connectTimeoutNanos)
            if case .topicMissing(let why) = outcome?.reachability {
                return (.unreachable, "topic '\(plan.topic ?? "")' does not exist and was not created within \(secs) (\(why)); create it, or let the broker auto-create topics")
            }
            let bootstrap = plan.mockBrokers == nil ? plan.bootstrapServers : "the embedded mock cluster"
            let last = outcome?.lastClientError.map { " (last error: \($0))" } ?? ""
            return (.unreachable, "no broker reachable at \(bootstrap) within \(secs) (--connect-timeout)\(last); check --bootstrap-servers and that Kafka is running")
        case .outputClosed: return (.outputClosed, nil)
        case .outputError:
            return (.outputError, "writing the \(outcome == nil ? "records" : "results") to stdout: \(stdoutFailure ?? "I/O error")")
        case .inputError: return (.inputError(outcome?.inputError ?? .io("reading the input")), outcome?.inputError?.message)
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
