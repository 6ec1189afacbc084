import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

@Suite struct DurationTests {
    @Test(arguments: [("100ms", 100_000_000), ("1.5s", 1_500_000_000), ("250us", 250_000), ("2m", 120_000_000_000),
                      ("1h", 3_600_000_000_000), ("0.5ms", 500_000), (" 3s ", 3_000_000_000)] as [(String, UInt64)])
    func valid(text: String, nanos: UInt64) throws {
        #expect(try DurationParser.parse(text, flag: "--every") == nanos)
    }

    @Test(arguments: [("100", "no unit; write 100ms or 100s"), ("0s", "must be positive"), ("0ms", "must be positive"),
                      ("-1s", "not a duration"), ("abc", "not a duration"), ("5 parsecs", "unknown unit"),
                      ("1.2.3s", "unknown unit"), ("", "not a duration"), ("10sec", "unknown unit")])
    func invalid(text: String, message: String) {
        do {
            _ = try DurationParser.parse(text, flag: "--every")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.message.hasPrefix("--every"))
            #expect(error == .usage(error.message))
        }
    }

    @Test func formatRoundTrips() throws {
        for nanos: UInt64 in [1_000, 5_000_000, 2_000_000_000, 1_500_000, 250_000] {
            #expect(try DurationParser.parse(DurationParser.format(nanos: nanos), flag: "x") == nanos)
        }
    }
}

@Suite struct EscapeTests {
    @Test func escapes() throws {
        #expect(try EscapeParser.parse("\\n", flag: "-D") == [0x0A])
        #expect(try EscapeParser.parse("\\t", flag: "-D") == [0x09])
        #expect(try EscapeParser.parse("\\0", flag: "-D") == [0x00])
        #expect(try EscapeParser.parse("\\x1e", flag: "-D") == [0x1E])
        #expect(try EscapeParser.parse("::", flag: "-D") == [0x3A, 0x3A])
        #expect(try EscapeParser.parse("a\\\\b", flag: "-D") == [0x61, 0x5C, 0x62])
    }

    @Test(arguments: ["", "\\", "\\q", "\\x", "\\x1", "\\xzz"])
    func invalid(text: String) {
        #expect(throws: EmitError.self) { try EscapeParser.parse(text, flag: "-D") }
    }
}

/// Property tests: random input never traps, and valid input round-trips.
@Suite struct ParserProperties {
    static let alphabet = Array("{}:ims0123456789.iusdhrandlinekeytopicnow\"\\ xX-_".utf8)

    func randomString(_ rng: inout SeededRandom, maxLength: Int) -> String {
        let n = Int(rng.next(below: UInt64(maxLength + 1)))
        var bytes: [UInt8] = []
        for _ in 0..<n {
            // Mostly the interesting alphabet, sometimes any byte (invalid UTF-8 included).
            if rng.next(below: 8) == 0 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            else { bytes.append(Self.alphabet[Int(rng.next(below: UInt64(Self.alphabet.count)))]) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func templateParserNeverTraps() {
        var rng = SeededRandom(seed: 2026)
        var parsed = 0
        for _ in 0..<20_000 {
            let s = randomString(&rng, maxLength: 24)
            if let t = try? Template.parse(s, flag: "--value") {
                parsed += 1
                var ctx = RenderContext(rng: SeededRandom(seed: 1))
                _ = CompiledTemplate(t, topic: "t").render(&ctx)
            }
        }
        #expect(parsed > 1000)
    }

    @Test func literalTemplatesRenderThemselves() throws {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<5_000 {
            // `{{` escapes `{`; a lone `}` is literal.
            let raw = randomString(&rng, maxLength: 30)
            let s = raw.contains("{") ? raw.replacingAll("}", with: "") : raw
            let escaped = s.replacingAll("{", with: "{{")
            var ctx = RenderContext(rng: SeededRandom(seed: 1))
            let t = try Template.parse(escaped, flag: "--value")
            #expect(CompiledTemplate(t, topic: "t").render(&ctx) == Array(s.utf8))
        }
    }

    @Test func durationParserNeverTrapsAndRoundTrips() throws {
        var rng = SeededRandom(seed: 99)
        for _ in 0..<20_000 {
            _ = try? DurationParser.parse(randomString(&rng, maxLength: 12), flag: "--every")
        }
        let units = ["us", "ms", "s", "m", "h"]
        for _ in 0..<2_000 {
            let n = rng.next(below: 100_000) + 1
            let u = units[Int(rng.next(below: 5))]
            let nanos = try DurationParser.parse("\(n)\(u)", flag: "x")
            #expect(try DurationParser.parse(DurationParser.format(nanos: nanos), flag: "x") == nanos)
        }
    }
}
