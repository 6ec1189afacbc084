import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// What one envelope parsed into, as plain values.
struct Parsed: Equatable {
    var key: [UInt8]?
    var value: [UInt8]?
    var topic: String?
    var partition: Int32?
    var timestamp: Int64?
    var headers: [[UInt8]] = []   // name, value (empty array for null: see nullHeaders)
    var nullHeaders: [Bool] = []
}

@Suite struct EnvelopeTests {
    func parse(_ text: String) throws(EnvelopeError) -> Parsed { try parse(bytes: Array(text.utf8)) }

    func parse(bytes: [UInt8]) throws(EnvelopeError) -> Parsed {
        let e = Envelope()
        let result = bytes.withUnsafeBytes { b in Result { () throws(EnvelopeError) in try e.parse(b) } }
        try result.get()
        var p = Parsed(key: e.hasKey ? e.key.array : nil, value: e.hasValue ? e.value.array : nil,
                       topic: e.hasTopic ? String(decoding: e.topic.bytes, as: UTF8.self) : nil,
                       partition: e.partition, timestamp: e.timestampMillis)
        for h in e.headers.headers {
            p.headers.append(Array(h.name))
            p.headers.append(h.value.map { Array($0) } ?? [])
            p.nullHeaders.append(h.value == nil)
        }
        return p
    }

    @Test func kcatEnvelope() throws {
        let e = try parse(#"{"topic":"src","partition":2,"offset":7,"tstype":"create","ts":1700000000123,"broker":1,"headers":["a","1","n\u0000x",null],"key":"k\u0000\"","payload":"v\n"}"#)
        #expect(e.key == [0x6B, 0x00, 0x22])
        #expect(e.value == Array("v\n".utf8))
        #expect(e.topic == "src" && e.partition == 2 && e.timestamp == 1700000000123)
        #expect(e.headers == [Array("a".utf8), Array("1".utf8), [0x6E, 0x00, 0x78], []])
        #expect(e.nullHeaders == [false, true])
    }

    @Test func dryRunRecord() throws {
        let e = try parse(#"{"topic":"t","partition":-1,"timestamp":1700000000000,"key":"0","value":"event-0","headers":{"h":"1","nil":null},"correlation":"c-0"}"#)
        #expect(e.key == Array("0".utf8) && e.value == Array("event-0".utf8))
        #expect(e.partition == nil && e.timestamp == 1700000000000)
        #expect(e.headers == [Array("h".utf8), Array("1".utf8), Array("nil".utf8), []])
        #expect(e.nullHeaders == [false, true])
    }

    @Test func jsonValuesAreSentAsCompactText() throws {
        let e = try parse(#"{"key": {"id" : 1}, "payload": [1, {"a": "x y"} , true, null, -2.5e3]}"#)
        #expect(e.key == Array(#"{"id":1}"#.utf8))
        #expect(e.value == Array(#"[1,{"a":"x y"},true,null,-2.5e3]"#.utf8))
        #expect(try parse(#"{"payload":42}"#).value == Array("42".utf8))
    }

    @Test func nullsAndEmpties() throws {
        let e = try parse(#"{"key":null,"payload":null}"#)
        #expect(e.key == nil && e.value == nil && e.headers.isEmpty && e.partition == nil && e.timestamp == nil)
        let empty = try parse(#"  {"key":"","payload":""}  "#)
        #expect(empty.key == [] && empty.value == [])
        #expect(try parse("{}") == Parsed())
    }

    @Test func rawBytesPassThrough() throws {
        let line: [UInt8] = Array(#"{"payload":""#.utf8) + [0xFF, 0xFE, 0x01] + Array(#""}"#.utf8)
        #expect(try parse(bytes: line).value == [0xFF, 0xFE, 0x01])
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        for depth in [511, 600, 5000, 100_000] {
            let text = #"{"payload":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
            do {
                _ = try parse(text)
                #expect(depth < 512, "accepted depth \(depth)")
            } catch {
                #expect(depth >= 511 && error.message.contains("nested deeper than 512"), "depth \(depth): \(error.message)")
            }
        }
    }

    @Test(arguments: [
        ("", "expected a JSON object"),
        ("[1]", "expected a JSON object"),
        (#"{"key":1"#, "expected ',' or '}'"),
        (#"{"headers":["a"]}"#, "alternate names and values"),
        (#"{"headers":[null,"v"]}"#, "header name is null"),
        (#"{"headers":"x"}"#, "\"headers\" must be an array"),
        (#"{"key":"a"} x"#, "unexpected text after the JSON object"),
        (#"{"key":"\q"}"#, "bad escape"),
        (#"{"key":"a"#, "unterminated string"),
        (#"{"partition":"x"}"#, "\"partition\" must be an integer"),
        (#"{"partition":-2}"#, "\"partition\" must be an integer"),
        (#"{"ts":-5}"#, "\"ts\" must be milliseconds"),
        (#"{"payload":"a","value":"b"}"#, "appears twice"),
        (#"{"key":"a","key":"b"}"#, "appears twice"),
        (#"{"topic":1}"#, "\"topic\" must be a string or null"),
        (#"{"partiton":1}"#, "unknown field \"partiton\""),
        (#"{"offset":{}}"#, "\"offset\" must be a number or a string"),
    ])
    func malformed(text: String, message: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }
}

/// Any record `--dry-run -o json` renders, `--input-format json` reads back the same.
@Suite struct DryRunReplayProperty {
    struct Gen: RandomNumberGenerator {
        var rng: SeededRandom
        mutating func next() -> UInt64 { rng.next() }
        /// Valid UTF-8 with the characters JSON must escape, NUL and multi-byte ones.
        mutating func text(_ max: Int) -> [UInt8] {
            let pool: [String] = ["a", "Z", "0", " ", "\"", "\\", "\u{0}", "\n", "\t", "\u{1}", "\u{7F}", "é", "✓", "😀", "{", "}", "/"]
            var s = ""
            for _ in 0..<Int.random(in: 0...max, using: &self) { s += pool.randomElement(using: &self)! }
            return Array(s.utf8)
        }
    }

    @Test func renderedRecordsReplayUnchanged() throws {
        var g = Gen(rng: SeededRandom(seed: 2024))
        for _ in 0..<500 {
            let key: [UInt8]? = Bool.random(using: &g) ? g.text(12) : nil
            let value: [UInt8]? = Int.random(in: 0..<5, using: &g) == 0 ? nil : g.text(40)
            var headers: [([UInt8], [UInt8]?)] = []
            for _ in 0..<Int.random(in: 0...3, using: &g) {
                headers.append((g.text(6) + [0x68], Bool.random(using: &g) ? g.text(8) : nil))
            }
            let partition = Int32.random(in: -1...7, using: &g)
            let timestamp = Bool.random(using: &g) ? Int64.random(in: 1...4_102_444_800_000, using: &g) : 0
            let list = HeaderList()
            for (n, v) in headers { list.append(name: n, value: v) }
            let out = ByteBuffer()
            let k = ByteBuffer(), v = ByteBuffer()
            if let key { k.append(key) }
            if let value { v.append(value) }
            let record = RecordView(index: 0, key: key == nil ? nil : k.bytes, value: value == nil ? nil : v.bytes,
                                    headers: list.headers, partition: partition, timestampMillis: timestamp,
                                    correlation: RecordView.noBytes)
            Array("topic".utf8).withUnsafeBytes { DryRunSink.appendJSON(record, topic: $0, to: out) }
            let line = Array(out.bytes.dropLast())   // the newline
            let back = try EnvelopeTests().parse(bytes: line)
            #expect(back.key == key && back.value == value, "\(String(decoding: line, as: UTF8.self))")
            #expect(back.partition == (partition >= 0 ? partition : nil))
            #expect(back.timestamp == (timestamp > 0 ? timestamp : nil))
            #expect(back.headers == headers.flatMap { [$0.0, $0.1 ?? []] })
            #expect(back.nullHeaders == headers.map { $0.1 == nil })
            #expect(back.topic == "topic")
        }
    }
}
