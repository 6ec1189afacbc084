import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// JSON Schema: every keyword that fits and that does not (with the message's path), `$ref`
/// recursion, the compact output, the warnings, and the pattern matcher on its own.
@Suite struct JSONSchemaTests {
    /// The compact JSON sent, or the error's message.
    func run(_ schema: String, _ json: String) throws -> String {
        let (root, _) = try JSONSchemaCompiler.compile(schema)
        let e = JSONSchemaEncoder(root)
        let out = ByteBuffer()
        do {
            try Array(json.utf8).withUnsafeBytes { b in try e.encode(b, into: out) }
        } catch let error as EncodeError {
            return error.message
        }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    func fits(_ schema: String, _ json: String) throws -> Bool { try run(schema, json).first != "$" }

    func compileError(_ schema: String) -> String? {
        do { _ = try JSONSchemaCompiler.compile(schema); return nil } catch { return error.message }
    }

    func matches(_ pattern: String, _ s: String) throws -> Bool {
        let p = try JSONPattern(pattern)
        return Array(s.utf8).withUnsafeBytes { p.matches($0) }
    }

    @Test func compactOutputKeepsStringsAndNumbersAsGiven() throws {
        #expect(try run("{}", #"  { "a" : [ 1 , 2.50 , -0e3 ] , "b" : "x\u00e9 \"q\" " , "c" : { } , "d" : [ ] , "e" : null , "f" : true }  "#)
            == #"{"a":[1,2.50,-0e3],"b":"x\u00e9 \"q\" ","c":{},"d":[],"e":null,"f":true}"#)
        #expect(try run("true", "12") == "12")
        #expect(try run("{}", "{").hasPrefix("$: invalid JSON"))
    }

    @Test func types() throws {
        let s = ##"{"type":"integer"}"##
        #expect(try fits(s, "3") && fits(s, "-3") && fits(s, "3.0") && fits(s, "1e2"))
        #expect(try run(s, "3.5") == "$: expected integer, got 3.5")
        #expect(try run(s, #""3""#) == #"$: expected integer, got "3""#)
        #expect(try fits(#"{"type":"number"}"#, "3") && fits(#"{"type":"number"}"#, "3.5"))
        let multi = ##"{"type":["string","null"]}"##
        #expect(try fits(multi, "null") && fits(multi, #""x""#))
        #expect(try run(multi, "5") == "$: expected string or null, got 5")
        for (t, ok, bad) in [("boolean", "true", "0"), ("object", "{}", "[]"), ("array", "[]", "{}"), ("null", "null", "false")] {
            #expect(try fits(#"{"type":"\#(t)"}"#, ok))
            #expect(try !fits(#"{"type":"\#(t)"}"#, bad))
        }
        #expect(compileError(#"{"type":"float"}"#)?.contains("unknown type") == true)
        #expect(try run("false", "1") == "$: 1 is not allowed here (the schema is false)")
    }

    @Test func propertiesRequiredAdditional() throws {
        let s = ##"{"type":"object","properties":{"name":{"type":"string"},"my key":{"type":"integer"}},"required":["name"],"additionalProperties":false}"##
        #expect(try fits(s, #"{"name":"a","my key":1}"#))
        #expect(try run(s, #"{"my key":1}"#) == "$.name: required")
        #expect(try run(s, #"{"name":"a","x":1}"#) == "$.x: not allowed (additionalProperties is false)")
        #expect(try run(s, #"{"name":"a","my key":"1"}"#) == #"$["my key"]: expected integer, got "1""#)
        // An escaped key is the same key.
        #expect(try run(s, #"{"n\u0061me":5}"#) == #"$.name: expected string, got 5"#)
        let extra = ##"{"properties":{"a":{}},"additionalProperties":{"type":"number"}}"##
        #expect(try fits(extra, #"{"a":"s","b":2}"#))
        #expect(try run(extra, #"{"b":"2"}"#) == #"$.b: expected number, got "2""#)
        let pp = ##"{"patternProperties":{"^x-":{"type":"string"}},"additionalProperties":false}"##
        #expect(try fits(pp, #"{"x-a":"1"}"#))
        #expect(try run(pp, #"{"x-a":1}"#) == #"$["x-a"]: expected string, got 1"#)
        #expect(try run(pp, #"{"y":1}"#) == "$.y: not allowed (additionalProperties is false)")
        let counts = ##"{"minProperties":1,"maxProperties":2}"##
        #expect(try fits(counts, #"{"a":1}"#))
        #expect(try run(counts, "{}") == "$: has 0 properties, fewer than minProperties 1")
        #expect(try run(counts, #"{"a":1,"b":2,"c":3}"#) == "$: has 3 properties, more than maxProperties 2")
    }

    @Test func itemsAndTheErrorPath() throws {
        let s = ##"{"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"price":{"type":"number"}}}}}}"##
        #expect(try run(s, #"{"items":[{"price":1},{"price":2},{"price":"abc"}]}"#) == #"$.items[2].price: expected number, got "abc""#)
        let tuple2020 = ##"{"prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}"##
        #expect(try fits(tuple2020, #"["a",1]"#))
        #expect(try run(tuple2020, #"["a","b"]"#) == #"$[1]: expected integer, got "b""#)
        #expect(try run(tuple2020, #"["a",1,2]"#) == "$[2]: not allowed (the array may have 2 items at most)")
        let tuple4 = ##"{"items":[{"type":"string"}],"additionalItems":{"type":"boolean"}}"##
        #expect(try fits(tuple4, #"["a",true,false]"#))
        #expect(try run(tuple4, #"["a",true,1]"#) == "$[2]: expected boolean, got 1")
        let counts = ##"{"minItems":1,"maxItems":2}"##
        #expect(try run(counts, "[]") == "$: has 0 items, fewer than minItems 1")
        #expect(try run(counts, "[1,2,3]") == "$: has 3 items, more than maxItems 2")
    }

    @Test func enumAndConst() throws {
        let e = ##"{"enum":["EUR","USD",1,null,{"a":[1,2]}]}"##
        #expect(try fits(e, #""USD""#) && fits(e, "1.0") && fits(e, "null") && fits(e, #"{"a":[1,2.0]}"#) && fits(e, #""\u0045UR""#))
        #expect(try run(e, #""JPY""#) == #"$: "JPY" is not one of "EUR", "USD", 1, null, {"a":[1,2]}"#)
        #expect(try !fits(e, #"{"a":[2,1]}"#))
        let c = ##"{"properties":{"v":{"const":{"x":1,"y":"z"}}}}"##
        #expect(try fits(c, #"{"v":{"y":"z","x":1}}"#))
        #expect(try run(c, #"{"v":{"x":1}}"#) == #"$.v: an object is not the const {"x":1,"y":"z"}"#)
    }

    @Test func numbers() throws {
        let s = ##"{"minimum":0,"maximum":999}"##
        #expect(try fits(s, "0") && fits(s, "999") && fits(s, "5.5"))
        #expect(try run(s, "-1") == "$: -1 is less than minimum 0")
        #expect(try run(s, "1000") == "$: 1000 is greater than maximum 999")
        let ex6 = ##"{"exclusiveMinimum":0,"exclusiveMaximum":10}"##
        #expect(try fits(ex6, "0.001") && !fits(ex6, "10"))
        #expect(try run(ex6, "0") == "$: 0 is not greater than exclusiveMinimum 0")
        // Draft 4's boolean form, in either key order.
        let ex4 = ##"{"exclusiveMaximum":true,"maximum":10,"minimum":1,"exclusiveMinimum":true}"##
        #expect(try fits(ex4, "9.9") && fits(ex4, "2"))
        #expect(try run(ex4, "10") == "$: 10 is not less than exclusiveMaximum 10")
        #expect(try run(ex4, "1") == "$: 1 is not greater than exclusiveMinimum 1")
        let m = ##"{"multipleOf":0.01}"##
        #expect(try fits(m, "19.99") && fits(m, "3"))
        #expect(try run(m, "0.001") == "$: 0.001 is not a multiple of 0.01")
        #expect(try fits(#"{"minimum":0}"#, #""not a number""#), "bounds apply to numbers only")
    }

    @Test func stringsCountCodePoints() throws {
        let s = ##"{"minLength":2,"maxLength":3}"##
        #expect(try fits(s, #""éé""#) && fits(s, #""日本語""#) && fits(s, #""\u00e9\u00e9""#))
        #expect(try run(s, #""é""#) == #"$: "é" is shorter than minLength 2"#)
        #expect(try run(s, #""abcd""#) == #"$: "abcd" is longer than maxLength 3"#)
        let p = ##"{"properties":{"code":{"pattern":"^[A-Z]+$"}}}"##
        #expect(try fits(p, #"{"code":"ABC"}"#))
        #expect(try run(p, #"{"code":"abc"}"#) == #"$.code: "abc" does not match pattern ^[A-Z]+$"#)
        #expect(try fits(#"{"pattern":"b"}"#, #""abc""#), "patterns are not anchored")
    }

    @Test func refsAndRecursion() throws {
        let tree = ##"{"$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/$defs/node"}}},"required":["v"]}},"$ref":"#/$defs/node"}"##
        #expect(try fits(tree, #"{"v":1,"kids":[{"v":2,"kids":[{"v":3}]}]}"#))
        #expect(try run(tree, #"{"v":1,"kids":[{"v":2,"kids":[{"v":"x"}]}]}"#) == #"$.kids[0].kids[0].v: expected integer, got "x""#)
        let root = ##"{"type":"object","properties":{"next":{"$ref":"#"},"n":{"type":"number"}}}"##
        #expect(try run(root, #"{"next":{"next":{"n":"x"}}}"#) == #"$.next.next.n: expected number, got "x""#)
        let old = ##"{"definitions":{"a~b/c":{"type":"string"},"p q":{"type":"null"}},"properties":{"x":{"$ref":"#/definitions/a~0b~1c"},"y":{"$ref":"#/definitions/p%20q"}}}"##
        #expect(try fits(old, #"{"x":"s","y":null}"#))
        #expect(try !fits(old, #"{"x":1}"#))
        // Draft 7: keywords beside $ref are ignored; 2020-12: they apply too.
        let d7 = ##"{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"s":{"type":"string"}},"$ref":"#/definitions/s","maxLength":1}"##
        #expect(try fits(d7, #""long""#))
        let d2020 = ##"{"$defs":{"s":{"type":"string"}},"$ref":"#/$defs/s","maxLength":1}"##
        #expect(try !fits(d2020, #""long""#))
        #expect(compileError(##"{"$ref":"#/$defs/missing"}"##)?.contains("points to nothing") == true)
        #expect(compileError(#"{"$ref":"other.json#/x"}"#)?.contains("outside this document") == true)
        #expect(compileError(##"{"$ref":"#"}"##)?.contains("refers back to itself") == true)
        #expect(compileError(##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"anyOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}"##)?.contains("refers back") == true)
    }

    @Test func combinators() throws {
        let all = ##"{"allOf":[{"type":"integer"},{"minimum":5}]}"##
        #expect(try fits(all, "6"))
        #expect(try run(all, "4") == "$: 4 is less than minimum 5")
        let any = ##"{"anyOf":[{"type":"string"},{"type":"null"}]}"##
        #expect(try fits(any, "null") && fits(any, #""a""#))
        #expect(try run(any, "1") == "$: fits none of the 2 schemas of anyOf (#1 says: expected string, got 1)")
        let nullable = ##"{"properties":{"o":{"anyOf":[{"type":"null"},{"type":"object","required":["id"]}]}}}"##
        #expect(try run(nullable, #"{"o":{}}"#) == "$.o: fits none of the 2 schemas of anyOf (#2 says: .id: required)")
        let one = ##"{"oneOf":[{"type":"integer"},{"minimum":2}]}"##
        #expect(try fits(one, "1") && fits(one, "2.5"))
        #expect(try run(one, "3") == "$: fits more than one schema of oneOf (#1 and #2); exactly one must fit")
        #expect(try run(#"{"not":{"type":"null"}}"#, "null") == #"$: null must not fit the schema under "not""#)
        let cond = ##"{"if":{"properties":{"kind":{"const":"card"}}},"then":{"required":["pan"]},"else":{"required":["iban"]}}"##
        #expect(try fits(cond, #"{"kind":"card","pan":"4"}"#) && fits(cond, #"{"kind":"sepa","iban":"DE"}"#))
        #expect(try run(cond, #"{"kind":"card"}"#) == "$.pan: required")
        #expect(try run(cond, #"{"kind":"sepa"}"#) == "$.iban: required")
    }

    @Test func warningsNameUncheckedKeywordsOnce() throws {
        let (_, w) = try JSONSchemaCompiler.compile(#"{"title":"T","description":"d","uniqueItems":true,"properties":{"a":{"format":"email","uniqueItems":true},"format":{"type":"string"}}}"#)
        #expect(w.count == 1)
        #expect(w.first?.contains("keywords uniqueItems, format are not checked") == true)
        #expect(try JSONSchemaCompiler.compile(#"{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"x","title":"t","default":{},"examples":[]}"#).warnings.isEmpty)
    }

    @Test func schemaErrors() {
        #expect(compileError("[1]")?.contains("a schema is an object or a boolean") == true)
        #expect(compileError(##"{"minLength":-1}"##)?.contains("#/minLength: expected a non-negative integer") == true)
        #expect(compileError(#"{"properties":{"a":{"pattern":"(?=x)"}}}"#)?.contains("lookahead") == true)
        #expect(compileError("{") != nil)
    }

    @Test func patternMatcher() throws {
        let cases: [(String, String, Bool)] = [
            ("^abc$", "abc", true), ("^abc$", "abcd", false), ("abc", "xxabcxx", true),
            ("^a.c$", "abc", true), ("^a.c$", "a\nc", false), ("^a.c$", "aéc", true),
            ("^[a-z]+$", "hello", true), ("^[a-z]+$", "Hello", false), ("^[^0-9]*$", "abc", true), ("^[^0-9]*$", "a1", false),
            ("^\\d{3}-\\d{4}$", "555-1234", true), ("^\\d{3}-\\d{4}$", "55-1234", false),
            ("^\\w+@\\w+\\.com$", "a_b@x.com", true), ("^\\s*$", " \t", true), ("^\\S+$", "a b", false),
            ("^(cat|dog)s?$", "dogs", true), ("^(cat|dog)s?$", "cow", false), ("^(?:ab)+$", "ababab", true), ("^(?:ab)+$", "aba", false),
            ("^a{2,3}$", "aa", true), ("^a{2,3}$", "aaaa", false), ("^a{2}$", "aa", true), ("^a{2,}$", "aaaaa", true), ("^a{2,}$", "a", false),
            ("^a*?b$", "aaab", true), ("^[\\d.-]+$", "1.5-2", true), ("^[a\\-z]$", "-", true), ("^[a\\-z]$", "b", false),
            ("\\bfoo\\b", "a foo b", true), ("\\bfoo\\b", "afoob", false), ("^x{$", "x{", true), ("^\\u00e9$", "é", true),
            ("^(a+)+$", String(repeating: "a", count: 5000) + "!", false), // linear, not catastrophic
            ("^$", "", true), ("a|^$", "", true), ("^(|a)b$", "b", true), ("(a*)*b", "aaac", false),
            ("^[\\u4e00-\\u9fff]+$", "日本", true), ("^\\.\\*\\/$", ".*/", true),
        ]
        for (p, s, want) in cases {
            #expect(try matches(p, s) == want, "\(p) on \(s)")
        }
        for (bad, named) in [("(?=a)", "lookahead"), ("(?!a)", "negative lookahead"), ("(?<n>a)", "lookbehind or named group"), ("(a)\\1", "backreference"),
                             ("\\p{L}", "Unicode property"), ("[[:alpha:]]", "POSIX class"), ("\\a", "escape"), ("*a", "nothing to repeat"),
                             ("(a", "without its ')'"), ("a)", "unmatched"), ("[a", "without its ']'"), ("a{3,1}", "out of order"), ("[z-a]", "out of order"),
                             ("(a{1000}){1000}", "too large")] {
            #expect(throws: JSONTapeError.self) { _ = try JSONPattern(bad) }
            do { _ = try JSONPattern(bad) } catch { #expect(error.message.contains(named), "\(bad): \(error.message)") }
        }
    }

    @Test func aRecordThatFitsAllocatesNothingNew() throws {
        // Not a measurement of malloc: the same encoder, many records, same answers (the
        // reused tape, scratch and pattern state do not leak between records).
        let (root, _) = try JSONSchemaCompiler.compile(#"{"properties":{"c":{"pattern":"^[A-Z]+$"},"s":{"maxLength":2}}}"#)
        let e = JSONSchemaEncoder(root)
        let out = ByteBuffer()
        for k in 0..<200 {
            out.removeAll()
            let json = k % 2 == 0 ? ##"{"c":"AB","s":"\u00e9x"}"## : ##"{"c":"ab"}"##
            var failed = false
            do { try Array(json.utf8).withUnsafeBytes { b in try e.encode(b, into: out) } } catch { failed = true }
            #expect(failed == (k % 2 == 1))
        }
    }
}
