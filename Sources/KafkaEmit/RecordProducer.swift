#if canImport(Glibc)
import Glibc
#endif

/// The producing thread's loop: builds each record from the source (templates or an input
/// line), paces it, takes an in-flight slot and hands it to librdkafka.
///
/// Everything it touches per record is preallocated: templates render into reused buffers,
/// lines are views into the reader's block, and only the slot number goes to librdkafka.
final class RecordProducer {
    private let plan: EmitPlan
    // Unretained: the Emitter keeps both alive for the whole run; a strong reference would
    // cost a retain/release pair per record on the hot path. nil for a dry run.
    private let engineRef: Unmanaged<DeliveryEngine>?
    private let correlationsRef: Unmanaged<CorrelationStore>?
    private unowned(unsafe) let stop: StopSignal
    var dryRunWriter: OutputWriter?
    private(set) var attempted = 0
    private(set) var pacingStats = PacingStats()

    private enum Field { case null, line, keyPart, template }
    private let keyField: Field
    private let valueField: Field
    private let keyTemplate: CompiledTemplate?
    private let valueTemplate: CompiledTemplate
    private let correlationTemplate: CompiledTemplate
    private let headerTemplates: [CompiledTemplate]
    private let keyBuffer = ByteBuffer()
    private let valueBuffer = ByteBuffer()
    private let correlationBuffer = ByteBuffer(capacity: 64)
    private let headerBuffers: [ByteBuffer]
    private let headerNames: [UnsafeMutablePointer<CChar>]
    private let outHeaders: UnsafeMutableBufferPointer<OutgoingHeader>
    private let needCorrelationBytes: Bool
    private let nullEmpty: Bool
    private let fixedPartition: Int32?
    private var ctx: RenderContext
    private let partition: Int32
    private let keyDelimiter: [UInt8]?
    private let dryFormatter: ResultFormatter?
    private let inputFormat: EmitPlan.InputFormat
    // --input-format json: the current envelope's headers (names NUL-terminated in the arena).
    private let extraArena = ByteBuffer()
    private var extraHeaders: [OutgoingHeader] = []
    private var extraHeaderCount = 0
    private var clusterReady = false
    /// Bulk and fast-paced sending serve reports on this thread too; slower paces leave them
    /// to the reporter, which answers each report at once (latency).
    private lazy var servesReports: Bool = !pacingStats.paced || intervalNanos < 100_000
    private static let recordsBeforeConnected = 10_000
    private var merged = UnsafeMutablePointer<OutgoingHeader>.allocate(capacity: 8)
    private var mergedCapacity = 8

    // Pacing on absolute monotonic deadlines.
    private let everyNanos: UInt64
    private let intervalNanos: Double
    private var scheduleStart: UInt64 = 0
    private var shiftNanos: UInt64 = 0
    private var durationEnd: UInt64 = 0
    private static let rebaseAfterNanos: UInt64 = 1_000_000_000

    init(plan: EmitPlan, engine: DeliveryEngine?, correlations: CorrelationStore?, stop: StopSignal) {
        self.plan = plan
        engineRef = engine.map { Unmanaged.passUnretained($0) }
        correlationsRef = correlations.map { Unmanaged.passUnretained($0) }
        self.stop = stop
        let topic = plan.topic
        keyDelimiter = plan.keyDelimiter
        if let k = plan.key {
            keyField = k.isLine ? .line : (k.isKey ? .keyPart : .template)
            keyTemplate = CompiledTemplate(k, topic: topic)
        } else {
            keyField = .null
            keyTemplate = nil
        }
        valueField = plan.value.isLine ? .line : .template
        valueTemplate = CompiledTemplate(plan.value, topic: topic)
        correlationTemplate = CompiledTemplate(plan.correlation, topic: topic)
        var templates = plan.headers.map { CompiledTemplate($0.value, topic: topic) }
        var names = plan.headers.map { strdup($0.name)! }
        if let ch = plan.correlationHeader {
            templates.append(CompiledTemplate(plan.correlation, topic: topic))
            names.append(strdup(ch)!)
        }
        headerTemplates = templates
        headerNames = names
        headerBuffers = templates.map { _ in ByteBuffer(capacity: 64) }
        outHeaders = .allocate(capacity: max(1, names.count))
        for (i, n) in names.enumerated() {
            outHeaders.baseAddress!.advanced(by: i).initialize(to: OutgoingHeader(name: n, value: nil))
        }
        needCorrelationBytes = !plan.correlation.isIndex || engine == nil || plan.correlationHeader != nil
        nullEmpty = plan.nullEmpty
        fixedPartition = plan.partition
        ctx = RenderContext(rng: SeededRandom(seed: plan.seed ?? UInt64.random(in: 0...UInt64.max)))
        partition = plan.partition ?? -1
        everyNanos = { if case .every(let n) = plan.pacing { n } else { 0 } }()
        intervalNanos = plan.pacing.intervalNanos
        pacingStats.paced = plan.pacing != .unpaced
        pacingStats.intervalNanos = plan.pacing.intervalNanos
        dryFormatter = engine == nil ? ResultFormatter(format: plan.output, topic: topic) : nil
        if case .lines(_, _, _, let f) = plan.source { inputFormat = f } else { inputFormat = .lines }
    }

    deinit {
        for n in headerNames { free(n) }
        outHeaders.deallocate()
        merged.deallocate()
    }

    private var headerCount: Int { headerNames.count }

    func runGenerate() {
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        let count = plan.count ?? UInt64.max
        var i: UInt64 = 0
        startClock()
        while i < count {
            if !emit(index: i, line: empty, keyPart: nil) { break }
            i += 1
        }
    }

    func runLines(_ reader: LineReader) throws(EmitError) {
        let count = plan.count ?? UInt64.max
        var i: UInt64 = 0
        startClock()
        reader.deadlineNanos = durationEnd
        while i < count {
            if stop.isStopped { break }
            switch try reader.next() {
            case .end, .stopped: return
            case .record(let line) where inputFormat == .json:
                if try !emitEnvelope(index: i, line: line) { return }
            case .record(let line):
                var keyPart: UnsafeRawBufferPointer?
                var valuePart = line
                if let kd = keyDelimiter, let split = Self.split(line, at: kd) {
                    keyPart = split.0
                    valuePart = split.1
                }
                if !emit(index: i, line: valuePart, keyPart: keyPart) { return }
            }
            i += 1
        }
    }

    private var durationExpired: Bool { durationEnd != 0 && Clock.monotonicNanos() >= durationEnd }

    private func startClock() {
        let now = Clock.monotonicNanos()
        scheduleStart = now
        if let d = plan.durationNanos { durationEnd = now + d }
    }

    static func split(_ line: UnsafeRawBufferPointer, at d: [UInt8]) -> (UnsafeRawBufferPointer, UnsafeRawBufferPointer)? {
        guard let base = line.baseAddress, line.count >= d.count else { return nil }
        guard let k = d.withUnsafeBytes({ findBytes(line, $0) }) else { return nil }
        return (UnsafeRawBufferPointer(start: base, count: k),
                UnsafeRawBufferPointer(start: base + k + d.count, count: line.count - k - d.count))
    }

    /// `--input-format json`: one kcat -J envelope per line. A malformed one is exit 65 under
    /// --stop-on-error, else a `failed` line naming the input line.
    private func emitEnvelope(index: UInt64, line: UnsafeRawBufferPointer) throws(EmitError) -> Bool {
        let env: Envelope
        do {
            env = try Envelope.parse(line)
        } catch {
            let message = "input line \(index + 1): \(error.message)"
            if plan.stopOnError { throw .dataError("--input-format json: \(message); fix the line, or pass --continue-on-error") }
            return reportBadInput(index: index, line: line, message: message)
        }
        extraArena.removeAll()
        var offsets: [(Int, Int, Int, Int)] = []   // name offset, value offset, value length (-1 = null)
        offsets.reserveCapacity(env.headers.count)
        for h in env.headers {
            let nameAt = extraArena.count
            extraArena.append(h.name); extraArena.append(0)
            let valueAt = extraArena.count
            if let v = h.value { extraArena.append(v) }
            offsets.append((nameAt, valueAt, h.value?.count ?? -1, 0))
        }
        extraHeaders.removeAll(keepingCapacity: true)
        let base = extraArena.base
        for o in offsets {
            let name = UnsafeRawPointer(base + o.0).assumingMemoryBound(to: CChar.self)
            let value = o.2 < 0 ? nil : UnsafeRawBufferPointer(start: base + o.1, count: o.2)
            extraHeaders.append(OutgoingHeader(name: name, value: value))
        }
        extraHeaderCount = extraHeaders.count
        defer { extraHeaderCount = 0 }
        let payload = env.payload ?? []
        return payload.withUnsafeBytes { pv in
            let keyBytes = env.key ?? []
            return keyBytes.withUnsafeBytes { kv in
                emit(index: index, line: pv, keyPart: env.key == nil ? nil : kv,
                     valueIsNull: env.payload == nil, partitionOverride: env.partition)
            }
        }
    }

    private func reportBadInput(index: UInt64, line: UnsafeRawBufferPointer, message: String) -> Bool {
        guard let engine = engineRef?.takeUnretainedValue(), let correlations = correlationsRef?.takeUnretainedValue() else {
            writeAll(2, "kafka-emit: \(message)\n")
            return true
        }
        // Render the correlation from this line alone: {line} is the raw input line, {key} empty.
        ctx.index = index
        ctx.line = line
        ctx.keyPart = UnsafeRawBufferPointer(start: nil, count: 0)
        ctx.wallMillis = -1
        correlationBuffer.removeAll()
        correlationTemplate.render(into: correlationBuffer, &ctx)
        guard let slot = engine.acquireSlot(shouldStop: { stop.isStopped }) else { return false }
        correlations.store(slot: slot, index: index, correlation: correlationBuffer.bytes)
        attempted += 1
        engine.reportLocalFailure(slot: slot, code: LibrdkafkaInfo.badMessageCode, message: message, key: nil, value: nil, partition: -1)
        return true
    }

    /// Sleeps until record `i`'s deadline. Returns the time it woke, or nil when stopped.
    @inline(__always) private func pace(_ i: UInt64) -> UInt64? {
        let offset = everyNanos > 0 ? i &* everyNanos : UInt64(Double(i) * intervalNanos)
        let deadline = scheduleStart &+ shiftNanos &+ offset
        var now = Clock.monotonicNanos()
        if durationEnd != 0 && deadline >= durationEnd { return nil }
        if now < deadline { engineRef?._withUnsafeGuaranteedRef { $0.producerWillWait() } }
        while now < deadline {
            if stop.isStopped { return nil }
            Clock.sleep(untilMonotonic: min(deadline, now + 100_000_000))
            now = Clock.monotonicNanos()
        }
        let late = now - deadline
        _ = pacingStats.latenessMicros.record(late / 1000)
        if i == 0 { pacingStats.firstSendNanos = now }
        pacingStats.lastSendNanos = now
        pacingStats.lastIndex = i
        if late > Self.rebaseAfterNanos {
            // Stalled (stopped process, slow machine): resume the cadence from here, no burst.
            shiftNanos &+= late
            pacingStats.behindNanos &+= late
        }
        return now
    }

    /// Builds and sends one record; false when the run must stop.
    @inline(__always) private func emit(index: UInt64, line: UnsafeRawBufferPointer, keyPart: UnsafeRawBufferPointer?,
                                        valueIsNull: Bool = false, partitionOverride: Int32? = nil) -> Bool {
        if stop.isStopped { return false }
        if pacingStats.paced {
            guard pace(index) != nil else { return false }
        } else if durationEnd != 0 && Clock.monotonicNanos() >= durationEnd {
            return false
        }
        ctx.index = index
        ctx.line = line
        ctx.keyPart = keyPart ?? UnsafeRawBufferPointer(start: nil, count: 0)
        ctx.wallMillis = -1

        let key: UnsafeRawBufferPointer?
        switch keyField {
        case .null: key = nil
        case .line: key = line
        case .keyPart: key = keyPart
        case .template:
            keyBuffer.removeAll()
            keyTemplate!.render(into: keyBuffer, &ctx)
            key = keyBuffer.bytes
        }
        var value: UnsafeRawBufferPointer?
        if valueField == .line {
            value = valueIsNull ? nil : line
        } else {
            valueBuffer.removeAll()
            valueTemplate.render(into: valueBuffer, &ctx)
            value = valueBuffer.bytes
        }
        if nullEmpty, let v = value, v.count == 0 { value = nil }

        var correlation = UnsafeRawBufferPointer(start: nil, count: 0)
        if needCorrelationBytes {
            correlationBuffer.removeAll()
            correlationTemplate.render(into: correlationBuffer, &ctx)
            correlation = correlationBuffer.bytes
        }
        var h = 0
        while h < headerCount {
            let b = headerBuffers[h]
            b.removeAll()
            headerTemplates[h].render(into: b, &ctx)
            outHeaders[h].value = b.bytes
            h += 1
        }
        var headers = UnsafeBufferPointer(start: outHeaders.baseAddress, count: headerCount)
        if extraHeaderCount > 0 {
            // Envelope headers first, then -H and the correlation header.
            let total = extraHeaders.count + headerCount
            if total > mergedCapacity {
                merged.deallocate()
                mergedCapacity = total
                merged = .allocate(capacity: total)
            }
            for (k, e) in extraHeaders.enumerated() { (merged + k).initialize(to: e) }
            for k in 0..<headerCount { (merged + extraHeaders.count + k).initialize(to: outHeaders[k]) }
            headers = UnsafeBufferPointer(start: merged, count: total)
        }
        let partition = fixedPartition ?? partitionOverride ?? self.partition

        guard let engineRef, let correlationsRef else {
            writeDryRun(key: key, value: value, headers: headers, correlation: correlation)
            attempted += 1
            return !(dryRunWriter?.closed ?? false)
        }
        // Borrowed (+0) references: no retain/release pair per record.
        return engineRef._withUnsafeGuaranteedRef { engine in
            correlationsRef._withUnsafeGuaranteedRef { correlations in
                send(engine, correlations, index: index, key: key, value: value, headers: headers,
                     partition: partition, correlation: correlation)
            }
        }
    }

    @inline(__always) private func send(_ engine: DeliveryEngine, _ correlations: CorrelationStore, index: UInt64,
                                        key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
                                        headers: UnsafeBufferPointer<OutgoingHeader>, partition: Int32,
                                        correlation: UnsafeRawBufferPointer) -> Bool {
        var waitedForCluster = false
        if !clusterReady && attempted >= Self.recordsBeforeConnected {
            // Until the cluster has answered, queue only a few records: otherwise the whole
            // in-flight window piles up in librdkafka's queue (memory) before the first send.
            while !engine.isReady {
                if stop.isStopped || durationExpired { return false }
                engine.serveReportsOnProducer()   // the first delivery report is what we wait for
                if engine.isReady { break }
                Clock.sleep(nanos: 200_000)
                waitedForCluster = true
            }
            clusterReady = true
        }
        let waitsBefore = engine.slotWaits
        guard let slot = engine.acquireSlot(shouldStop: { stop.isStopped || durationExpired }) else { return false }
        correlations.store(slot: slot, index: index, correlation: correlation)
        let outcome = engine.produce(slot: slot, key: key, value: value, headers: headers, partition: partition,
                                     shouldStop: { stop.isStopped })
        if pacingStats.paced && (engine.slotWaits != waitsBefore || waitedForCluster) {
            // Backpressure (no free slot, librdkafka's queue full, or waiting for the cluster)
            // held this record: shift the schedule so the cadence resumes from now, no burst.
            let offset = everyNanos > 0 ? index &* everyNanos : UInt64(Double(index) * intervalNanos)
            let deadline = scheduleStart &+ shiftNanos &+ offset
            let now = Clock.monotonicNanos()
            if now > deadline {
                shiftNanos &+= now - deadline
                pacingStats.behindNanos &+= now - deadline
            }
        }
        switch outcome {
        case .accepted:
            attempted += 1
            if servesReports && attempted & 31 == 0 { engine.serveReportsOnProducer() }
            return true
        case .refused(let code, let message):
            attempted += 1
            engine.reportLocalFailure(slot: slot, code: code, message: message, key: key, value: value, partition: partition)
            return true
        case .stopped:
            engine.releaseUnsent(slot)
            return false
        }
    }

    private func writeDryRun(key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?,
                             headers: UnsafeBufferPointer<OutgoingHeader>, correlation: UnsafeRawBufferPointer) {
        guard let w = dryRunWriter else { return }
        let out = w.buffer
        switch plan.output {
        case .none: return
        case .json:
            out.append("{\"topic\":"); ResultFormatter.appendJSONString(out, plan.topic)
            out.append(",\"partition\":"); out.appendDecimal(Int64(partition))
            out.append(",\"key\":"); if let key { ResultFormatter.appendJSONString(out, key) } else { out.append("null") }
            out.append(",\"value\":"); if let value { ResultFormatter.appendJSONString(out, value) } else { out.append("null") }
            out.append(",\"headers\":{")
            for (i, h) in headers.enumerated() {
                if i > 0 { out.append(0x2C) }
                ResultFormatter.appendJSONString(out, String(cString: h.name))
                out.append(0x3A)
                ResultFormatter.appendJSONString(out, h.value ?? UnsafeRawBufferPointer(start: nil, count: 0))
            }
            out.append("},\"correlation\":"); ResultFormatter.appendJSONString(out, correlation)
            out.append("}\n")
        case .text:
            out.append("record topic="); out.append(plan.topic)
            out.append(" partition="); out.appendDecimal(Int64(partition))
            out.append(" key="); if let key { out.append(key) } else { out.append("(null)") }
            out.append(" value="); if let value { out.append(value) } else { out.append("(null)") }
            for h in headers {
                out.append(" header:"); out.append(String(cString: h.name)); out.append(0x3D)
                if let v = h.value { out.append(v) }
            }
            out.append(" correlation="); out.append(correlation)
            out.append(0x0A)
        case .custom:
            let view = ResultView(delivered: true, partition: partition, offset: -1, timestampMillis: ctx.millis(),
                                  latencyMicros: 0, key: key, value: value, correlation: correlation,
                                  errorName: "", errorMessage: "")
            dryFormatter?.append(view, to: out)
        }
        w.lineDone()
    }
}
