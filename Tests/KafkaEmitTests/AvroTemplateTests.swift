import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// Avro straight from a JSON template (`AvroTemplateEncoder`) against the general way (render
/// the JSON, parse it, encode it): the same bytes or the same error for every record, the
/// same random draws after it (a header rendered after the value), over many templates,
/// schemas and seeds.
@Suite struct AvroTemplateTests {
    static let order = #"{"type":"record","name":"Order","namespace":"bench","fields":[{"name":"id","type":"long"},{"name":"customer","type":"string"},{"name":"amount","type":"int"},{"name":"price","type":"double"},{"name":"currency","type":{"type":"enum","name":"Currency","symbols":["EUR","USD","GBP"]}},{"name":"placed_at","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"express","type":"boolean"},{"name":"items","type":"int"},{"name":"note","type":["null","string"]},{"name":"region","type":"string"}]}"#
    static let benchValue = #"{"id":{i},"customer":"user-{rand:10000}","amount":{rand:1000},"price":12.5,"currency":"EUR","placed_at":1764000000000,"express":false,"items":3,"note":null,"region":"eu-west-1"}"#

    static func record(_ fields: String) -> String { #"{"type":"record","name":"R","fields":["# + fields + "]}" }

    struct Run {
        var key: [UInt8]?
        var value: [UInt8]?
        var error: String?
        var header: [UInt8]?
    }

    /// `n` records of `value` (and `key`) through their schemas; `direct`: with the template plan.
    func records(value: String, schema: String, key: String? = nil, keySchema: String? = nil, lets: [(String, String)] = [],
                 seed: UInt64, n: Int = 300, direct: Bool) throws -> (runs: [Run], keyDirect: Bool, valueDirect: Bool) {
        var p = EmitPlan(topic: "orders")
        p.seed = seed
        p.lets = try lets.map { LetTemplate(name: $0.0, template: try Template.parse($0.1, flag: "--let \($0.0)")) }
        p.key = try key.map { try Template.parse($0, flag: "--key") }
        p.value = try Template.parse(value, flag: "--value")
        p.headers = [HeaderTemplate(name: "after", value: try Template.parse("{rand:1000000000}", flag: "-H"))]
        try p.resolveTemplates()
        func framed(_ text: String, _ side: String) throws -> FramedEncoder {
            let parser = AvroSchemaParser()
            let node = try parser.parse(text)
            return FramedEncoder(schemaID: 7, side: side, format: .avro, body: AvroEncoder(node, schema: parser))
        }
        var encoders = SchemaEncoders()
        encoders.value = try framed(schema, "value")
        encoders.key = try keySchema.map { try framed($0, "key") }
        let templates = RecordTemplates(plan: p, encoders: encoders, renderSchemaJSON: !direct)
        var runs: [Run] = []
        for i in 0..<n {
            let r = templates.build(index: UInt64(i), input: RecordView.noBytes, keyPart: nil)
            runs.append(Run(key: r.key.map(Array.init), value: r.value.map(Array.init),
                            error: r.buildError.map { String(decoding: $0, as: UTF8.self) }, header: r.headers.first?.value.map(Array.init)))
        }
        return (runs, templates.usesDirectKey, templates.usesDirectValue)
    }

    /// Both ways agree record for record; returns whether the template plan was used.
    @discardableResult
    func same(_ value: String, _ schema: String, key: String? = nil, keySchema: String? = nil, lets: [(String, String)] = [],
              seeds: [UInt64] = [1, 42, 9_999], sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        var used = false
        for seed in seeds {
            let general = try records(value: value, schema: schema, key: key, keySchema: keySchema, lets: lets, seed: seed, direct: false)
            let direct = try records(value: value, schema: schema, key: key, keySchema: keySchema, lets: lets, seed: seed, direct: true)
            #expect(!general.valueDirect && !general.keyDirect, sourceLocation: sourceLocation)
            used = direct.valueDirect || direct.keyDirect
            for (k, (g, d)) in zip(general.runs, direct.runs).enumerated() {
                guard g.value == d.value, g.key == d.key, g.error == d.error, g.header == d.header else {
                    Issue.record("\(value) seed \(seed) record \(k): general \(g), direct \(d)", sourceLocation: sourceLocation)
                    break
                }
            }
        }
        return used
    }

    @Test func benchOrder() throws {
        #expect(try same(Self.benchValue, Self.order))
        // Fields in another order, spaces, a missing nullable field without default: not a plan (an error every record).
        #expect(try same(#" { "region" : "eu-{rand:3}", "id" : {i} , "customer":"u{i}","amount":{rand:1000},"price":{float:0:100:2},"currency":"{choice:EUR|USD|GBP}","placed_at":{int:0:2000000000000},"express":true,"items":{rand:5},"note":"n{i}" } "#, Self.order))
        try same(#"{"id":{i},"customer":"x"}"#, Self.order)
    }

    @Test func primitivesFromPlaceholders() throws {
        let schema = Self.record(#"{"name":"l","type":"long"},{"name":"i","type":"int"},{"name":"d","type":"double"},{"name":"f","type":"float"},{"name":"s","type":"string"},{"name":"b","type":"boolean"},{"name":"n","type":"null"}"#)
        #expect(try same(#"{"l":{int:-5000000000:5000000000},"i":{int:-2000000000:2000000000},"d":{normal:0:1000},"f":{float:-3:3:6},"s":"{name} <{email}>","b":true,"n":null}"#, schema))
        #expect(try same(#"{"l":{rand:18446744073709551615},"i":{int:-3000000000:3000000000},"d":{lat},"f":{lon},"s":"{city}, {country}","b":false,"n":null}"#, schema))
        #expect(try same(#"{"l":{zipf:1000:1.1},"i":{hot:100:50},"d":{i},"f":{rand:7},"s":"","b":false,"n":null}"#, schema))
        // Text that is not a JSON number, zero-padded numbers, a number placeholder for a boolean.
        #expect(try same(#"{"l":{choice:1|2.0|1e3|x|-0},"i":{i:3},"d":{choice:1.5|NaN|-2},"f":{choice:3|3.5e1},"s":"{i}","b":false,"n":null}"#, schema))
        #expect(try !same(#"{"l":1,"i":2,"d":3,"f":4,"s":"5","b":{choice:true|false},"n":null}"#, schema))
    }

    @Test func stringsWithEscapesAndBadRenderings() throws {
        let schema = Self.record(#"{"name":"s","type":"string"},{"name":"t","type":"string","default":"dflt"}"#)
        #expect(try same(#"{"s":"tab\there \"q\" \u00e9\ud83d\ude00 {i}\\"}"#, schema))
        #expect(try same(#"{"s":"\n{rand:9}\/x","t":"{word}\u0041"}"#, schema))
        // Placeholders that render a quote, a backslash, a control character or a bad escape.
        let lets = [("q", #"a"b{rand:2}"#), ("e", #"x\{choice:n|q|u12|u0041}"#), ("c", "\t{i}")]
        #expect(try same(#"{"s":"<{ref:q}>"}"#, schema, lets: lets))
        #expect(try same(#"{"s":"<{ref:e}>","t":"{ref:c}"}"#, schema, lets: lets))
        #expect(try same(#"{"s":"{ref:e}"}"#, schema, lets: [("e", #"{choice:a|b}\"#)]))
    }

    @Test func enumsUnionsAndLogicalTypes() throws {
        let schema = Self.record(#"""
        {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}},
        {"name":"u","type":["null","string"],"default":null},
        {"name":"w","type":["null","int","long","string"]},
        {"name":"x","type":["null","double","string"]},
        {"name":"day","type":{"type":"int","logicalType":"date"}},
        {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
        {"name":"us","type":{"type":"long","logicalType":"timestamp-micros"}},
        {"name":"tm","type":{"type":"int","logicalType":"time-millis"}},
        {"name":"id","type":{"type":"string","logicalType":"uuid"}},
        {"name":"lt","type":["null",{"type":"long","logicalType":"local-timestamp-millis"}]}
        """#)
        #expect(try same(#"{"e":"{choice:A|B|C|D}","u":"{word}","w":{int:-1:3000000000},"x":{float:0:1:3},"day":"2026-{choice:01|12|13}-0{rand:9}","ts":"2026-12-02T10:00:0{rand:10}.{rand:1000}Z","us":{int:0:99999999999},"tm":"10:00:{choice:00|59|61}.5","id":"{uuid}","lt":{int:0:1700000000000}}"#, schema))
        #expect(try same(#"{"e":"{choice:A|B}","w":"s{i}","x":"{rand:3}","day":{rand:30000},"ts":{i},"us":"2026-12-02T10:00:00.{rand:1000000}+01:00","tm":{rand:86400000},"id":"x{uuid}","u":{"string":"w{i}"},"lt":"2026-12-02T10:00:00.{rand:1000}"}"#, schema))
        #expect(try same(#"{"e":"A","w":{"long":{i}},"x":{"string":"{i}"},"day":1,"ts":2,"us":3,"tm":4,"id":"{uuid}","lt":null,"u":null}"#, schema))
    }

    @Test func containersDefaultsAndAliases() throws {
        let item = #"{"type":"record","name":"Item","fields":[{"name":"sku","type":"string","aliases":["code"]},{"name":"qty","type":"int","default":1}]}"#
        let schema = Self.record(#"""
        {"name":"items","type":{"type":"array","items":\#(item)}},
        {"name":"tags","type":{"type":"map","values":"long"}},
        {"name":"nested","type":["null",{"type":"record","name":"N","fields":[{"name":"a","type":"long"},{"name":"b","type":["null","N"],"default":null}]}],"default":null},
        {"name":"list","type":{"type":"array","items":"long"},"default":[]},
        {"name":"old","type":"string","aliases":["legacy"],"default":"-"}
        """#)
        #expect(try same(#"{"items":[{"code":"S{rand:100}","qty":{rand:5}},{"sku":"T{i}"}],"tags":{"a":{i},"b\u00e9":{rand:9},"a":2},"nested":{"a":{i},"b":{"N":{"a":{rand:3}}}},"legacy":"l{i}"}"#, schema))
        #expect(try same(#"{"items":[],"tags":{},"list":[{i},{rand:3},7],"nested":{"N":{"a":{i}}}}"#, schema))
        // A member no field has, or two members for one field: not a plan (an error every record).
        #expect(try !same(#"{"items":[],"tags":{},"extra":{i}}"#, schema))
        #expect(try !same(#"{"items":[],"tags":{},"old":"a{i}","legacy":"b"}"#, schema))
    }

    @Test func notAPlan() throws {
        let schema = Self.record(#"{"name":"a","type":"long"},{"name":"s","type":"string","default":""}"#)
        for t in [#"{"a":{i}5}"#, #"{"a":-{i}}"#, #"{"{choice:a|s}":1,"a":{i}}"#, #"{"a":{i}{i}}"#, #"{"a":{i},}"#, #"{"a":{i} "s":"x"}"#,
                  #"{"a":{i}} x"#, #"{"a":1,"s":"\{i}"}"#, #"{"a":{i},"s":"x"#, "{i}", #"[{i}]"#, ""] {
            #expect(try !same(t, schema, seeds: [3]), "\(t)")
        }
    }

    @Test func rootsAndKeys() throws {
        #expect(try same("{i}", #""long""#))
        #expect(try same(#""k-{rand:100}""#, #""string""#))
        #expect(try same(#"{"n":{rand:10}}"#, #"{"type":"map","values":["null","int"]}"#))
        // A top-level bytes schema is the raw bytes (no plan), a key with its own schema.
        #expect(try !same(#""b{i}""#, #""bytes""#))
        #expect(try same(Self.benchValue, Self.order, key: "{i}", keySchema: #""long""#))
        #expect(try same(#"{"c":"{rand:10}"}"#, #""string""#, key: #"{"k":"c-{i}","n":{i}}"#,
                         keySchema: Self.record(#"{"name":"k","type":"string"},{"name":"n","type":"int"}"#)))
    }
}
