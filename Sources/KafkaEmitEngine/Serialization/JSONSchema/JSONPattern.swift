/// A JSON Schema `pattern` (an ECMA-262 regular expression, the common subset), compiled
/// once and matched against record strings with no allocation per match.
///
/// No Foundation (NSRegularExpression) in Sources/, so this is ours. It is not a backtracking
/// matcher: the pattern becomes a small NFA program run as a Thompson/Pike simulation, which
/// keeps a set of states per input position — time linear in the string for any pattern (a
/// record cannot make `(a+)+$` take minutes), and enough for JSON Schema, which only asks
/// whether the pattern matches somewhere (no captures: a lazy quantifier matches exactly
/// when the greedy one does, so `*?` is accepted as `*`).
///
/// Supported: literals, `.`, classes `[a-z]` `[^…]`, `\d \w \s \D \W \S`, `\b \B`, anchors
/// `^ $`, groups `(…)` `(?:…)` with `|`, quantifiers `* + ? {m} {m,} {m,n}` (and their lazy
/// forms), escapes `\n \r \t \f \v \0 \xHH \uHHHH` and escaped punctuation. Anything else
/// (lookaround, backreferences, named groups, `\p{…}`) is a plan-time error naming it.
final class JSONPattern {
    let source: String
    private let program: [Op]
    /// Each class's ranges, sorted; `Op.set` indexes into it.
    private let classes: [CharClass]
    // Matching scratch, reused: the states of the current and the next position, and the
    // position each state was last added at (so a state is added once per position).
    private var current: UnsafeMutablePointer<Int32>
    private var next: UnsafeMutablePointer<Int32>
    private var mark: UnsafeMutablePointer<Int>
    private var addStack: UnsafeMutablePointer<Int32>

    /// Programs longer than this (counted repetitions expand) are refused at plan time.
    static let maxProgram = 20_000

    enum Op {
        case char(UInt32)
        case any
        case set(Int)
        case split(Int32, Int32)
        case jump(Int32)
        case lineStart, lineEnd
        case wordBoundary(Bool)
        case match
    }

    struct CharClass {
        var ranges: [(UInt32, UInt32)]
        var negated: Bool
        func contains(_ c: UInt32) -> Bool {
            var inside = false
            for r in ranges where c >= r.0 && c <= r.1 { inside = true; break }
            return inside != negated
        }
    }

    init(_ source: String) throws(JSONTapeError) {
        self.source = source
        var parser = PatternParser(Array(source.unicodeScalars).map(\.value))
        let tree = try parser.parseAll()
        guard tree.size <= JSONPattern.maxProgram else {
            throw JSONTapeError("the pattern is too large once its counted repetitions are expanded (over \(JSONPattern.maxProgram) steps)")
        }
        var code: [Op] = []
        tree.emit(&code)
        code.append(.match)
        program = code
        classes = parser.classes
        let n = code.count
        current = .allocate(capacity: n)
        next = .allocate(capacity: n)
        // A state pushes at most two others, once per position.
        addStack = .allocate(capacity: 2 * n + 2)
        mark = .allocate(capacity: n)
        mark.initialize(repeating: -1, count: n)
    }

    deinit { current.deallocate(); next.deallocate(); mark.deallocate(); addStack.deallocate() }

    // MARK: matching

    /// Whether the pattern matches anywhere in `s` (UTF-8; JSON Schema patterns are not
    /// anchored unless they say so).
    func matches(_ s: UnsafeRawBufferPointer) -> Bool {
        let n = program.count
        mark.update(repeating: -1, count: n)
        var currentCount = 0
        var p = 0
        var generation = 0
        var previous: UInt32 = 0xFFFF_FFFF // none: the start
        while true {
            // A thread starts at every position (an unanchored search).
            let (c, width) = p < s.count ? JSONPattern.decode(s, p) : (0xFFFF_FFFF, 0)
            if add(0, into: current, &currentCount, generation, at: p, s.count, previous, c) { return true }
            guard p < s.count else { return false }
            var nextCount = 0
            generation += 1
            let (after, _) = p + width < s.count ? JSONPattern.decode(s, p + width) : (0xFFFF_FFFF, 0)
            for k in 0..<currentCount {
                let pc = Int(current[k])
                let ok: Bool
                switch program[pc] {
                case .char(let x): ok = x == c
                case .any: ok = !(c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029)
                case .set(let i): ok = classes[i].contains(c)
                default: ok = false
                }
                if ok, add(pc + 1, into: next, &nextCount, generation, at: p + width, s.count, c, after) { return true }
            }
            swap(&current, &next)
            currentCount = nextCount
            p += width
            previous = c
        }
    }

    /// Adds a state and what it reaches without reading (splits, jumps, assertions that hold);
    /// true when it reaches `match`.
    private func add(_ start: Int, into list: UnsafeMutablePointer<Int32>, _ count: inout Int, _ generation: Int,
                     at p: Int, _ end: Int, _ before: UInt32, _ here: UInt32) -> Bool {
        var top = 0
        addStack[0] = Int32(start)
        top = 1
        while top > 0 {
            top -= 1
            let pc = Int(addStack[top])
            if mark[pc] == generation { continue }
            mark[pc] = generation
            switch program[pc] {
            case .match: return true
            case .jump(let to): addStack[top] = to; top += 1
            case .split(let a, let b):
                // b below a: a is explored first (order does not change the answer).
                addStack[top] = b; addStack[top + 1] = a; top += 2
            case .lineStart: if p == 0 { addStack[top] = Int32(pc + 1); top += 1 }
            case .lineEnd: if p == end { addStack[top] = Int32(pc + 1); top += 1 }
            case .wordBoundary(let wanted):
                let isBoundary = JSONPattern.isWord(before) != JSONPattern.isWord(here)
                if isBoundary == wanted { addStack[top] = Int32(pc + 1); top += 1 }
            default:
                list[count] = Int32(pc)
                count += 1
            }
        }
        return false
    }

    @inline(__always) static func isWord(_ c: UInt32) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }

    /// One code point of UTF-8 at `p` and its width; a malformed byte is U+FFFD, one byte wide.
    @inline(__always) static func decode(_ s: UnsafeRawBufferPointer, _ p: Int) -> (UInt32, Int) {
        let b0 = UInt32(s[p])
        if b0 < 0x80 { return (b0, 1) }
        func cont(_ k: Int) -> UInt32? {
            guard p + k < s.count, s[p + k] & 0xC0 == 0x80 else { return nil }
            return UInt32(s[p + k] & 0x3F)
        }
        if b0 & 0xE0 == 0xC0, let c1 = cont(1) { return ((b0 & 0x1F) << 6 | c1, 2) }
        if b0 & 0xF0 == 0xE0, let c1 = cont(1), let c2 = cont(2) { return ((b0 & 0x0F) << 12 | c1 << 6 | c2, 3) }
        if b0 & 0xF8 == 0xF0, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) { return ((b0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4) }
        return (0xFFFD, 1)
    }
}

/// The pattern's syntax tree, before it is emitted as a program.
private indirect enum PatternNode {
    case empty
    case char(UInt32)
    case any
    case set(Int)
    case lineStart, lineEnd
    case wordBoundary(Bool)
    case concat([PatternNode])
    case alternation([PatternNode])
    /// max nil: unbounded.
    case repeated(PatternNode, min: Int, max: Int?)

    /// Instructions it emits (saturating: a size over the limit is refused before emitting).
    var size: Int {
        switch self {
        case .empty: return 0
        case .char, .any, .set, .lineStart, .lineEnd, .wordBoundary: return 1
        case .concat(let parts): return parts.reduce(0) { min($0 + $1.size, 1 << 40) }
        case .alternation(let parts): return parts.reduce(0) { min($0 + $1.size + 2, 1 << 40) }
        case .repeated(let node, let lo, let hi):
            let one = node.size + 2
            let copies = max(hi ?? (lo + 1), lo, 1)
            return one > (1 << 40) / max(copies, 1) ? 1 << 40 : one * copies
        }
    }

    func emit(_ code: inout [JSONPattern.Op]) {
        switch self {
        case .empty: break
        case .char(let c): code.append(.char(c))
        case .any: code.append(.any)
        case .set(let i): code.append(.set(i))
        case .lineStart: code.append(.lineStart)
        case .lineEnd: code.append(.lineEnd)
        case .wordBoundary(let b): code.append(.wordBoundary(b))
        case .concat(let parts): for p in parts { p.emit(&code) }
        case .alternation(let parts):
            // split L1, next; L1: a; jump end; next: split L2, … ; last alternative plain.
            var jumps: [Int] = []
            for (k, part) in parts.enumerated() {
                if k < parts.count - 1 {
                    let split = code.count
                    code.append(.split(0, 0))
                    part.emit(&code)
                    jumps.append(code.count)
                    code.append(.jump(0))
                    code[split] = .split(Int32(split + 1), Int32(code.count))
                } else {
                    part.emit(&code)
                }
            }
            for j in jumps { code[j] = .jump(Int32(code.count)) }
        case .repeated(let node, let lo, let hi):
            for _ in 0..<lo { node.emit(&code) }
            if let hi {
                // Each optional copy: split into it or past all of them.
                var splits: [Int] = []
                for _ in lo..<max(hi, lo) {
                    splits.append(code.count)
                    code.append(.split(0, 0))
                    node.emit(&code)
                }
                for s in splits { code[s] = .split(Int32(s + 1), Int32(code.count)) }
            } else {
                let loop = code.count
                code.append(.split(0, 0))
                node.emit(&code)
                code.append(.jump(Int32(loop)))
                code[loop] = .split(Int32(loop + 1), Int32(code.count))
            }
        }
    }
}

/// Recursive descent over the pattern's code points.
private struct PatternParser {
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
