import Testing
@testable import KafkaEmitEngine

@Suite struct PlanTests {
    func usage(_ plan: EmitPlan) -> String? {
        do { try plan.validate(); return nil } catch { if case .usage(let m) = error { return m }; return "not a usage error: \(error)" }
    }

    @Test func generateNeedsABound() throws {
        var p = EmitPlan(topic: "t")
        #expect(usage(p)?.contains("needs a bound") == true)
        p.count = 5
        #expect(usage(p) == nil)
        p.count = nil
        p.pacing = .every(nanos: 1_000_000)
        #expect(usage(p) == nil)
        p.pacing = .unpaced
        p.durationNanos = 1_000_000_000
        #expect(usage(p) == nil)
    }

    @Test func lineAndKeyPlaceholdersNeedLinesMode() throws {
        var p = EmitPlan(topic: "t")
        p.count = 1
        p.value = try Template.parse("{line}", flag: "--value")
        #expect(usage(p)?.contains("{line} needs an input") == true)
        p = EmitPlan(topic: "t", source: .lines(path: "-", delimiter: [10], keyDelimiter: nil, format: .lines))
        p.key = try Template.parse("{key}", flag: "--key")
        #expect(usage(p)?.contains("{key} needs --key-delimiter") == true)
        p = EmitPlan(topic: "t", source: .lines(path: "-", delimiter: [10], keyDelimiter: [0x3A], format: .lines))
        #expect(p.key?.isKey == true)
        #expect(usage(p) == nil)
    }

    @Test func defaults() {
        let g = EmitPlan(topic: "t")
        #expect(g.key?.source == "{i}")
        #expect(g.value.source == "event-{i}")
        #expect(g.correlation.isIndex)
        let l = EmitPlan(topic: "t", source: .lines(path: "-", delimiter: [10], keyDelimiter: nil, format: .lines))
        #expect(l.key == nil)
        #expect(l.value.isLine)
    }

    @Test(arguments: ["", "bad topic", "a/b", String(repeating: "x", count: 250)])
    func badTopics(name: String) {
        var p = EmitPlan(topic: name)
        p.count = 1
        #expect(usage(p)?.hasPrefix("--topic") == true)
    }

    @Test func ranges() {
        var p = EmitPlan(topic: "t")
        p.count = 1
        p.partition = -1
        #expect(usage(p)?.hasPrefix("--partition") == true)
        p.partition = nil
        p.output = .custom("%q")
        #expect(usage(p)?.hasPrefix("--output-format") == true)
    }
}
