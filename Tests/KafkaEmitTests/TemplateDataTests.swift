import Testing
#if canImport(Glibc)
import Glibc
#endif
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// The realistic-data placeholders (SPEC §2c). Every statistical check draws from a fixed
/// seed, so it gives the same numbers on every run: it cannot flake, and its tolerances are
/// several standard deviations wide so a correct sampler passes for any seed.
@Suite struct TemplateDataTests {
    /// `n` renders of one compiled template, as the hot path does them (one buffer, one context).
    func draws(_ text: String, _ n: Int, seed: UInt64 = 2026) throws -> [String] {
        let compiled = CompiledTemplate(try Template.parse(text, flag: "--value"), topic: "t")
        var ctx = RenderContext(rng: SeededRandom(seed: seed))
        let b = ByteBuffer()
        var out: [String] = []
        out.reserveCapacity(n)
        for i in 0..<n {
            ctx.index = UInt64(i)
            b.removeAll()
            compiled.render(into: b, &ctx)
            out.append(String(decoding: b.bytes, as: UTF8.self))
        }
        return out
    }

    func numbers(_ text: String, _ n: Int, seed: UInt64 = 2026) throws -> [Double] {
        try draws(text, n, seed: seed).map { try #require(Double($0), "not a number: \($0)") }
    }

    static let everyField = DataField.allCases.map { "{\($0.rawValue)}" }.joined(separator: "|")

    @Test func parses() throws {
        func part(_ s: String) throws -> Template.Part { try #require(try Template.parse(s, flag: "--value").parts.first) }
        #expect(try part("{int:-5:10}") == .int(min: -5, max: 10))
        #expect(try part("{float:0:1.5:3}") == .float(min: 0, max: 1.5, digits: 3))
        #expect(try part("{float:0:1}") == .float(min: 0, max: 1, digits: 2))
        #expect(try part("{normal:100:15}") == .normal(mean: 100, sd: 15, digits: 2))
        #expect(try part("{choice:a|b c|}") == .choice([[0x61], [0x62, 0x20, 0x63], []]))
        #expect(try part("{weighted:a=5|b=1}") == .weighted([[0x61], [0x62]], weights: [5, 1]))
        #expect(try part("{zipf:1000:1.1}") == .zipf(n: 1000, exponent: 1.1))
        #expect(try part("{hot:10:80}") == .hot(n: 10, percent: 80))
        #expect(try part("{user_agent}") == .field(.userAgent))
        #expect(try part("{line:ids.txt}") == .pool(path: "ids.txt", nil))
        #expect(try part("{ref:cid}") == .ref(name: "cid", slot: -1))
        #expect(try part("{line}") == .line)
        // JSON around the placeholders stays literal
        #expect(try draws(#"{"n":"{first_name}","k":{int:7:7}}"#, 1)[0].hasSuffix(#"","k":7}"#))
    }

    @Test(arguments: [
        ("{int:5:1}", "{int:1:100}"), ("{int:1}", "{int:1:100}"), ("{int:a:b}", "{int:1:100}"),
        ("{float:1:2:99}", "{float:0:100:2}"), ("{float:2:1:2}", "{float:0:100:2}"), ("{float:1e300:1e301:2}", "too large"),
        ("{normal:1:-1}", "{normal:100:15}"), ("{normal:x:1}", "{normal:100:15}"),
        ("{choice:}", "{choice:red|green|blue}"), ("{choice}", "{choice:red|green|blue}"),
        ("{weighted:a=x}", "{weighted:card=5|cash=1}"), ("{weighted:a=0|b=0}", "{weighted:card=5|cash=1}"),
        ("{weighted:a}", "{weighted:card=5|cash=1}"),
        ("{zipf:0:1}", "{zipf:1000:1.1}"), ("{zipf:10:-1}", "{zipf:1000:1.1}"), ("{zipf:10}", "{zipf:1000:1.1}"),
        ("{hot:0:50}", "{hot:1000:80}"), ("{hot:10:101}", "{hot:1000:80}"),
        ("{ref:}", "--let cid="), ("{ref:1x}", "--let cid="), ("{name:x}", "takes no argument"),
        ("{line:}", "{line:customers.txt}"),
    ])
    func badArguments(text: String, example: String) {
        #expect {
            _ = try Template.parse(text, flag: "--value")
        } throws: { error in
            guard let e = error as? EmitError, case .usage(let m) = e else { return false }
            return m.hasPrefix("--value: \(text) ") && m.contains(example) && !m.contains("\n")
        }
    }

    @Test func unknownPlaceholderListsTheNewOnes() {
        #expect(throws: EmitError.self) { try Template.parse("{nam}", flag: "--key") }
        for name in ["{int:MIN:MAX}", "{zipf:N:S}", "{iban}", "{user_agent}", "{line:FILE}", "{ref:NAME}"] {
            #expect(Template.knownPlaceholders.contains(name))
        }
    }

    @Test func sameSeedSameBytes() throws {
        let text = Self.everyField + "|{int:1:9}|{float:0:1:4}|{normal:0:1}|{choice:a|b}|{weighted:a=1|b=2}|{zipf:50:1}|{hot:9:50}"
        let a = try draws(text, 50, seed: 42), b = try draws(text, 50, seed: 42), c = try draws(text, 50, seed: 43)
        #expect(a == b)
        #expect(a != c)
        #expect(Set(a).count == 50)
    }

    @Test func tablesAreJSONSafe() throws {
        func safe(_ bytes: [UInt8]) -> Bool { bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C } }
        for (name, table) in RealisticTables.all {
            #expect(table.count >= 6, "\(name)")
            for entry in table { #expect(!entry.isEmpty && safe(entry), "\(name): \(String(decoding: entry, as: UTF8.self))") }
            #expect(Set(table).count == table.count, "\(name) has duplicates")
        }
        for value in try draws(Self.everyField, 2000) { #expect(safe(Array(value.utf8)), "\(value)") }
    }

    @Test func fieldsLookRight() throws {
        for v in try draws("{email}", 200) { #expect(v.wholeMatch(of: /[a-z]+\.[a-z]+[0-9]{1,3}@[a-z]+\.[a-z]+/) != nil, "\(v)") }
        for v in try draws("{phone}", 200) { #expect(v.wholeMatch(of: /\+1-[2-9][0-9]{2}-555-01[0-9]{2}/) != nil, "\(v)") }
        for v in try draws("{ipv4}", 200) {
            let octets = v.split(separator: ".").compactMap { Int($0) }
            #expect(octets.count == 4 && octets.allSatisfy { (0...255).contains($0) }, "\(v)")
        }
        for v in try draws("{ipv6}", 200) {
            let groups = v.split(separator: ":", omittingEmptySubsequences: false)
            #expect(groups.count == 8 && groups.allSatisfy { (1...4).contains($0.count) && UInt16($0, radix: 16) != nil }, "\(v)")
            #expect(!groups.contains { $0.count > 1 && $0.first == "0" }, "\(v)")
        }
        for v in try numbers("{lat}", 500) { #expect((-90...90).contains(v)) }
        for v in try numbers("{lon}", 500) { #expect((-180...180).contains(v)) }
        for v in try draws("{sentence}", 200) {
            let words = v.dropLast().split(separator: " ")
            #expect(v.last == "." && (4...12).contains(words.count) && v.first!.isUppercase, "\(v)")
        }
        #expect(try draws("{name}", 100).allSatisfy { $0.split(separator: " ").count == 2 })
    }

    @Test func ibanCheckDigits() throws {
        let lengths = Dictionary(uniqueKeysWithValues: RealisticTables.ibanFormats.map { ($0.country, 4 + $0.bban.count) })
        var countries = Set<String>()
        for iban in try draws("{iban}", 3000) {
            let country = String(iban.prefix(2))
            countries.insert(country)
            #expect(iban.count == lengths[country], "\(iban)")
            // ISO 13616 / ISO 7064 mod 97-10: the first four characters moved to the end,
            // letters as 10…35, the number is 1 mod 97.
            var rem = 0
            for ch in (iban.dropFirst(4) + iban.prefix(4)).utf8 {
                switch ch {
                case 0x30...0x39: rem = (rem * 10 + Int(ch - 0x30)) % 97
                case 0x41...0x5A: rem = (rem * 100 + Int(ch - 0x41 + 10)) % 97
                default: Issue.record("\(iban) has \(ch)")
                }
            }
            #expect(rem == 1, "\(iban)")
        }
        #expect(countries.count == RealisticTables.ibanFormats.count)
        // the BBAN's characters are uniform: each digit about 1/10 of the digits, each letter 1/26
        var digits = [Int](repeating: 0, count: 10), letters = [Int](repeating: 0, count: 26)
        for iban in try draws("{iban}", 20_000) {
            for ch in iban.utf8.dropFirst(4) {
                if ch <= 0x39 { digits[Int(ch - 0x30)] += 1 } else if iban.hasPrefix("GB") || iban.hasPrefix("NL") { letters[Int(ch - 0x41)] += 1 }
            }
        }
        let d = Double(digits.reduce(0, +)), l = Double(letters.reduce(0, +))
        #expect(digits.allSatisfy { abs(Double($0) / d - 0.1) < 0.004 }, "\(digits)")
        #expect(letters.allSatisfy { abs(Double($0) / l - 1.0 / 26) < 0.006 }, "\(letters)")
        // a known-good IBAN from the ISO 13616 examples passes the same check
        #expect(Self.mod97("GB82WEST12345698765432") == 1)
    }

    static func mod97(_ iban: String) -> Int {
        var rem = 0
        for ch in (iban.dropFirst(4) + iban.prefix(4)).utf8 {
            rem = ch <= 0x39 ? (rem * 10 + Int(ch - 0x30)) % 97 : (rem * 100 + Int(ch - 0x41 + 10)) % 97
        }
        return rem
    }

    @Test func intIsInclusiveAndUniform() throws {
        let v = try numbers("{int:1:4}", 40_000)
        for k in 1...4 {
            let share = Double(v.filter { $0 == Double(k) }.count) / 40_000
            #expect(abs(share - 0.25) < 0.01, "\(k): \(share)")
        }
        #expect(try draws("{int:-5:-5}", 3) == ["-5", "-5", "-5"])
        for s in try draws("{int:-9223372036854775808:9223372036854775807}", 100) { #expect(Int64(s) != nil) }
    }

    @Test func floatDigitsAndBounds() throws {
        for s in try draws("{float:-1:1:3}", 1000) {
            let v = try #require(Double(s))
            #expect((-1...1).contains(v) && s.split(separator: ".").last?.count == 3 && s != "-0.000", "\(s)")
        }
        #expect(try draws("{float:-0.001:0.001:0}", 200).allSatisfy { $0 == "0" })
        #expect(try draws("{float:5:5:2}", 2) == ["5.00", "5.00"])
        let x = try numbers("{float:10:20:4}", 20_000)
        #expect(abs(x.reduce(0, +) / 20_000 - 15) < 0.1)
    }

    @Test func normalMeanAndSD() throws {
        let v = try numbers("{normal:100:15}", 100_000)
        let mean = v.reduce(0, +) / Double(v.count)
        let sd = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
        // standard errors: 15/√100000 ≈ 0.047 for the mean, ≈ 0.034 for the sd
        #expect(abs(mean - 100) < 0.25, "mean \(mean)")
        #expect(abs(sd - 15) < 0.2, "sd \(sd)")
        let within1 = Double(v.filter { abs($0 - 100) <= 15 }.count) / Double(v.count)
        #expect(abs(within1 - 0.6827) < 0.01, "P(|z| ≤ 1) = \(within1)")
        #expect(try draws("{normal:0:1}", 100).allSatisfy { $0.split(separator: ".").last?.count == 2 })
        #expect(try draws("{normal:7:0:0}", 2) == ["7", "7"])
    }

    @Test func choiceAndWeighted() throws {
        #expect(Set(try draws("{choice:a|b|c}", 300)) == ["a", "b", "c"])
        let w = try draws("{weighted:a=5|b=1|c=0}", 60_000)
        #expect(!w.contains("c"))
        let a = Double(w.filter { $0 == "a" }.count) / 60_000
        #expect(abs(a - 5.0 / 6) < 0.01, "share of a \(a)")
    }

    /// 100k draws of {zipf:100:1.1}: each rank's count against N·(1/k^S)/H(N,S), as a
    /// chi-square statistic with 99 degrees of freedom (every expected count is above 150).
    /// Its 0.999 quantile is 148.3 (Wilson–Hilferty); a wrong law gives thousands.
    @Test(arguments: [(100, 1.1), (100, 0.7), (20, 2.0), (50, 0.0)])
    func zipfFollowsItsLaw(n: Int, s: Double) throws {
        let draws = 100_000
        var counts = [Int](repeating: 0, count: n)
        for v in try numbers("{zipf:\(n):\(s)}", draws) {
            let k = Int(v)
            try #require((0..<n).contains(k), "\(v) outside [0, \(n))")
            counts[k] += 1
        }
        let h = (1...n).reduce(0.0) { $0 + pow(Double($1), -s) }
        var chi2 = 0.0, df = -1
        var pooledObserved = 0, pooledExpected = 0.0
        for k in 1...n {
            let expected = Double(draws) * pow(Double(k), -s) / h
            if k <= 3 { #expect(abs(Double(counts[k - 1]) - expected) < 5 * expected.squareRoot(), "rank \(k): \(counts[k - 1]) vs \(expected)") }
            pooledObserved += counts[k - 1]
            pooledExpected += expected
            if pooledExpected >= 20 {
                let d = Double(pooledObserved) - pooledExpected
                chi2 += d * d / pooledExpected
                df += 1
                pooledObserved = 0
                pooledExpected = 0
            }
        }
        let critical = Double(df) * pow(1 - 2 / (9 * Double(df)) + 3.09 * (2 / (9 * Double(df))).squareRoot(), 3)
        #expect(chi2 < critical, "chi-square \(chi2) with \(df) degrees of freedom, critical \(critical)")
    }

    @Test func zipfLargeN() throws {
        // a billion keys in constant memory; the ranks' ratios still follow k^−S
        let v = try numbers("{zipf:1000000000:1.2}", 50_000)
        #expect(v.allSatisfy { $0 >= 0 && $0 < 1e9 })
        let c0 = Double(v.filter { $0 == 0 }.count), c1 = Double(v.filter { $0 == 1 }.count)
        #expect(abs(c1 / c0 - pow(2, -1.2)) < 0.05, "\(c1 / c0)")
        #expect(v.contains { $0 > 1e6 })
    }

    @Test func hotKeyShare() throws {
        let v = try numbers("{hot:1000:80}", 100_000)
        let hot = Double(v.filter { $0 == 0 }.count) / 100_000
        // 80 % on key 0, and the uniform rest hits it 1 time in 1000: 0.8002 (sd 0.0013)
        #expect(abs(hot - 0.8002) < 0.007, "\(hot)")
        #expect(v.allSatisfy { $0 >= 0 && $0 < 1000 })
        #expect(Set(v).count > 900)
        #expect(try numbers("{hot:5:100}", 100).allSatisfy { $0 == 0 })
        #expect(Set(try numbers("{hot:5:0}", 1000)).count == 5)
    }
}
