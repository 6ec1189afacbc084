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
indirect enum PatternNode {
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
