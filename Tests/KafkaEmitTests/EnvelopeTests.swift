import Testing
@testable import KafkaEmit

@Suite struct EnvelopeTests {
    func parse(_ text: String) throws(EnvelopeError) -> Envelope {
        let bytes = Array(text.utf8)
        let result = bytes.withUnsafeBytes { b in Result { () throws(EnvelopeError) in try Envelope.parse(b) } }
        return try result.get()
    }

    @Test func kcatEnvelope() throws {
        let e = try parse(#"{"topic":"src","partition":2,"offset":7,"tstype":"create","ts":1700000000123,"broker":1,"headers":["a","1","n",null],"key":"k\u0000\"","payload":"v\n"}"#)
        #expect(e.key == [0x6B, 0x00, 0x22])
        #expect(e.payload == Array("v\n".utf8))
        #expect(e.partition == 2)
        #expect(e.headers.map(\.name) == [Array("a".utf8), Array("n".utf8)])
        #expect(e.headers.map(\.value) == [Array("1".utf8), nil])
    }

    @Test func nullsAndEmpties() throws {
        let e = try parse(#"{"key":null,"payload":null}"#)
        #expect(e.key == nil && e.payload == nil && e.headers.isEmpty && e.partition == nil)
        let empty = try parse(#"  {"key":"","payload":""}  "#)
        #expect(empty.key == [] && empty.payload == [])
    }

    @Test(arguments: [
        ("", "expected a JSON object"),
        ("[1]", "expected a JSON object"),
        (#"{"key":1}"#, "\"key\" must be a string or null"),
        (#"{"headers":["a"]}"#, "alternate names and values"),
        (#"{"headers":[null,"v"]}"#, "header name is null"),
        (#"{"key":"a"} x"#, "unexpected text after the JSON object"),
        (#"{"key":"\q"}"#, "bad escape"),
        (#"{"key":"a"#, "unterminated string"),
        (#"{"partition":"x"}"#, "\"partition\" must be an integer"),
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
