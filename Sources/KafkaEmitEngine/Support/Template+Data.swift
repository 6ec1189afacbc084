@_spi(Engine) import KafkaEmit

/// The realistic fields (SPEC §2c), each drawn from the built-in tables of `RealisticTables`.
package enum DataField: String, Sendable, CaseIterable {
    case firstName = "first_name", lastName = "last_name", name, email, phone, street, city, country
    case ipv4, ipv6, word, sentence, lat, lon, iban
    case userAgent = "user_agent"
}

/// `{line:FILE}`'s entries, read once when the plan is made: one entry per line, a trailing
/// `\r` stripped, blank lines skipped.
package final class LinePool: Sendable, Equatable {
    package let path: String
    package let lines: [[UInt8]]

    package init(path: String, lines: [[UInt8]]) {
        self.path = path
        self.lines = lines
    }

    /// Reads FILE for `flag`: unreadable is exit 66 (as `-i` and `--value-schema`), no entry
    /// is a usage error; both name the flag, the file and the fix.
    package static func load(_ path: String, flag: String) throws(EmitError) -> LinePool {
        let bytes = try ProtoSchemaSource.readBytes(path, flag: "\(flag): {line:FILE}")
        var lines: [[UInt8]] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            var end = i
            if end > start && bytes[end - 1] == 0x0D { end -= 1 }
            if end > start { lines.append(Array(bytes[start..<end])) }
            start = i + 1
        }
        guard !lines.isEmpty else {
            throw .usage("\(flag): {line:FILE} '\(path)' has no entries; put one value per line (customer ids, SKUs…)")
        }
        return LinePool(path: path, lines: lines)
    }

    package static func == (a: LinePool, b: LinePool) -> Bool { a === b || (a.path == b.path && a.lines == b.lines) }
}

extension Template {
    /// The names `{ref:NAME}` uses, in order.
    package var refNames: [String] { parts.compactMap { if case .ref(let n, _) = $0 { n } else { nil } } }

    /// This template with each `{ref:NAME}` given its `--let` slot (`slot(NAME)`, nil: not
    /// defined) and each `{line:FILE}` its loaded pool (`pool(FILE)`).
    package func resolved(slot: (String) throws(EmitError) -> Int,
                          pool: (String) throws(EmitError) -> LinePool) throws(EmitError) -> Template {
        var out: [Part] = []
        for p in parts {
            switch p {
            case .ref(let name, _): out.append(.ref(name: name, slot: try slot(name)))
            case .pool(let path, _): out.append(.pool(path: path, try pool(path)))
            default: out.append(p)
            }
        }
        return Template(parts: out, source: source)
    }

    /// The realistic-data placeholders; nil when `name` is none of them.
    static func dataPart(name: String, arg: String?, shown: String, flag: String) throws(EmitError) -> Part? {
        func bad(_ why: String, _ example: String) -> EmitError { .usage("\(flag): \(shown) \(why), e.g. \(example)") }
        let fields = arg.map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) } ?? []
        func number(_ s: String) -> Double? { Double(s).flatMap { $0.isFinite ? $0 : nil } }
        switch name {
        case "int":
            let e = bad("needs two integers MIN:MAX with MIN ≤ MAX (both included)", "{int:1:100}")
            guard fields.count == 2, let lo = Int64(fields[0]), let hi = Int64(fields[1]), lo <= hi else { throw e }
            return .int(min: lo, max: hi)
        case "float":
            let e = bad("needs MIN:MAX:DIGITS, numbers with MIN ≤ MAX and 0 to 9 decimal digits", "{float:0:100:2}")
            guard fields.count == 2 || fields.count == 3, let lo = number(fields[0]), let hi = number(fields[1]), lo <= hi else { throw e }
            let digits = fields.count == 3 ? Int(fields[2]) : 2
            guard let digits, (0...9).contains(digits) else { throw e }
            guard Swift.max(abs(lo), abs(hi)) * pow10(digits) < 1e17 else {
                throw bad("has bounds too large to print with \(digits) decimal digits; use fewer digits or smaller bounds", "{float:0:1000000:2}")
            }
            return .float(min: lo, max: hi, digits: digits)
        case "normal":
            let e = bad("needs MEAN:SD (SD ≥ 0, printed with 2 decimals; :DIGITS for 0 to 9)", "{normal:100:15}")
            guard fields.count == 2 || fields.count == 3, let mean = number(fields[0]), let sd = number(fields[1]), sd >= 0 else { throw e }
            let digits = fields.count == 3 ? Int(fields[2]) : 2
            guard let digits, (0...9).contains(digits), (abs(mean) + 40 * sd) * pow10(digits) < 1e17 else { throw e }
            return .normal(mean: mean, sd: sd, digits: digits)
        case "choice":
            guard let arg, !arg.isEmpty else { throw bad("needs items separated by |", "{choice:red|green|blue}") }
            return .choice(arg.split(separator: "|", omittingEmptySubsequences: false).map { Array($0.utf8) })
        case "weighted":
            let e = bad("needs ITEM=WEIGHT items separated by |, whole weights ≥ 0, not all 0", "{weighted:card=5|cash=1}")
            guard let arg, !arg.isEmpty else { throw e }
            var items: [[UInt8]] = [], weights: [UInt64] = []
            var total: UInt64 = 0
            for item in arg.split(separator: "|", omittingEmptySubsequences: false) {
                guard let eq = item.lastIndex(of: "="), let w = UInt64(item[item.index(after: eq)...]), w <= 1 << 40 else { throw e }
                items.append(Array(item[..<eq].utf8))
                weights.append(w)
                total += w
            }
            guard total > 0 else { throw e }
            return .weighted(items, weights: weights)
        case "zipf":
            let e = bad("needs N:S, a key count N from 1 to 10^15 and an exponent S ≥ 0", "{zipf:1000:1.1}")
            guard fields.count == 2, let n = UInt64(fields[0]), n >= 1, n <= 1_000_000_000_000_000,
                  let s = number(fields[1]), s >= 0, s <= 1000 else { throw e }
            return .zipf(n: n, exponent: s)
        case "hot":
            let e = bad("needs N:PCT, a key count N ≥ 1 and the percent (0 to 100) of records on key 0", "{hot:1000:80}")
            guard fields.count == 2, let n = UInt64(fields[0]), n >= 1, n <= UInt64(Int.max),
                  let pct = number(fields[1]), pct >= 0, pct <= 100 else { throw e }
            return .hot(n: n, percent: pct)
        case "ref":
            guard let arg, isName(arg) else {
                throw bad("needs the NAME of a --let NAME=TEMPLATE (letters, digits, _)", "--let cid={int:1:500} --key '{ref:cid}'")
            }
            return .ref(name: arg, slot: -1)
        default:
            guard let field = DataField(rawValue: name) else { return nil }
            if arg != nil { throw .usage("\(flag): \(shown) takes no argument; write {\(name)}") }
            return .field(field)
        }
    }

    /// A `--let` / `{ref:…}` name: [A-Za-z_][A-Za-z0-9_]*.
    package static func isName(_ s: String) -> Bool {
        guard let first = s.utf8.first, first == 0x5F || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A) else { return false }
        return s.utf8.allSatisfy { $0 == 0x5F || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    static func pow10(_ digits: Int) -> Double {
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        return p
    }
}

/// `--let NAME=TEMPLATE`: rendered once per record, before the key, and reused by `{ref:NAME}`.
package struct LetTemplate: Sendable, Equatable {
    package var name: String
    package var template: Template
    package init(name: String, template: Template) {
        self.name = name
        self.template = template
    }
}
