// The parser of JSONPattern (see JSONPattern.swift): pattern text to the NFA program.

/// Recursive descent over the pattern's code points.
struct PatternParser {
    let s: [UInt32]
    var p = 0
    var classes: [JSONPattern.CharClass] = []
    var depth = 0

    init(_ s: [UInt32]) { self.s = s }

    func fail(_ what: String) -> JSONTapeError {
        JSONTapeError("\(what) at character \(p + 1) is not supported in patterns (kafka-emit supports literals, ., [classes], \\d \\w \\s, ^ $, groups with |, * + ? {m,n})")
    }
    func invalid(_ what: String) -> JSONTapeError { JSONTapeError("not a valid regular expression: \(what) at character \(p + 1)") }

    var peek: UInt32? { p < s.count ? s[p] : nil }

    mutating func parseAll() throws(JSONTapeError) -> PatternNode {
        let node = try alternation()
        if p < s.count { throw invalid("an unmatched ')'") }
        return node
    }

    mutating func alternation() throws(JSONTapeError) -> PatternNode {
        var parts = [try concat()]
        while peek == 0x7C { p += 1; parts.append(try concat()) }
        return parts.count == 1 ? parts[0] : .alternation(parts)
    }

    mutating func concat() throws(JSONTapeError) -> PatternNode {
        var parts: [PatternNode] = []
        while let c = peek, c != 0x7C, c != 0x29 {
            var atom = try self.atom()
            while let q = try quantifier() {
                if case .lineStart = atom { throw invalid("nothing to repeat") }
                if case .lineEnd = atom { throw invalid("nothing to repeat") }
                atom = .repeated(atom, min: q.0, max: q.1)
            }
            parts.append(atom)
        }
        return parts.count == 1 ? parts[0] : parts.isEmpty ? .empty : .concat(parts)
    }

    /// `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}` (a `{` that starts none of them is a literal, as
    /// browsers read it), each optionally lazy.
    mutating func quantifier() throws(JSONTapeError) -> (Int, Int?)? {
        guard let c = peek else { return nil }
        var q: (Int, Int?)
        switch c {
        case 0x2A: q = (0, nil); p += 1
        case 0x2B: q = (1, nil); p += 1
        case 0x3F: q = (0, 1); p += 1
        case 0x7B:
            let save = p
            p += 1
            guard let lo = number() else { p = save; return nil }
            var hi: Int? = lo
            if peek == 0x2C { p += 1; hi = number() }
            guard peek == 0x7D else { p = save; return nil }
            p += 1
            if let hi, hi < lo { throw invalid("numbers out of order in {\(lo),\(hi)}") }
            q = (lo, hi)
        default: return nil
        }
        if peek == 0x3F { p += 1 } // lazy: the same answer for "does it match"
        if peek == 0x2B { throw fail("a possessive quantifier") }
        return q
    }

    mutating func number() -> Int? {
        var v = 0, digits = 0
        while let c = peek, c >= 0x30 && c <= 0x39 { v = min(v * 10 + Int(c - 0x30), 1 << 20); digits += 1; p += 1 }
        return digits > 0 ? v : nil
    }

    mutating func atom() throws(JSONTapeError) -> PatternNode {
        let c = s[p]
        p += 1
        switch c {
        case 0x2E: return .any
        case 0x5E: return .lineStart
        case 0x24: return .lineEnd
        case 0x28:
            if peek == 0x3F {
                guard p + 1 < s.count, s[p + 1] == 0x3A else {
                    let kind: String
                    switch p + 1 < s.count ? s[p + 1] : 0 {
                    case 0x3D: kind = "a lookahead (?="
                    case 0x21: kind = "a negative lookahead (?!"
                    case 0x3C: kind = "a lookbehind or named group (?<"
                    default: kind = "a group modifier (?"
                    }
                    throw fail(kind)
                }
                p += 2
            }
            depth += 1
            guard depth <= 100 else { throw fail("nesting deeper than 100 groups") }
            let inner = try alternation()
            depth -= 1
            guard peek == 0x29 else { throw invalid("a '(' without its ')'") }
            p += 1
            return inner
        case 0x5B: return try characterClass()
        case 0x5C: return try escape()
        case 0x2A, 0x2B, 0x3F: throw invalid("nothing to repeat")
        case 0x7B:
            // `{2}` with nothing before it repeats nothing; any other `{` is a literal.
            let brace = p - 1
            p = brace
            if try quantifier() != nil { throw invalid("nothing to repeat") }
            p = brace + 1
            return .char(c)
        default: return .char(c)
        }
    }

    mutating func newClass(_ ranges: [(UInt32, UInt32)], negated: Bool) -> PatternNode {
        classes.append(JSONPattern.CharClass(ranges: ranges, negated: negated))
        return .set(classes.count - 1)
    }

    static let digit: [(UInt32, UInt32)] = [(0x30, 0x39)]
    static let word: [(UInt32, UInt32)] = [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)]
    /// ECMA's WhiteSpace and LineTerminator.
    static let space: [(UInt32, UInt32)] = [(0x09, 0x0D), (0x20, 0x20), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A),
                                            (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000), (0xFEFF, 0xFEFF)]

    static func complement(_ r: [(UInt32, UInt32)]) -> [(UInt32, UInt32)] {
        var out: [(UInt32, UInt32)] = []
        var from: UInt32 = 0
        for (lo, hi) in r.sorted(by: { $0.0 < $1.0 }) {
            if lo > from { out.append((from, lo - 1)) }
            from = max(from, hi &+ 1)
        }
        if from <= 0x10FFFF { out.append((from, 0x10FFFF)) }
        return out
    }

    /// `\d` and friends: their ranges, or nil for another escape.
    static func shorthand(_ c: UInt32) -> [(UInt32, UInt32)]? {
        switch c {
        case 0x64: return digit
        case 0x44: return complement(digit)
        case 0x77: return word
        case 0x57: return complement(word)
        case 0x73: return space
        case 0x53: return complement(space)
        default: return nil
        }
    }

    mutating func escape() throws(JSONTapeError) -> PatternNode {
        guard let c = peek else { throw invalid("a '\\' at the end") }
        if let r = PatternParser.shorthand(c) { p += 1; return newClass(r, negated: false) }
        if c == 0x62 { p += 1; return .wordBoundary(true) }
        if c == 0x42 { p += 1; return .wordBoundary(false) }
        return .char(try escapedChar(inClass: false))
    }

    /// A single-character escape after `\` (p at the character after the backslash).
    mutating func escapedChar(inClass: Bool) throws(JSONTapeError) -> UInt32 {
        let c = s[p]
        p += 1
        switch c {
        case 0x6E: return 0x0A
        case 0x72: return 0x0D
        case 0x74: return 0x09
        case 0x66: return 0x0C
        case 0x76: return 0x0B
        case 0x62 where inClass: return 0x08
        case 0x30:
            if let d = peek, d >= 0x30 && d <= 0x39 { throw fail("an octal escape \\0\(Character(Unicode.Scalar(d)!))") }
            return 0
        case 0x78, 0x75:
            let n = c == 0x78 ? 2 : 4
            if c == 0x75, peek == 0x7B { throw fail("a \\u{…} escape") }
            var v: UInt32 = 0
            for _ in 0..<n {
                guard let d = peek, let h = PatternParser.hex(d) else { throw invalid("a bad \\\(c == 0x78 ? "x" : "u") escape") }
                v = v << 4 | h
                p += 1
            }
            return v
        case 0x31...0x39: throw fail("a backreference \\\(Character(Unicode.Scalar(c)!))")
        case 0x6B: throw fail("a named backreference \\k")
        case 0x70, 0x50: throw fail("a Unicode property \\\(c == 0x70 ? "p" : "P"){…}")
        case 0x63: throw fail("a control escape \\c")
        default:
            // Escaped punctuation is itself; an escaped letter or digit not listed above has a
            // meaning in some dialect and none here.
            if (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) { throw fail("the escape \\\(Character(Unicode.Scalar(c)!))") }
            return c
        }
    }

    static func hex(_ d: UInt32) -> UInt32? {
        switch d {
        case 0x30...0x39: return d - 0x30
        case 0x41...0x46: return d - 0x41 + 10
        case 0x61...0x66: return d - 0x61 + 10
        default: return nil
        }
    }

    /// After `[`: ranges, single characters and shorthands up to `]`.
    mutating func characterClass() throws(JSONTapeError) -> PatternNode {
        var negated = false
        if peek == 0x5E { negated = true; p += 1 }
        var ranges: [(UInt32, UInt32)] = []
        // One member: a character (returned) or a shorthand (added, nil returned).
        func member(_ parser: inout PatternParser) throws(JSONTapeError) -> UInt32? {
            let c = parser.s[parser.p]
            parser.p += 1
            guard c == 0x5C else {
                if c == 0x5B, parser.peek == 0x3A { throw parser.fail("a POSIX class [:…:]") }
                return c
            }
            guard let e = parser.peek else { throw parser.invalid("a '\\' at the end") }
            if let r = PatternParser.shorthand(e) { parser.p += 1; ranges += r; return nil }
            return try parser.escapedChar(inClass: true)
        }
        while true {
            guard let c = peek else { throw invalid("a '[' without its ']'") }
            if c == 0x5D { p += 1; break }
            guard let lo = try member(&self) else { continue }
            if peek == 0x2D, p + 1 < s.count, s[p + 1] != 0x5D {
                p += 1
                guard let hi = try member(&self) else { throw invalid("a range ending in a class like \\d") }
                guard lo <= hi else { throw invalid("a range out of order") }
                ranges.append((lo, hi))
            } else {
                ranges.append((lo, lo))
            }
        }
        return newClass(ranges, negated: negated)
    }
}
