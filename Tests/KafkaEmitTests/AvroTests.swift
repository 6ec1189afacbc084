import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// The Avro encoder against fastavro's bytes (tests/avro/corpus.json, made by
/// tests/avro/make_corpus.py from fastavro and checked against confluent-kafka's
/// AvroSerializer), and the messages of values that do not fit.
@Suite struct AvroTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func encode(_ schema: String, _ json: String) throws -> [UInt8] {
        let parser = AvroSchemaParser()
        let node = try parser.parse(schema)
        let e = AvroEncoder(node, schema: parser)
        let out = ByteBuffer()
        let bytes = Array(json.utf8)
        try bytes.withUnsafeBytes { b in try e.encode(b, into: out) }
        return out.array
    }

    func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    /// JSONNumber's fast path gives strtod's double, bit for bit, and leaves what it cannot
    /// do exactly (exponents, 16+ digits) to strtod.
    @Test func fastNumbersAreStrtods() {
        var rng = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "12.5", "0.1", "0.3", "-7.25", "123456789012345", "0.000000000000001", "9007199254740993",
                     "1e3", "1.5E-7", "1234567890123456", "3.14159265358979", "1.", ".5"]
        for _ in 0..<20_000 {
            let intPart = String(UInt64.random(in: 0...999_999_999, using: &rng) >> UInt64.random(in: 0...29, using: &rng))
            let frac = String(UInt64.random(in: 0...9_999_999, using: &rng))
            texts.append((Bool.random(using: &rng) ? "-" : "") + intPart + (Bool.random(using: &rng) ? "." + frac : ""))
        }
        for t in texts {
            let bytes = Array(t.utf8)
            bytes.withUnsafeBytes { b in
                let viaStrtod = strtod(t, nil)
                if let fast = JSONNumber.fast(b) {
                    #expect(fast.bitPattern == viaStrtod.bitPattern, "\(t): fast \(fast), strtod \(viaStrtod)")
                }
                if let d = JSONNumber.double(b), t != "1.", t != ".5" {
                    #expect(d.bitPattern == viaStrtod.bitPattern, "\(t)")
                }
            }
        }
        #expect(Array("1e3".utf8).withUnsafeBytes { JSONNumber.fast($0) } == nil)
        #expect(Array("1234567890123456".utf8).withUnsafeBytes { JSONNumber.fast($0) } == nil)
    }

    @Test func primitivesAndRecords() throws {
        let schema = #"{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"amount","type":"double"},{"name":"note","type":["null","string"],"default":null},{"name":"ok","type":"boolean","default":true}]}"#
        #expect(hex(try encode(schema, #"{"id":1,"amount":2.5}"#)) == "02" + "0000000000000440" + "00" + "01")
        #expect(hex(try encode(schema, #"{"amount":2.5,"id":-1,"note":"hi"}"#)) == "01" + "0000000000000440" + "02" + "04" + "6869" + "01")
        #expect(hex(try encode(schema, #"{"id":1,"amount":2,"note":{"string":"x"},"ok":false}"#)) == "02" + "0000000000000040" + "02" + "0278" + "00")
    }

    @Test func errorsNameThePath() throws {
        let schema = #"{"type":"record","name":"O","fields":[{"name":"items","type":{"type":"array","items":{"type":"record","name":"I","fields":[{"name":"price","type":"double"}]}}}]}"#
        #expect(throws: EncodeError.self) { try encode(schema, #"{"items":[{"price":1},{"price":2},{"price":"abc"}]}"#) }
        do { _ = try encode(schema, #"{"items":[{"price":1},{"price":2},{"price":"abc"}]}"#) } catch let e as EncodeError {
            #expect(e.message == #"$.items[2].price: expected double, got "abc""#)
        }
        do { _ = try encode(schema, #"{"items":[],"x":1}"#) } catch let e as EncodeError {
            #expect(e.message.contains("has no field \"x\""))
        }
    }

    @Test func decimals() {
        #expect(AvroDecimal.twosComplement([1, 2, 3, 4], negative: false) == [0x04, 0xD2])
        #expect(AvroDecimal.twosComplement([1, 2, 8], negative: false) == [0x00, 0x80])
        #expect(AvroDecimal.twosComplement([1, 2, 8], negative: true) == [0x80])
        #expect(AvroDecimal.twosComplement([1, 2, 9], negative: true) == [0xFF, 0x7F])
        #expect(AvroDecimal.twosComplement([], negative: false) == [0])
        #expect(AvroDecimal.unscaled(Array("12.3".utf8), scale: 2)?.magnitude == [1, 2, 3, 0])
        #expect(AvroDecimal.unscaled(Array("1.234".utf8), scale: 2) == nil)
        #expect(AvroDecimal.unscaled(Array("1.230".utf8), scale: 2)?.magnitude == [1, 2, 3])
        #expect(AvroDecimal.unscaled(Array("1e2".utf8), scale: 0)?.magnitude == [1, 0, 0])
    }

    @Test func times() {
        #expect(AvroTime.days("1970-01-02") == 1)
        #expect(AvroTime.days("2026-12-02") == 20789)
        #expect(AvroTime.days("1969-12-31") == -1)
        #expect(AvroTime.epochMicros("1970-01-01T00:00:01.5Z", local: false) == 1_500_000)
        #expect(AvroTime.epochMicros("1970-01-01T01:00:00+01:00", local: false) == 0)
        #expect(AvroTime.timeOfDayMicros("00:00:01.000001") == 1_000_001)
    }

    struct Case: Decodable { var name: String; var schema: String; var input: String; var hex: String?; var error: String? }
    struct Corpus: Decodable { var cases: [Case] }

    @Test func corpus() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("tests/avro/corpus.json"))
        let corpus = try JSONDecoder().decode(Corpus.self, from: data)
        #expect(corpus.cases.count >= 60)
        var failures: [String] = []
        for c in corpus.cases {
            do {
                let got = hex(try encode(c.schema, c.input))
                if let want = c.hex, got != want { failures.append("\(c.name): got \(got), want \(want)") }
                if let want = c.error { failures.append("\(c.name): encoded \(got), want an error containing \(want)") }
            } catch let e as EncodeError {
                if let want = c.error {
                    if !e.message.contains(want) { failures.append("\(c.name): error \"\(e.message)\" lacks \"\(want)\"") }
                } else { failures.append("\(c.name): \(e.message)") }
            } catch let e as AvroSchemaError {
                failures.append("\(c.name): schema: \(e.message)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(corpus.cases.count) cases:\n" + failures.joined(separator: "\n")))
    }
}
