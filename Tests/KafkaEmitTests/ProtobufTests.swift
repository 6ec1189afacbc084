import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// The Protobuf encoder against the protobuf package's bytes (tests/protobuf/corpus.json, made
/// by tests/protobuf/make_corpus.py: protoc's descriptor sets, json_format.Parse then
/// SerializeToString), Confluent's message indexes as confluent-kafka frames them, the
/// descriptor reader, the well-known types' forms, and the messages of values that do not fit.
@Suite struct ProtobufTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Case: Decodable { var set: String; var message: String; var json: String; var hex: String?; var error: String? }
    struct Index: Decodable { var set: String; var message: String; var hex: String }
    struct Corpus: Decodable { var sets: [String: String]; var cases: [Case]; var indexes: [Index] }

    static let corpus: Corpus = {
        let data = try! Data(contentsOf: root.appendingPathComponent("tests/protobuf/corpus.json"))
        return try! JSONDecoder().decode(Corpus.self, from: data)
    }()

    static func files(_ set: String) throws -> [ProtoFile] {
        try ProtoDescriptors.fileSet(Array(Data(base64Encoded: corpus.sets[set]!)!))
    }

    func schema(_ set: String, _ message: String?) throws -> ProtoSchema {
        let files = try Self.files(set)
        return try ProtoSchema(files: files, main: files.count - 1, message: message)
    }

    func encode(_ s: ProtoSchema, _ json: String) throws -> [UInt8] {
        let e = ProtobufEncoder(s)
        let out = ByteBuffer()
        try Array(json.utf8).withUnsafeBytes { b in try e.encode(b, into: out) }
        return out.array
    }

    func message(_ s: ProtoSchema, _ json: String) -> String? {
        do { _ = try encode(s, json); return nil } catch let e as EncodeError { return e.message } catch { return "\(error)" }
    }

    func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    @Test func corpus() throws {
        #expect(Self.corpus.cases.count >= 60)
        var failures: [String] = []
        for c in Self.corpus.cases {
            let s = try schema(c.set, c.message)
            do {
                let got = hex(try encode(s, c.json))
                if let want = c.hex, got != want { failures.append("\(c.message) \(c.json): got \(got), want \(want)") }
                if let want = c.error { failures.append("\(c.message) \(c.json): encoded \(got), protobuf refused it: \(want)") }
            } catch let e as EncodeError {
                if c.error == nil { failures.append("\(c.message) \(c.json): \(e.message)") }
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) of \(Self.corpus.cases.count) cases:\n" + failures.joined(separator: "\n")))
    }

    /// Confluent's framing: [0] is the single byte 0; else zig-zag count then indexes.
    @Test func messageIndexes() throws {
        #expect(Self.corpus.indexes.count >= 8)
        for i in Self.corpus.indexes {
            let s = try schema(i.set, i.message)
            #expect(hex(s.indexBytes) == i.hex, "\(i.message)")
        }
        // The default is the file's first message; a short name is enough when unique.
        #expect(try schema("proto3", nil).root.fullName == ".kafkaemit.test.Scalars")
        #expect(try schema("proto3", "Inner").indexes == [5, 0])
        #expect(try schema("proto3", "Outer.Inner.Deep").indexes == [5, 0, 0])
        #expect(throws: ProtoDescriptorError.self) { try schema("proto3", "Nope") }
    }

    @Test func descriptorsAreRead() throws {
        let files = try Self.files("proto3")
        #expect(files.map(\.name) == ["google/protobuf/timestamp.proto", "google/protobuf/duration.proto", "google/protobuf/wrappers.proto", "corpus.proto"])
        let main = files[3]
        #expect(main.package == "kafkaemit.test" && main.syntax == "proto3")
        #expect(main.dependencies.count == 3)
        #expect(main.enums.first?.values.map(\.name) == ["CURRENCY_UNSPECIFIED", "EUR", "USD", "GBP"])
        let maps = main.messages.first { $0.name == "Maps" }!
        #expect(maps.nested.allSatisfy { $0.mapEntry })
        let scalars = main.messages[0]
        #expect(scalars.fields.first { $0.name == "snake_case_name" }?.jsonName == "snakeCaseName")
        #expect(scalars.fields.first { $0.name == "opt" }?.proto3Optional == true)
        let repeated = main.messages[1]
        #expect(repeated.fields.first { $0.name == "unpacked" }?.packed == false)
        #expect(main.messages.first { $0.name == "Choice" }?.oneofs == ["kind", ])
        #expect(throws: ProtoDescriptorError.self) { try ProtoDescriptors.fileSet([0x0A, 0x05, 0x0A]) }
    }

    @Test func errorsNameThePath() throws {
        let outer = try schema("proto3", "Outer")
        #expect(message(outer, #"{"inners":[{"a":1},{"deep":{"x":5}}]}"#) == #"$.inners[1].deep.x: expected string, got 5"#)
        #expect(message(outer, #"{"child":{"nme":"x"}}"#)?.hasPrefix(#"$.child.nme: unknown field: message kafkaemit.test.Outer has no field "nme""#) == true)
        let maps = try schema("proto3", "Maps")
        #expect(message(maps, #"{"counts":{"a b":"x"}}"#) == #"$.counts["a b"]: expected int32, got "x""#)
        let choice = try schema("proto3", "Choice")
        #expect(message(choice, #"{"text":"a","msg":{}}"#) == "$: oneof kind of message kafkaemit.test.Choice takes at most one field, got text and msg")
        let scalars = try schema("proto3", "Scalars")
        #expect(message(scalars, #"{"i32":2147483648}"#) == "$.i32: 2147483648 does not fit a int32")
        #expect(message(scalars, #"{"s":"a","snakeCaseName":"x","snake_case_name":"y"}"#)?.contains("given twice") == true)
        // Stricter than json_format, which skips non-base64 characters and takes [] for a message.
        #expect(message(scalars, #"{"by":"***"}"#)?.contains("base64") == true)
        #expect(message(scalars, "[]") == "$: expected an object (message kafkaemit.test.Scalars), got an array")
        let badUTF8: [UInt8] = Array(#"{"s":""#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(throws: EncodeError.self) {
            try badUTF8.withUnsafeBytes { b in try ProtobufEncoder(scalars).encode(b, into: ByteBuffer()) }
        }
        let legacy = try schema("proto2", nil)
        #expect(message(legacy, #"{"name":"x"}"#) == "$.id: missing, and it is required (message kafkaemit.test2.Legacy)")
        #expect(message(scalars, "{") != nil)
    }

    /// Lengths of 1, 2 and 3 bytes: the body is moved along when the length needs more room.
    @Test func longNestedBodies() throws {
        let s = try schema("proto3", "Outer")
        for n in [127, 128, 16_383, 16_384, 70_000] {
            let text = String(repeating: "y", count: n)
            let bytes = try encode(s, #"{"inner":{"deep":{"x":"\#(text)"}},"name":"n"}"#)
            // Outer.inner (0a LEN) { Inner.deep (12 LEN) { Deep.x (0a LEN) text } } then name (1a 01 6e)
            func varint(_ v: Int) -> [UInt8] { ProtoFieldPlan.varint(UInt64(v)) }
            let x = [0x0A] + varint(n) + Array(text.utf8)
            let deep = [0x12] + varint(x.count) + x
            #expect(bytes == [0x0A] + varint(deep.count) + deep + [0x1A, 0x01, 0x6E], "n=\(n)")
        }
    }

    @Test func wellKnownForms() {
        func ts(_ s: String) -> (Int64, Int32)? { Array(s.utf8).withUnsafeBytes { ProtoTime.timestamp($0) }.map { ($0.seconds, $0.nanos) } }
        func dur(_ s: String) -> (Int64, Int32)? { Array(s.utf8).withUnsafeBytes { ProtoTime.duration($0) }.map { ($0.seconds, $0.nanos) } }
        #expect(ts("1970-01-01T00:00:00Z")! == (0, 0))
        #expect(ts("2026-12-03T10:00:00.5+01:00")! == (1_796_288_400, 500_000_000))
        #expect(ts("9999-12-31T23:59:59.999999999Z")! == (253_402_300_799, 999_999_999))
        #expect(ts("2026-02-29T00:00:00Z") == nil)
        #expect(ts("2026-12-03T10:00:00") == nil)
        #expect(ts("2026-12-03T10:00:00.1234567890Z") == nil)
        #expect(dur("1.5s")! == (1, 500_000_000))
        #expect(dur("-0.5s")! == (0, -500_000_000))
        #expect(dur("315576000001s") == nil)
        #expect(dur("s") == nil)
        #expect(dur("1.s") == nil)
    }

    @Test func framedWithIndexes() throws {
        let s = try schema("proto3", "Outer.Inner")
        let framed = FramedEncoder(schemaID: 7, side: "value", format: .protobuf, body: ProtobufEncoder(s), prefix: s.indexBytes)
        let bytes = try Array(#"{"a":3}"#.utf8).withUnsafeBytes { b in Array(try framed.encode(b)) }
        #expect(bytes == [0, 0, 0, 0, 7, 0x04, 0x0A, 0x00, 0x08, 0x03])
    }
}
