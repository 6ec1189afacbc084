import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

@Suite struct TemplateTests {
    func render(_ text: String, index: UInt64 = 7, line: String = "", seed: UInt64 = 1, topic: String = "orders") throws -> String {
        let t = try Template.parse(text, flag: "--value")
        var ctx = RenderContext(rng: SeededRandom(seed: seed))
        ctx.index = index
        let lineBytes = Array(line.utf8)
        return lineBytes.withUnsafeBytes { raw in
            ctx.line = raw
            return String(decoding: CompiledTemplate(t, topic: topic).render(&ctx), as: UTF8.self)
        }
    }

    @Test func defaultsRender() throws {
        #expect(try render("event-{i}") == "event-7")
        #expect(try render("{i}", index: 0) == "0")
        #expect(try render("{i:6}", index: 42) == "000042")
        #expect(try render("{i:2}", index: 12345) == "12345")
        #expect(try render("{topic}/{i}") == "orders/7")
        #expect(try render("<{line}>", line: "hello") == "<hello>")
    }

    /// `{i}` keeps its digits from record to record and increments them in place: every carry,
    /// a jump back or forward, and a lone `{i}` (rendered outside the op loop) agree with the
    /// number formatted afresh.
    @Test func indexDigitsAcrossRecords() throws {
        let lone = CompiledTemplate(try Template.parse("{i}", flag: "--key"), topic: "t")
        let padded = CompiledTemplate(try Template.parse("{i:4}", flag: "--key"), topic: "t")
        let mixed = CompiledTemplate(try Template.parse("a{i}b{i:3}", flag: "--value"), topic: "t")
        var ctx = RenderContext(rng: SeededRandom(seed: 1))
        var seq: [UInt64] = Array(0...1205) + [99_999, 100_000, 100_001, 5, 6, 999_999_999_999_999_999]
        seq += [UInt64.max - 1, UInt64.max, 0, 9_999_999_999_999_999, 10_000_000_000_000_000, 10_000_000_000_000_001]
        for i in seq {
            ctx.index = i
            #expect(String(decoding: lone.render(&ctx), as: UTF8.self) == "\(i)")
            let p = String(i)
            #expect(String(decoding: padded.render(&ctx), as: UTF8.self) == String(repeating: "0", count: max(0, 4 - p.count)) + p)
            #expect(String(decoding: mixed.render(&ctx), as: UTF8.self) == "a\(i)b" + String(repeating: "0", count: max(0, 3 - p.count)) + p)
        }
    }

    @Test func jsonIsLiteral() throws {
        #expect(try render(#"{"id":{i},"nested":{"a":1}}"#) == #"{"id":7,"nested":{"a":1}}"#)
        #expect(try render("{ \"x\": {i} }") == "{ \"x\": 7 }")
        #expect(try render("{{i}}") == "{i}")
        #expect(try render("a}}b{{c") == "a}}b{c")
        #expect(try render("{{i}} is {i}") == "{i} is 7")
        #expect(try render(#"{"a":{"b":{i}}}"#) == #"{"a":{"b":7}}"#)
        #expect(try render("{") == "{")
        #expect(try render("}") == "}")
        #expect(try render("{i") == "{i")
    }

    @Test(arguments: [
        ("{idx}", "unknown placeholder {idx}"),
        ("x{foo:1}", "unknown placeholder {foo:1}"),
        ("{rand}", "{rand:100}"),
        ("{rand:0}", "positive upper bound"),
        ("{rand:-3}", "positive upper bound"),
        ("{i:0}", "width from 1 to 20"),
        ("{i:abc}", "width from 1 to 20"),
        ("{uuid:4}", "takes no argument"),
        ("{ts:1}", "takes no argument"),
    ])
    func badPlaceholders(text: String, message: String) {
        #expect {
            _ = try Template.parse(text, flag: "--value")
        } throws: { error in
            guard let e = error as? EmitError, case .usage(let m) = e else { return false }
            return m.contains(message) && m.hasPrefix("--value") && !m.contains("\n")
        }
    }

    @Test func unknownPlaceholderListsTheKnownOnes() {
        do {
            _ = try Template.parse("{idx}", flag: "--key")
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("{i}, {i:WIDTH}, {rand:N}, {uuid}, {ts}, {now}, {line}, {key}, {topic}"))
        }
    }

    @Test func randomIsSeededAndBounded() throws {
        let a = try render("{rand:10}-{rand:1000000}-{uuid}", seed: 42)
        let b = try render("{rand:10}-{rand:1000000}-{uuid}", seed: 42)
        let c = try render("{rand:10}-{rand:1000000}-{uuid}", seed: 43)
        #expect(a == b)
        #expect(a != c)
        for seed in 0..<200 as Range<UInt64> {
            let v = try #require(Int(try render("{rand:7}", seed: seed)))
            #expect((0..<7).contains(v))
        }
    }

    @Test func uuidIsVersion4() throws {
        let u = try render("{uuid}")
        let parts = u.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "4")
        #expect("89ab".contains(parts[3].first!))
    }

    @Test func clockPlaceholders() throws {
        let ts = try #require(Int64(try render("{ts}")))
        #expect(abs(ts - Clock.wallMillis()) < 5000)
        let now = try render("{now}")
        #expect(now.count == 24)
        #expect(now.hasSuffix("Z"))
        #expect(now.dropFirst(10).first == "T")
    }

    @Test func shapes() throws {
        #expect(try Template.parse("{i}", flag: "x").isIndex)
        #expect(try Template.parse("{line}", flag: "x").isLine)
        #expect(try Template.parse("{key}", flag: "x").isKey)
        #expect(!(try Template.parse("k{i}", flag: "x").isIndex))
    }
}
