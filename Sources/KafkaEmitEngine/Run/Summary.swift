@_spi(Engine) import KafkaEmit
import Histogram

/// The end-of-run summary on stderr, as a line of text or (with `-o json`) one JSON object.
package enum Summary {
    /// One line; on a terminal (`terminal`), two: the outcome, then latency and the rest.
    /// Rates count delivered records only.
    package static func text(_ r: RunResult, terminal: Bool = false) -> String {
        let secs = Double(r.elapsedNanos) / 1e9
        let rate = secs > 0 ? Double(r.delivered) / secs : 0
        let mbps = secs > 0 ? Double(r.deliveredBytes) / secs / 1e6 : 0
        var line = "kafka-emit: \(r.delivered) delivered, \(r.failed) failed"
        if r.unknown > 0 { line += ", \(r.unknown) unknown (possibly stored)" }
        if let n = neverSent(r), n > 0 { line += ", \(n) never sent" }
        if r.droppedLines > 0 { line += ", \(r.droppedLines) result lines dropped (stdout did not take them)" }
        line += " in \(Fmt.seconds(nanos: r.elapsedNanos))"
        line += " (\(Fmt.fixed(rate, rate < 100 ? 1 : 0)) records/s, \(Fmt.fixed(mbps, 2)) MB/s)"
        let outcomeEnd = line.endIndex
        if r.warmupExcluded > 0 { line += "; \(r.warmupExcluded) warm-up records kept out of latency" }
        if let h = r.latency, let mean = r.latencyMeanMicros { line += latencyText(h, mean: mean) }
        if let t = r.transactions {
            line += "; transactions \(t.committed) committed, \(t.aborted) aborted"
            let c = r.commitMicros
            if c.totalCount > 0 {
                line += ", commit ms p50=\(Fmt.millis(micros: c.valueAtPercentile(50))) p99=\(Fmt.millis(micros: c.valueAtPercentile(99)))"
            }
        }
        let p = r.pacing
        if p.paced && r.latenessMicros.totalCount > 0 {
            let h = r.latenessMicros
            line += "; send lateness us p50=\(h.valueAtPercentile(50)) p99=\(h.valueAtPercentile(99)) max=\(h.max)"
            line += ", behind schedule \(Fmt.millis(micros: p.behindNanos / 1000))ms"
            if p.sent > 1 {
                line += ", drift \(signedMillis(p.driftNanos))ms, send rate \(Fmt.fixed(p.achievedRate, 1))/s"
            }
            if p.replaying {
                line += "; replay drift \(signedMillis(p.replayDriftNanos))ms, \(p.replayOutOfOrder) out of order"
                if p.replayUntimed > 0 { line += ", \(p.replayUntimed) without a timestamp" }
                line += " (sent at once)"
            }
        }
        var stageLines = ""
        for (k, s) in r.stages.enumerated() {
            stageLines += "\nkafka-emit: stage \(k + 1)/\(r.stages.count) '\(s.name)': \(s.delivered) delivered"
            if let mean = s.latencyMeanMicros { stageLines += latencyText(s.latency, mean: mean) }
        }
        if terminal && line.endIndex > outcomeEnd {
            // "; latency ms …" becomes a second line of its own.
            return String(line[..<outcomeEnd]) + "\nkafka-emit: " + String(line[line.index(outcomeEnd, offsetBy: 2)...]) + stageLines
        }
        return line + stageLines
    }

    /// `; latency ms mean=… p50=… … max=…` (the run's, and each stage's).
    private static func latencyText(_ h: Histogram<UInt64>, mean: Double) -> String {
        var text = "; latency ms mean=\(Fmt.millis(micros: UInt64(mean)))"
        for (name, p) in percentiles { text += " \(name)=\(Fmt.millis(micros: h.valueAtPercentile(p)))" }
        return text + " max=\(Fmt.millis(micros: h.max))"
    }

    /// Nanoseconds as signed milliseconds, signed as printed: a drift that rounds to 0.000
    /// reads +0.000, whatever its sign.
    private static func signedMillis(_ nanos: Double) -> String {
        let ms = Fmt.fixed(nanos / 1e6, 3)
        return ms.hasPrefix("-") ? ms : "+" + ms
    }

    /// `{"mean":…,"p50":…,…,"max":…}` in ms, or nulls.
    private static func latencyJSON(_ h: Histogram<UInt64>?, mean: Double?) -> String {
        func ms(_ us: UInt64) -> String { Fmt.fixed(Double(us) / 1000, 3) }
        guard let h, let mean else {
            return "{\"mean\":null" + percentiles.map { ",\"\($0.0.replacingAll(".", with: "_"))\":null" }.joined() + ",\"max\":null}"
        }
        var json = "{\"mean\":\(Fmt.fixed(mean / 1000, 3))"
        for (name, p) in percentiles { json += ",\"\(name.replacingAll(".", with: "_"))\":\(ms(h.valueAtPercentile(p)))" }
        return json + ",\"max\":\(ms(h.max))}"
    }

    package static func json(_ r: RunResult, exitCode: Int32) -> String {
        let secs = Double(r.elapsedNanos) / 1e9
        let rate = secs > 0 ? Double(r.delivered + r.failed + r.unknown) / secs : 0
        let mbps = secs > 0 ? Double(r.deliveredBytes) / secs / 1e6 : 0
        func ms(_ us: UInt64) -> String { Fmt.fixed(Double(us) / 1000, 3) }
        var json = "{\"summary\":true,\"delivered\":\(r.delivered),\"failed\":\(r.failed),\"unknown\":\(r.unknown)"
        json += ",\"never_sent\":\(neverSent(r).map(String.init) ?? "null"),\"warmup_excluded\":\(r.warmupExcluded)"
        json += ",\"dropped_lines\":\(r.droppedLines)"
        json += ",\"elapsed_s\":\(Fmt.fixed(secs, 3)),\"records_per_s\":\(Fmt.fixed(rate, 1)),\"mb_per_s\":\(Fmt.fixed(mbps, 3))"
        json += ",\"latency_ms\":" + latencyJSON(r.latency, mean: r.latencyMeanMicros)
        if !r.stages.isEmpty {
            json += ",\"stages\":[" + r.stages.enumerated().map { k, s in
                "{\"stage\":\(k + 1),\"name\":\(JSONString.quoted(s.name)),\"delivered\":\(s.delivered),\"latency_ms\":"
                    + latencyJSON(s.latency, mean: s.latencyMeanMicros) + "}"
            }.joined(separator: ",") + "]"
        }
        let p = r.pacing
        if p.paced {
            let h = r.latenessMicros
            json += ",\"lateness_us\":{\"p50\":\(h.valueAtPercentile(50)),\"p99\":\(h.valueAtPercentile(99)),\"max\":\(h.max)}"
            json += ",\"behind_schedule_ms\":\(ms(p.behindNanos / 1000))"
            json += ",\"drift_ms\":\(Fmt.fixed(p.driftNanos / 1e6, 3)),\"send_rate\":\(Fmt.fixed(p.achievedRate, 2))"
            if p.replaying {
                json += ",\"replay\":{\"drift_ms\":\(Fmt.fixed(p.replayDriftNanos / 1e6, 3)),\"out_of_order\":\(p.replayOutOfOrder),\"untimed\":\(p.replayUntimed)}"
            }
        }
        if let t = r.transactions {
            let c = r.commitMicros
            let commit = c.totalCount > 0 ? "{\"p50\":\(ms(c.valueAtPercentile(50))),\"p99\":\(ms(c.valueAtPercentile(99)))}" : "null"
            json += ",\"transactions\":{\"committed\":\(t.committed),\"aborted\":\(t.aborted),\"commit_ms\":\(commit)}"
        }
        if case .abandoned(let n, _) = r.ending { json += ",\"abandoned\":\(n)" }
        return json + ",\"exit_code\":\(exitCode)}"
    }

    private static let percentiles: [(String, Double)] = [("p50", 50), ("p95", 95), ("p99", 99), ("p99.9", 99.9)]

    /// Records the run was asked for but never handed to the send path.
    static func neverSent(_ r: RunResult) -> UInt64? {
        guard let n = r.requested, !r.dryRun else { return nil }
        let attempted = UInt64(max(0, r.attempted))
        return n > attempted ? n - attempted : 0
    }
}
