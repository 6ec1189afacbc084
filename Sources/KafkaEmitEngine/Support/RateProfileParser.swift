@_spi(Engine) import KafkaEmit

/// `--rate-profile SPEC` (SPEC §2c): stages separated by `,`.
///
///     ramp 0..2000 30s                  from 0 to 2000 records/s over 30 s
///     hold 2000 60s                     2000 records/s for 60 s (`hold R`, last: until the run ends)
///     step 500 1000 2000 20s            each level for 20 s (one stage per level)
///     sine 1000±500 period 10s for 60s  (`+-` for ±)
///     burst 5000 for 2s every 30s over 400 [for 5m]
///                                       bursts at 0, 30 s, 60 s… (no `for`, last: until the run ends)
package enum RateProfileParser {
    static let flag = "--rate-profile"
    static let forms = "ramp A..B DURATION, hold R DURATION, step R1 R2 … DURATION, sine MEAN±AMP period P for DURATION, burst R for D every P over BASE [for DURATION]"

    package static func parse(_ text: String) throws(EmitError) -> [RateStage] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.split(separator: " ").map(String.init) }
        var stages: [RateStage] = []
        for (k, words) in parts.enumerated() {
            let shown = words.joined(separator: " ")
            guard let kind = words.first else {
                throw .usage("\(flag): stage \(k + 1) is empty; separate stages with one comma, e.g. 'ramp 0..1000 30s, hold 1000 60s'")
            }
            let made = try stage(kind, Array(words.dropFirst()), shown: shown)
            stages += made
        }
        for (k, s) in stages.enumerated() where s.seconds == nil && k != stages.count - 1 {
            throw .usage("\(flag): '\(s.name)' has no end, so only the last stage may leave out its duration")
        }
        if let last = stages.last, last.seconds == nil, case .hold(let r) = last.shape, r == 0 {
            throw .usage("\(flag): 'hold 0' with no duration would never send; give it a duration")
        }
        return stages
    }

    private static func stage(_ kind: String, _ w: [String], shown: String) throws(EmitError) -> [RateStage] {
        func bad(_ form: String) -> EmitError { .usage("\(flag): '\(shown)' is not a stage; write \(form)") }
        switch kind {
        case "hold":
            guard w.count == 1 || w.count == 2 else { throw bad("hold R DURATION, e.g. hold 2000 60s") }
            let r = try rate(w[0], shown, allowZero: true)
            return [RateStage(.hold(r), seconds: w.count == 2 ? try seconds(w[1], shown) : nil, name: shown)]
        case "ramp":
            guard w.count == 2 else { throw bad("ramp FROM..TO DURATION, e.g. ramp 0..2000 30s") }
            let ends = w[0].split(separator: ".", omittingEmptySubsequences: true)
            guard w[0].contains(".."), ends.count == 2 else { throw bad("ramp FROM..TO DURATION, e.g. ramp 0..2000 30s") }
            let a = try rate(String(ends[0]), shown, allowZero: true), b = try rate(String(ends[1]), shown, allowZero: true)
            return [RateStage(.ramp(from: a, to: b), seconds: try seconds(w[1], shown), name: shown)]
        case "step":
            guard w.count >= 2 else { throw bad("step R1 R2 … DURATION (each level for DURATION), e.g. step 500 1000 2000 20s") }
            let d = try seconds(w[w.count - 1], shown)
            var out: [RateStage] = []
            for level in w.dropLast() {
                out.append(RateStage(.hold(try rate(level, shown, allowZero: true)), seconds: d, name: "step \(level) \(w[w.count - 1])"))
            }
            return out
        case "sine":
            // sine MEAN±AMP period P for D
            guard w.count == 5, w[1] == "period", w[3] == "for" else { throw bad("sine MEAN±AMP period P for DURATION, e.g. sine 1000±500 period 10s for 60s") }
            let spec = w[0].replacingAll("+-", with: "±")
            let sides = spec.split(separator: "±", omittingEmptySubsequences: false)
            guard sides.count == 2 else { throw bad("sine MEAN±AMP period P for DURATION, e.g. sine 1000±500 period 10s for 60s") }
            let m = try rate(String(sides[0]), shown, allowZero: false), amp = try rate(String(sides[1]), shown, allowZero: true)
            guard amp <= m else {
                throw .usage("\(flag): '\(shown)': the amplitude \(sides[1]) is larger than the mean \(sides[0]), so the rate would go below 0; use at most \(sides[0])")
            }
            return [RateStage(.sine(mean: m, amplitude: amp, periodSeconds: try seconds(w[2], shown)), seconds: try seconds(w[4], shown), name: shown)]
        case "burst":
            // burst R for D every P over BASE [for TOTAL]
            let form = "burst R for D every P over BASE [for DURATION], e.g. burst 5000 for 2s every 30s over 400"
            guard w.count == 7 || w.count == 9, w[1] == "for", w[3] == "every", w[5] == "over" else { throw bad(form) }
            if w.count == 9 && w[7] != "for" { throw bad(form) }
            let r = try rate(w[0], shown, allowZero: false), base = try rate(w[6], shown, allowZero: true)
            let d = try seconds(w[2], shown), p = try seconds(w[4], shown)
            guard d < p else {
                throw .usage("\(flag): '\(shown)': the burst (\(w[2])) must be shorter than its period (\(w[4]))")
            }
            return [RateStage(.burst(rate: r, burstSeconds: d, periodSeconds: p, base: base),
                              seconds: w.count == 9 ? try seconds(w[8], shown) : nil, name: shown)]
        default:
            throw .usage("\(flag): unknown stage '\(kind)' in '\(shown)'; the stages are \(forms)")
        }
    }

    private static func rate(_ text: String, _ shown: String, allowZero: Bool) throws(EmitError) -> Double {
        guard let r = Double(text), r.isFinite, r >= 0, allowZero || r > 0 else {
            throw .usage("\(flag): '\(text)' in '\(shown)' is not a\(allowZero ? "" : " positive") number of records per second")
        }
        guard r <= 10_000_000 else { throw .usage("\(flag): \(text) in '\(shown)' is out of range; use at most 10000000 records/s") }
        return r
    }

    private static func seconds(_ text: String, _ shown: String) throws(EmitError) -> Double {
        let nanos = try DurationParser.parse(text, flag: "\(flag) '\(shown)'")
        guard nanos > 0 else { throw .usage("\(flag): '\(shown)': \(text) is not a positive duration") }
        return Double(nanos) / 1e9
    }
}
