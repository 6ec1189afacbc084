@_spi(Engine) import KafkaEmit

/// The CLI's result sink: one line per record on stdout (through the one buffered writer)
/// and the latency statistics of the summary. Runs under the report server's sink lock.
///
/// `@unchecked Sendable` — invariant: every call comes holding the sink lock (or from the
/// producing thread for `willSend`, before the record is handed over); the run reads
/// `stats` under that lock or after the reporter has been joined.
final class ResultWriter: ResultSink, @unchecked Sendable {
    let writer: OutputWriter
    private let formatter: ResultFormatter
    let stats: RunStats
    private let correlations: CorrelationStore
    private let scratch = ByteBuffer(capacity: 64)
    private let stop: StopSignal
    private let formatsResults: Bool

    private let topics: TopicNames
    /// Per-slot topic number (a record's topic may be its own).
    private let slotTopics: UnsafeMutablePointer<Int32>

    /// With `--rate-profile`: the stage each slot's record was sent in.
    private let stages: StageCursor?
    private let slotStages: UnsafeMutablePointer<UInt16>?

    init(writer: OutputWriter, formatter: ResultFormatter, topic: String?, slots: Int, correlations: CorrelationStore,
         stop: StopSignal, formatsResults: Bool, stats: RunStats = RunStats(), stages: StageCursor? = nil) {
        self.stats = stats
        self.stages = stages
        slotStages = stages == nil ? nil : .allocate(capacity: max(1, slots))
        topics = TopicNames(defaultTopic: topic)
        slotTopics = .allocate(capacity: max(1, slots))
        self.writer = writer
        self.formatter = formatter
        self.correlations = correlations
        self.stop = stop
        self.formatsResults = formatsResults
    }

    /// The `--rate-profile` stages' names, and the stage being sent now (any thread).
    var stageNames: [String]? { stages?.names }
    var currentStage: Int? { stages?.stage }

    deinit {
        slotTopics.deallocate()
        slotStages?.deallocate()
    }

    @inline(__always) func willSend(slot: Int, record: RecordView, topic: TopicID) {
        // Without result lines only the warm-up needs a record's number, and nothing its
        // topic or correlation: the per-slot pages are then never touched (-o none, memory).
        if formatsResults || stats.warmup > 0 {
            correlations.store(slot: slot, index: record.index, correlation: record.correlation)
        }
        if formatsResults { slotTopics[slot] = Int32(truncatingIfNeeded: topics.index(of: record.topic)) }
        if let slotStages, let stages { slotStages[slot] = UInt16(truncatingIfNeeded: stages.stage) }
    }

    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        let buffer = writer.buffer
        for r in reports {
            let latencyMicros = r.latencyMicros(now: nowNanos)
            if r.errorCode == 0 {
                stats.recordDelivered(index: stats.warmup > 0 ? correlations.recordIndex(slot: r.slot) : 0,
                                      bytes: (r.key?.count ?? 0) + (r.value?.count ?? 0), latencyMicros: latencyMicros,
                                      stage: slotStages.map { Int($0[r.slot]) } ?? 0)
            }
            guard formatsResults else { continue }
            let view = ResultView(
                outcome: r.outcome, topic: topics.name(Int(slotTopics[r.slot])), partition: r.partition, offset: r.offset,
                timestampMillis: r.timestampMillis, latencyMicros: latencyMicros,
                key: r.key, value: r.value,
                correlation: correlations.isIndexOnly ? UnsafeRawBufferPointer(start: nil, count: 0) : correlations.correlation(slot: r.slot, scratch: scratch),
                correlationNumber: correlations.isIndexOnly ? correlations.recordIndex(slot: r.slot) : nil,
                errorCode: r.errorCode, errorDetail: r.detail, headers: r.headers, transaction: r.transaction)
            formatter.append(view, to: buffer)
            writer.lineDone()
        }
        checkWriter()
    }

    func idle() {
        writer.flush()
        checkWriter()
    }

    @inline(__always) private func checkWriter() {
        if writer.closed { stop.request(.outputClosed) } else if writer.failure != nil { stop.request(.outputError) }
    }
}
