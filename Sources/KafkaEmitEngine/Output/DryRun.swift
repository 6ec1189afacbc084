@_spi(Engine) import KafkaEmit

/// `--dry-run`: the plan's records go through the one send loop, with a producer that sends
/// nowhere: each is delivered at once, and rendered on stdout in order. No broker is contacted.
final class DryRun {
    private let plan: EmitPlan
    private let stop: StopSignal
    private let stdoutFD: Int32
    private let stderrFD: Int32

    init(plan: EmitPlan, stop: StopSignal, stdoutFD: Int32, stderrFD: Int32) {
        self.plan = plan
        self.stop = stop
        self.stdoutFD = stdoutFD
        self.stderrFD = stderrFD
    }

    func run(_ input: InputStream?, encoders: SchemaEncoders = SchemaEncoders()) throws(EmitError) -> RunResult {
        let writer = OutputWriter(fd: stdoutFD, abandonFD: stop.abandonFD)
        let sink = DryRunSink(plan: plan, writer: writer, stop: stop, stderrFD: stderrFD, encoders: encoders)
        var options = SendOptions()
        options.defaultTopic = plan.topic
        options.stopOnError = plan.stopOnError
        options.shard = plan.shard
        let loop = try SendLoop(sendingNowhere: sink, stop: stop, options: options)
        // The records' JSON is shown beside the schema id unless nothing is shown.
        let templates = RecordTemplates(plan: plan, alwaysRenderCorrelation: true, encoders: encoders, renderSchemaJSON: plan.output != .none)
        let outcome = plan.withSource(input: input, templates: templates, maxRecordBytes: KafkaConfig.messageMaxBytes(plan.properties),
                                      stop: stop, Rendering(loop: loop, plan: plan))
        writer.flush()
        var result = RunResult()
        result.dryRun = true
        result.attempted = outcome.delivered
        result.droppedLines = writer.droppedLines
        // stdout, then a signal or the input error the run met; else it finished.
        let reason: StopReason = writer.closed ? .outputClosed : writer.failure != nil ? .outputError : outcome.stopReason
        if reason == .inputError, let error = outcome.inputError {
            (result.ending, result.message) = (.inputError(error), error.message)
        } else if reason != .none {
            (result.ending, result.message) = EmitRun.ending(reason, outcome: nil, plan: plan, stdoutFailure: writer.failure)
        }
        if !plan.quiet {
            let dropped = result.droppedLines > 0 ? ", \(result.droppedLines) lines dropped (stdout did not take them)" : ""
            writeAll(stderrFD, "kafka-emit: dry run: \(result.attempted) record(s) rendered, nothing sent\(dropped)\n")
        }
        return result
    }

    private struct Rendering: SourceConsumer {
        let loop: SendLoop<DryRunSink>
        let plan: EmitPlan
        func consume<Source: RecordSource>(_ source: Source) -> SendOutcome {
            // As fast as stdout takes them (--every and --rate do not slow a dry run down);
            // --duration still ends it.
            var pacer = Pacer(.unpaced, durationNanos: plan.durationNanos, clock: SystemClock())
            return loop.run(source, pacer: &pacer)
        }
    }
}

/// The dry run's sink: a delivered record's rendering goes to stdout; a record refused before
/// that (malformed input under --continue-on-error, too large) is one line on stderr.
///
/// `@unchecked Sendable` — invariant: the producing thread alone calls it (the producer that
/// sends nowhere reports each record at once, on that thread, before the next `willSend`), so
/// `pending` holds the rendering of the one record whose report comes next.
final class DryRunSink: ResultSink, @unchecked Sendable {
    private let plan: EmitPlan
    private let writer: OutputWriter
    private let stop: StopSignal
    private let stderrFD: Int32
    private let pending = ByteBuffer(capacity: 256)
    private lazy var topicBytes: ByteBuffer = { let b = ByteBuffer(); b.append(plan.topic ?? ""); return b }()
    private lazy var customFormatter = ResultFormatter(format: plan.output)

    /// With schemas, a record shows its JSON, its schema id and its encoded size (text), or
    /// the encoded bytes in base64 beside the JSON (`-o json`).
    private let encoders: SchemaEncoders

    init(plan: EmitPlan, writer: OutputWriter, stop: StopSignal, stderrFD: Int32, encoders: SchemaEncoders = SchemaEncoders()) {
        self.plan = plan
        self.encoders = encoders
        self.writer = writer
        self.stop = stop
        self.stderrFD = stderrFD
    }

    /// The record is rendered now: its bytes are lent for this call only.
    func willSend(slot: Int, record: RecordView, topic: TopicID) {
        pending.removeAll()
        write(record, to: pending)
    }

    func deliveries(_ reports: UnsafeMutableBufferPointer<DeliveryReport>, nowNanos: UInt64) {
        for r in reports {
            if r.errorCode == 0 {
                guard plan.output != .none else { continue }
                writer.buffer.append(pending.bytes)
                writer.lineDone()
            } else {
                writeAll(stderrFD, "kafka-emit: \(r.detail.map { String(decoding: $0, as: UTF8.self) } ?? "")\n")
            }
        }
        checkWriter()
    }

    func idle() {
        writer.flush()
        checkWriter()
    }

    private func checkWriter() {
        if writer.closed { stop.request(.outputClosed) } else if writer.failure != nil { stop.request(.outputError) }
    }

    private func write(_ r: RecordView, to out: ByteBuffer) {
        switch plan.output {
        case .none: return
        case .json:
            Self.appendJSON(r, topic: r.topic ?? topicBytes.bytes, to: out, encoders: encoders)
        case .text:
            // Quoted as result lines are (SPEC §4), so one record is one line whatever its bytes.
            out.appendLiteral("record topic="); TextResult.appendValue(r.topic ?? topicBytes.bytes, out)
            out.appendLiteral(" partition="); out.appendDecimal(Int64(r.partition))
            out.appendLiteral(" key="); appendField(r.key, encoders.key, out)
            out.appendLiteral(" value="); appendField(r.value, encoders.value, out)
            for h in r.headers {
                out.appendLiteral(" header:"); TextResult.appendValue(h.name, out); out.append(0x3D)
                if let v = h.value { TextResult.appendValue(v, out) }
            }
            out.appendLiteral(" correlation="); TextResult.appendValue(r.correlation, out)
            out.append(0x0A)
        case .custom:
            let view = ResultView(outcome: .delivered, topic: r.topic ?? topicBytes.bytes, partition: r.partition, offset: -1, timestampMillis: r.timestampMillis,
                                  latencyMicros: 0, key: r.key, value: r.value, correlation: r.correlation)
            customFormatter.append(view, to: out)
        }
    }

    /// A key or value in a text line: with a schema, its JSON, then `(schema id N, M bytes)`.
    private func appendField(_ b: UnsafeRawBufferPointer?, _ encoder: FramedEncoder?, _ out: ByteBuffer) {
        guard let b else { out.appendLiteral("(null)"); return }
        guard let encoder else { TextResult.appendValue(b, out); return }
        TextResult.appendValue(encoder.lastJSON, out)
        out.appendLiteral(" (schema-id="); out.appendDecimal(Int64(encoder.schemaID))
        out.appendLiteral(" encoded-bytes="); out.appendDecimal(Int64(b.count)); out.append(0x29)
    }

    /// One record as `--input-format json` reads it back: topic, partition, timestamp, key,
    /// value, headers (an object; null values kept) and the correlation. With schemas, the
    /// key's or value's JSON, and `value_schema_id` and `value_encoded` (base64) beside it.
    static func appendJSON(_ r: RecordView, topic: UnsafeRawBufferPointer, to out: ByteBuffer, encoders: SchemaEncoders = SchemaEncoders()) {
        func bytes(_ b: UnsafeRawBufferPointer?) {
            if let b { JSONString.append(out, b) } else { out.appendLiteral("null") }
        }
        func encoded(_ name: StaticString, _ b: UnsafeRawBufferPointer?, _ e: FramedEncoder?) {
            guard let e, let b else { return }
            out.appendLiteral(","); out.appendLiteral(name); out.appendLiteral("_schema_id\":"); out.appendDecimal(Int64(e.schemaID))
            out.appendLiteral(","); out.appendLiteral(name); out.appendLiteral("_encoded\":\""); Base64.append(b, to: out); out.append(0x22)
        }
        out.appendLiteral("{\"topic\":"); JSONString.append(out, topic)
        out.appendLiteral(",\"partition\":"); out.appendDecimal(Int64(r.partition))
        if r.timestampMillis > 0 { out.appendLiteral(",\"timestamp\":"); out.appendDecimal(r.timestampMillis) }
        out.appendLiteral(",\"key\":"); bytes(encoders.key != nil && r.key != nil ? encoders.key!.lastJSON : r.key)
        encoded("\"key", r.key, encoders.key)
        out.appendLiteral(",\"value\":"); bytes(encoders.value != nil && r.value != nil ? encoders.value!.lastJSON : r.value)
        encoded("\"value", r.value, encoders.value)
        out.appendLiteral(",\"headers\":{")
        for (i, h) in r.headers.enumerated() {
            if i > 0 { out.append(0x2C) }
            JSONString.append(out, h.name)
            out.append(0x3A)
            bytes(h.value)
        }
        out.appendLiteral("},\"correlation\":"); JSONString.append(out, r.correlation)
        out.appendLiteral("}\n")
    }
}
