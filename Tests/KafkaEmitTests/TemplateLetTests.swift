import Testing
#if canImport(Glibc)
import Glibc
#endif
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// `--let NAME=TEMPLATE`, `{ref:NAME}` and `{line:FILE}`: resolved by the plan, rendered by
/// the record builder.
@Suite struct TemplateLetTests {
    func plan(lets: [(String, String)], key: String?, value: String, headers: [(String, String)] = []) throws -> EmitPlan {
        var p = EmitPlan(topic: "t")
        p.count = 10
        p.seed = 9
        p.lets = try lets.map { LetTemplate(name: $0.0, template: try Template.parse($0.1, flag: "--let \($0.0)")) }
        p.key = try key.map { try Template.parse($0, flag: "--key") }
        p.value = try Template.parse(value, flag: "--value")
        p.headers = try headers.map { HeaderTemplate(name: $0.0, value: try Template.parse($0.1, flag: "--header \($0.0)")) }
        return p
    }

    func records(_ plan: EmitPlan, _ n: Int) -> [(key: String, value: String, headers: [String])] {
        let builder = RecordTemplates(plan: plan)
        return (0..<n).map { i in
            let r = builder.build(index: UInt64(i), input: RecordView.noBytes, keyPart: nil)
            let text = { (b: UnsafeRawBufferPointer?) in b.map { String(decoding: $0, as: UTF8.self) } ?? "<null>" }
            return (text(r.key), text(r.value), r.headers.map { text($0.value) })
        }
    }

    func usageMessage(_ body: () throws -> Void) -> String? {
        do { try body() } catch let e as EmitError { if case .usage(let m) = e { return m } } catch {}
        return nil
    }

    @Test func refIsRenderedOncePerRecord() throws {
        var p = try plan(lets: [("cid", "C-{int:1:1000000000}"), ("tag", "{ref:cid}/{i}")],
                         key: "{ref:cid}", value: #"{"customer":"{ref:cid}","tag":"{ref:tag}"}"#, headers: [("c", "{ref:cid}")])
        try p.resolveTemplates()
        try p.validate()
        let rs = records(p, 50)
        for (i, r) in rs.enumerated() {
            #expect(r.value == #"{"customer":"\#(r.key)","tag":"\#(r.key)/\#(i)"}"#)
            #expect(r.headers == [r.key])
        }
        #expect(Set(rs.map(\.key)).count > 45, "each record draws its own value")
        #expect(records(p, 50).map(\.value) == rs.map(\.value), "same seed, same bytes")
    }

    @Test func unknownAndLaterNamesAreUsageErrors() throws {
        var p = try plan(lets: [("a", "1"), ("b", "2")], key: "{ref:c}", value: "x")
        let unknown = usageMessage { try p.resolveTemplates() }
        #expect(unknown == "--key: {ref:c} names no --let; defined: a, b (add --let c=TEMPLATE)")
        p = try plan(lets: [], key: nil, value: "{ref:c}")
        #expect(usageMessage { try p.resolveTemplates() }?.contains("none is defined; add --let c=TEMPLATE") == true)
        p = try plan(lets: [("a", "{ref:b}"), ("b", "2")], key: nil, value: "x")
        #expect(usageMessage { try p.resolveTemplates() }?.hasPrefix("--let a: {ref:b} names a --let given after it") == true)
        p = try plan(lets: [("a", "{ref:a}")], key: nil, value: "x")
        #expect(usageMessage { try p.resolveTemplates() }?.contains("refers to itself") == true)
        p = try plan(lets: [("a", "1"), ("a", "2")], key: nil, value: "x")
        #expect(usageMessage { try p.resolveTemplates() } == "--let a is given twice; give each name once")
    }

    @Test func linePoolIsReadOnce() throws {
        let path = "/tmp/kafka-emit-pool-\(getpid()).txt"
        let body = "SKU-1\nSKU-2\r\n\n\nSKU-3"
        let f = try #require(fopen(path, "w"))
        fputs(body, f)
        fclose(f)
        defer { unlink(path) }
        var p = try plan(lets: [("sku", "{line:\(path)}")], key: "{ref:sku}", value: "{line:\(path)}")
        try p.resolveTemplates()
        let seen = records(p, 300)
        #expect(Set(seen.map(\.key)) == ["SKU-1", "SKU-2", "SKU-3"])
        #expect(Set(seen.map(\.value)) == ["SKU-1", "SKU-2", "SKU-3"])
        guard case .pool(_, let a?) = p.lets[0].template.parts[0], case .pool(_, let b?) = p.value.parts[0] else {
            Issue.record("pools not loaded"); return
        }
        #expect(a === b, "one file, read once")
    }

    @Test func linePoolErrors() throws {
        var p = try plan(lets: [], key: nil, value: "{line:/nonexistent/ids.txt}")
        do {
            try p.resolveTemplates()
            Issue.record("expected an error")
        } catch {
            #expect(error == .cannotOpen("--value: {line:FILE} '/nonexistent/ids.txt': No such file or directory; check the path"))
        }
        let empty = "/tmp/kafka-emit-empty-\(getpid()).txt"
        fclose(fopen(empty, "w"))
        defer { unlink(empty) }
        p = try plan(lets: [], key: nil, value: "{line:\(empty)}")
        #expect(usageMessage { try p.resolveTemplates() }?.contains("has no entries; put one value per line") == true)
    }
}
