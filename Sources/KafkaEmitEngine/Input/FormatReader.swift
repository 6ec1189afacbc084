@_spi(Engine) import KafkaEmit

/// Reads one record of an `InputLayout` from an input stream. Positions are relative to the
/// stream's unconsumed start, which stays put while more input is read.
struct FormatReader {
    let stream: InputStream
    var record: FormatRecord
    private var pos = 0

    enum Outcome { case record(length: Int), end, stopped, malformed(String) }
    private enum Problem: Error { case malformed(String), stopped, io(EmitError) }

    init(stream: InputStream, record: FormatRecord) {
        self.stream = stream
        self.record = record
    }

    mutating func read(_ steps: [InputLayout.Step], terminator: [UInt8]?) throws(EmitError) -> Outcome {
        record.reset()
        do throws(Problem) {
            if stream.available == 0 {
                switch try fill() {
                case .eof: return .end
                default: break
                }
            }
            var sizes = [Int?](repeating: nil, count: 4)
            try run(steps, terminator: terminator, sizes: &sizes, header: nil)
            return .record(length: pos)
        } catch {
            switch error {
            case .malformed(let why): return .malformed(why)
            case .stopped: return .stopped
            case .io(let e): throw e
            }
        }
    }

    private mutating func fill() throws(Problem) -> InputStream.Fill {
        let r: InputStream.Fill
        do { r = try stream.fill() } catch { throw .io(error) }
        if r == .stopped { throw .stopped }
        if r == .full { throw .malformed("record larger than message.max.bytes (\(stream.limit - (64 << 10)) bytes)") }
        return r
    }

    /// Makes `n` more bytes available at `pos`.
    private mutating func ensure(_ n: Int) throws(Problem) {
        guard n <= stream.limit - pos else { throw .malformed("record larger than message.max.bytes (\(stream.limit - (64 << 10)) bytes)") }
        while stream.available < pos + n {
            if try fill() == .eof { throw .malformed("the input ended inside a record") }
        }
    }

    private mutating func run(_ steps: [InputLayout.Step], terminator: [UInt8]?, sizes: inout [Int?],
                              header: (name: ByteBuffer, value: ByteBuffer, hasValue: Bool)?) throws(Problem) {
        for step in steps {
            switch step {
            case .literal(let lit):
                try ensure(lit.count)
                let here = UnsafeRawBufferPointer(start: stream.base + stream.start + pos, count: lit.count)
                guard here.elementsEqual(lit) else {
                    throw .malformed("expected '\(Self.shown(lit))' at byte \(pos + 1) of the record")
                }
                pos += lit.count
            case .size(let slot, let number):
                let name = "%" + ["T", "K", "V", "H"][slot.rawValue]
                let n = try read(number, name)
                // A size no record can have (the input is not what the format says) stops here,
                // before it is used as a length.
                let largest = stream.limit - (64 << 10)
                guard n >= 0, n <= largest else { throw .malformed("\(name) \(n) is larger than message.max.bytes (\(largest) bytes)") }
                sizes[slot.rawValue] = Int(n)
            case .partition(let number):
                let p = try read(number, "%p")
                guard p <= Int64(Int32.max) else { throw .malformed("%p \(p) is not a partition number") }
                record.partition = Int32(p)
            case .timestamp(let number):
                let t = try read(number, "%d")
                if t > 0 { record.timestamp = t }
            case .headers(let layout):
                guard let count = sizes[InputLayout.Slot.headerCount.rawValue] else { throw .malformed("%H did not give a header count") }
                let name = ByteBuffer(capacity: 32), value = ByteBuffer()
                for _ in 0..<count {
                    name.removeAll(); value.removeAll()
                    var inner = [Int?](repeating: nil, count: 4)
                    var h = (name: name, value: value, hasValue: false)
                    try runHeader(layout, terminator: terminator, sizes: &inner, header: &h)
                    record.headers.append(name: name.bytes, value: h.hasValue ? value.bytes : nil)
                }
            case .text(let field, let decode, let sized, let delimiter):
                let slot = field == .topic ? 0 : field == .key ? 1 : 2
                guard let span = try text(sized ? sizes[slot] : nil, delimiter: delimiter, terminator: terminator,
                                          optional: field == .key && header == nil) else { continue }
                let target = decode == .none ? nil : slot == 0 ? record.decoded.0 : slot == 1 ? record.decoded.1 : record.decoded.2
                let stored: FormatRecord.Span
                if let target {
                    target.removeAll()
                    let raw = UnsafeRawBufferPointer(start: stream.base + stream.start + span.0, count: span.1)
                    guard Decoding.decode(raw, decode == .hex ? .hex : .base64, into: target) else {
                        throw .malformed("\(decode == .hex ? "hex" : "base64") in \(["%t", "%k", "%v"][slot]) does not decode")
                    }
                    stored = .decoded(target)
                } else {
                    stored = .input(span.0, span.1)
                }
                switch field {
                case .topic: record.topicSpan = stored
                case .key: record.keySpan = stored
                case .value: record.valueSpan = stored
                }
            }
        }
    }

    /// One header: the nested layout's %k/%v fill the header's name and value (copied now,
    /// as the buffer may move before the record ends).
    private mutating func runHeader(_ steps: [InputLayout.Step], terminator: [UInt8]?, sizes: inout [Int?],
                                    header: inout (name: ByteBuffer, value: ByteBuffer, hasValue: Bool)) throws(Problem) {
        let saved = (record.keySpan, record.valueSpan)
        record.keySpan = .none
        record.valueSpan = .none
        try run(steps, terminator: terminator, sizes: &sizes, header: header)
        for (span, out) in [(record.keySpan, header.name), (record.valueSpan, header.value)] {
            switch span {
            case .none: continue
            case .input(let at, let n): out.append(UnsafeRawBufferPointer(start: stream.base + stream.start + at, count: n))
            case .decoded(let b): out.append(b.bytes)
            }
            if out === header.value { header.hasValue = true }
        }
        (record.keySpan, record.valueSpan) = saved
    }

    /// A text field's span: `size` bytes, or up to `delimiter`, or the rest of the input. A
    /// delimiter search stops at the record's terminator: an optional field (the key) whose
    /// delimiter is missing is absent; any other is malformed.
    private mutating func text(_ size: Int?, delimiter: [UInt8]?, terminator: [UInt8]?, optional: Bool) throws(Problem) -> (Int, Int)? {
        if let size {
            try ensure(size)
            defer { pos += size }
            return (pos, size)
        }
        guard let delimiter else {
            while try fill() != .eof {}
            defer { pos = stream.available }
            return (pos, stream.available - pos)
        }
        let isTerminator = delimiter == terminator
        var scanned = pos
        while true {
            let hay = UnsafeRawBufferPointer(start: stream.base + stream.start + scanned, count: stream.available - scanned)
            let hit = delimiter.withUnsafeBytes { findBytes(hay, $0) }.map { $0 + scanned }
            let end = isTerminator ? nil : terminator.flatMap { t in t.withUnsafeBytes { findBytes(hay, $0) }.map { $0 + scanned } }
            if let end, hit == nil || end < hit! {
                if optional { return nil }
                throw .malformed("expected '\(Self.shown(delimiter))' before the end of the record")
            }
            if let hit {
                defer { pos = hit + delimiter.count }
                return (pos, hit - pos)
            }
            scanned = max(pos, stream.available - delimiter.count + 1)
            if try fill() == .eof {
                // The last field of the last record may end without its delimiter.
                guard isTerminator, stream.available > pos else {
                    if optional { return nil }
                    throw .malformed("the input ended before '\(Self.shown(delimiter))'")
                }
                defer { pos = stream.available }
                return (pos, stream.available - pos)
            }
        }
    }

    private mutating func read(_ number: InputLayout.Number, _ name: String) throws(Problem) -> Int64 {
        func byte(_ k: Int) -> UInt8 { stream.base[stream.start + pos + k] }
        switch number {
        case .constant(let n): return Int64(n)
        case .ascii:
            var v: Int64 = 0, n = 0
            while true {
                if stream.available <= pos + n, try fill() == .eof { break }
                let c = byte(n)
                guard c >= 0x30 && c <= 0x39 else { break }
                guard n < 18 else { throw .malformed("\(name) is too large") }
                v = v * 10 + Int64(c - 0x30)
                n += 1
            }
            guard n > 0 else { throw .malformed("expected digits for \(name) at byte \(pos + 1) of the record") }
            pos += n
            return v
        case .bigEndian(let k), .littleEndian(let k):
            try ensure(k)
            var v: UInt64 = 0
            for j in 0..<k {
                let shift: UInt64 = { if case .bigEndian = number { UInt64(8 * (k - 1 - j)) } else { UInt64(8 * j) } }()
                v |= UInt64(byte(j)) << shift
            }
            pos += k
            guard v <= UInt64(Int64.max) else { throw .malformed("\(name) is too large") }
            return Int64(v)
        case .hex(let k):
            try ensure(k)
            var v: UInt64 = 0
            for j in 0..<k {
                let c = byte(j)
                guard isHexDigit(c) else { throw .malformed("expected \(k) hex digits for \(name)") }
                v = v << 4 | UInt64(c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10)
            }
            pos += k
            return Int64(bitPattern: v)
        case .bool:
            try ensure(4)
            if UnsafeRawBufferPointer(start: stream.base + stream.start + pos, count: 4).elementsEqual("true".utf8) { pos += 4; return 1 }
            try ensure(5)
            if UnsafeRawBufferPointer(start: stream.base + stream.start + pos, count: 5).elementsEqual("false".utf8) { pos += 5; return 0 }
            throw .malformed("expected true or false for \(name)")
        }
    }

    static func shown(_ bytes: [UInt8]) -> String {
        var s = ""
        for b in bytes {
            switch b {
            case 0x0A: s += "\\n"
            case 0x09: s += "\\t"
            case 0x0D: s += "\\r"
            case 0x20..<0x7F: s += String(UnicodeScalar(b))
            default: s += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
            }
        }
        return s
    }

    /// Skips past the next `terminator` (after a malformed record); false at the end of input.
    static func skip(stream: InputStream, past terminator: [UInt8]) throws(EmitError) -> Bool {
        while true {
            if let hit = terminator.withUnsafeBytes({ findBytes(stream.bytes, $0) }) {
                stream.consume(hit + terminator.count)
                return true
            }
            stream.consume(max(0, stream.available - terminator.count + 1))
            switch try stream.fill() {
            case .more, .full: continue
            case .eof, .stopped:
                stream.discardAll()
                return false
            }
        }
    }
}
