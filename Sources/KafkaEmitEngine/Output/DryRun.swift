import KafkaEmit

/// `--dry-run`: renders the records the plan would send, in order, and contacts no broker.
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

    private lazy var topicBytes: ByteBuffer = { let b = ByteBuffer(); b.append(plan.topic ?? ""); return b }()
    private lazy var customFormatter = ResultFormatter(format: plan.output)

    func run(_ input: InputStream?) -> RunResult {
        let writer = OutputWriter(fd: stdoutFD, abandonFD: stop.abandonFD)
        let templates = RecordTemplates(plan: plan, alwaysRenderCorrelation: true)
        var result = plan.withSource(input: input, templates: templates, maxRecordBytes: KafkaConfig.messageMaxBytes(plan.properties),
                                     stop: stop, Rendering(dry: self, writer: writer))
        writer.flush()
        result.dryRun = true
        result.droppedLines = writer.droppedLines
        // stdout, then a signal; else the run finished, or ended on the input error it met.
        let reason: StopReason = writer.closed ? .outputClosed : writer.failure != nil ? .outputError : stop.reason
        if reason != .none {
            (result.ending, result.message) = EmitRun.ending(reason, outcome: nil, plan: plan, stdoutFailure: writer.failure)
        }
        if !plan.quiet {
            let dropped = result.droppedLines > 0 ? ", \(result.droppedLines) lines dropped (stdout did not take them)" : ""
            writeAll(stderrFD, "kafka-emit: dry run: \(result.attempted) record(s) rendered, nothing sent\(dropped)\n")
        }
        return result
    }

    private struct Rendering: SourceConsumer {
        let dry: DryRun
        let writer: OutputWriter
        func consume<Source: RecordSource>(_ source: Source) -> RunResult {
            var result = RunResult()
            var pacer = Pacer(.unpaced, durationNanos: dry.plan.durationNanos, clock: SystemClock())
            pacer.begin()
            source.begin(inputDeadlineNanos: pacer.durationEnd)
            do throws(EmitError) {
                while !dry.stop.isStopped && !writer.closed && !pacer.expired {
                    let event = try source.advance()
                    if let s = dry.plan.shard, event != .end, event != .endOfWindow, source.index % s.count != s.index { continue }
                    switch event {
                    case .end: return result
                    case .endOfWindow: continue
                    case .malformed(let message):
                        if dry.plan.stopOnError { throw .dataError("\(message); fix the input, or pass --continue-on-error") }
                        writeAll(dry.stderrFD, "kafka-emit: \(message)\n")
                    case .failed(_, let message):
                        writeAll(dry.stderrFD, "kafka-emit: \(message)\n")
                    case .ready:
                        let record = source.record()
                        if let why = record.buildError {
                            if dry.plan.stopOnError { throw .dataError("\(why); fix the input, or pass --continue-on-error") }
                            writeAll(dry.stderrFD, "kafka-emit: \(why)\n")
                            continue
                        }
                        dry.write(record, to: writer)
                        result.attempted += 1
                    }
                }
            } catch {
                result.ending = .inputError(error)
                result.message = error.message
            }
            return result
        }
    }

    private func write(_ r: RecordView, to w: OutputWriter) {
        let out = w.buffer
        switch plan.output {
        case .none: return
        case .json:
            Self.appendJSON(r, topic: r.topic ?? topicBytes.bytes, to: out)
        case .text:
            // Quoted as result lines are (SPEC §4), so one record is one line whatever its bytes.
            out.appendLiteral("record topic="); TextResult.appendValue(r.topic ?? topicBytes.bytes, out)
            out.appendLiteral(" partition="); out.appendDecimal(Int64(r.partition))
            out.appendLiteral(" key="); if let key = r.key { TextResult.appendValue(key, out) } else { out.appendLiteral("(null)") }
            out.appendLiteral(" value="); if let value = r.value { TextResult.appendValue(value, out) } else { out.appendLiteral("(null)") }
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
        w.lineDone()
    }

    /// One record as `--input-format json` reads it back: topic, partition, timestamp, key,
    /// value, headers (an object; null values kept) and the correlation.
    static func appendJSON(_ r: RecordView, topic: UnsafeRawBufferPointer, to out: ByteBuffer) {
        func bytes(_ b: UnsafeRawBufferPointer?) {
            if let b { JSONString.append(out, b) } else { out.appendLiteral("null") }
        }
        out.appendLiteral("{\"topic\":"); JSONString.append(out, topic)
        out.appendLiteral(",\"partition\":"); out.appendDecimal(Int64(r.partition))
        if r.timestampMillis > 0 { out.appendLiteral(",\"timestamp\":"); out.appendDecimal(r.timestampMillis) }
        out.appendLiteral(",\"key\":"); bytes(r.key)
        out.appendLiteral(",\"value\":"); bytes(r.value)
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
