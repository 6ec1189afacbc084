@_spi(Engine) import KafkaEmit

/// Avro straight from a JSON template (SPEC §2b, issue 20 point 8), skipping the JSON text.
///
/// Why it exists: the general way renders each record's JSON, parses it into a `JSONTape` and
/// walks the schema over the tape. With a template whose structure never changes, all of that
/// is known before the first record: this plan (`AvroTemplatePlan`) pre-encodes the constant
/// fields to Avro bytes and, per record, renders only the placeholders, in the template's order
/// (so they draw the same random numbers), writing `{i}` or `{rand:N}` as a long without text.
/// Measured on bench/schema.sh's 10-field order: a `--dry-run -o none` of 200k records went
/// from 7889 to 1941 instructions per record (callgrind, start-up subtracted; the tape's parse
/// alone was 4175, the schema walk 2440; the same template as raw JSON bytes: 1685), and
/// sending 1M records to the mock cluster from 0.59–0.66× the rate of the same template sent
/// as JSON bytes to 0.95–1.14× (old and new binaries in interleaved rounds; bench/schema.sh:
/// 1.03×, and 19× the Python producer with AvroSerializer, which was 9.9×).
///
/// The bytes are the general way's, record for record (the tests compare them over many
/// templates, schemas and seeds): whenever a rendered placeholder could change the JSON's
/// structure or not fit (a quote or backslash in a string, a number out of range, text that is
/// not a number, a symbol not in the enum), `encode` returns nil and the caller renders the
/// record's JSON from the same random state and encodes it the general way, which writes the
/// bytes or names the error as before.
final class AvroTemplateEncoder {
    private let steps: UnsafeMutableBufferPointer<AvroTemplateStep>
    private let slots: UnsafeMutableBufferPointer<AvroTemplateSlot>
    private let templates: UnsafeMutableBufferPointer<Unmanaged<CompiledTemplate>?>
    /// Per slot, this record's value: a number, or its text's span in `text`.
    private let values: UnsafeMutableBufferPointer<(value: Int64, fits: Bool, start: Int, count: Int)>
    private let constants: UnsafeMutableRawBufferPointer
    private let symbols: UnsafeMutableBufferPointer<UnsafeRawBufferPointer>
    private let logicalNodes: [AvroNode]
    private let owned: [CompiledTemplate?]
    private let stepCount: Int
    private let slotCount: Int
    /// The schema's nodes (the symbols point into them) live as long as their encoder.
    private let general: FramedEncoder
    private let text = ByteBuffer(capacity: 64)
    private let scratch = ByteBuffer(capacity: 64)
    /// Confluent's frame, written once, then this record's body.
    private let out = ByteBuffer(capacity: 64)
    private let frameLength: Int

    /// Nil when the encoder is not Avro or the template has no plan for its schema.
    init?(_ template: Template, encoder: FramedEncoder, topic: String) {
        guard encoder.format == .avro, let avro = encoder.body as? AvroEncoder,
              let plan = AvroTemplatePlan(template, root: avro.root) else { return nil }
        general = encoder
        stepCount = plan.steps.count
        steps = .allocate(capacity: max(1, stepCount))
        _ = steps.initialize(from: plan.steps)
        slotCount = plan.slots.count
        slots = .allocate(capacity: max(1, slotCount))
        _ = slots.initialize(from: plan.slots)
        owned = zip(plan.slots, plan.slotParts).map { $0.kind == .text ? CompiledTemplate(Template(parts: $1, source: ""), topic: topic) : nil }
        templates = .allocate(capacity: max(1, slotCount))
        for (k, t) in owned.enumerated() { templates.initializeElement(at: k, to: t.map { Unmanaged.passUnretained($0) }) }
        values = .allocate(capacity: max(1, plan.slots.count))
        values.initialize(repeating: (0, false, 0, 0))
        let c = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, plan.constants.count), alignment: 8)
        plan.constants.withUnsafeBytes { if $0.count > 0 { c.copyMemory(from: $0) } }
        constants = c
        symbols = .allocate(capacity: max(1, plan.symbols.count))
        _ = symbols.initialize(from: plan.symbols)
        logicalNodes = plan.logicalNodes
        out.append(encoder.frame)
        frameLength = out.count
    }

    deinit {
        steps.deallocate()
        slots.deallocate()
        templates.deallocate()
        values.deallocate()
        constants.deallocate()
        symbols.deallocate()
    }

    /// This record's framed Avro (valid until the next call), or nil: then `ctx`'s random
    /// state has moved on and the caller restores it before rendering the JSON.
    func encode(_ ctx: inout RenderContext) -> UnsafeRawBufferPointer? {
        text.removeAll()
        for k in 0..<slotCount {
            let s = slots[k]
            switch s.kind {
            case .index:
                values[k].value = Int64(truncatingIfNeeded: ctx.index)
                values[k].fits = ctx.index <= UInt64(Int64.max)
            case .rand:
                let v = ctx.rng.next(below: s.arg)
                values[k].value = Int64(truncatingIfNeeded: v)
                values[k].fits = v <= UInt64(Int64.max)
            case .int:
                // As the template's op draws it; lo + v is within [lo, hi], an Int64.
                let v = s.arg == 0 ? ctx.rng.next() : ctx.rng.next(below: s.arg)
                values[k].value = s.low &+ Int64(bitPattern: v)
                values[k].fits = true
            case .text:
                // `bytes`, not `count`: a ByteBuffer's fields read from outside its module are
                // checked for exclusivity at run time (its inlinable members are not).
                let from = text.bytes.count
                templates[k]!._withUnsafeGuaranteedRef { $0.render(into: text, &ctx) }
                values[k].start = from
                values[k].count = text.bytes.count - from
            }
        }
        out.truncate(to: frameLength)
        var k = 0
        while k < stepCount {
            let s = steps[k]
            if s.kind == .union {
                let mark = out.bytes.count
                var done = false
                for j in 1...s.count {
                    let b = steps[k + j]
                    writeLong(Int64(b.branch))
                    if run(b) { done = true; break }
                    out.truncate(to: mark)
                }
                guard done else { return nil }
                k += 1 + s.count
            } else {
                guard run(s) else { return nil }
                k += 1
            }
        }
        return out.bytes
    }

    @inline(__always) private func writeLong(_ v: Int64) {
        out.appendVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    @inline(__always) private func slotText(_ k: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: text.bytes.baseAddress! + values[k].start, count: values[k].count)
    }

    /// A string slot's value (escapes decoded), or nil when the rendered inside would not be
    /// one JSON string: a quote ends it early, a control character or a bad escape fails it.
    @inline(__always) private func string(_ k: Int) -> UnsafeRawBufferPointer? {
        let s = slotText(k)
        var escaped = false
        var i = 0
        // Eight bytes at a time while none is a quote, a backslash or a control character
        // (a 9-byte "user-1234" cost 83 instructions byte by byte).
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= s.count {
            let w = s.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
            let special = ((w &- ones &* 0x20) & ~w | (quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highs
            if special != 0 { break }
            i += 8
        }
        while i < s.count {
            let c = s[i]
            if c == 0x22 || c < 0x20 { return nil }
            if c == 0x5C {
                guard i + 1 < s.count else { return nil }
                escaped = true
                i += 2
            } else {
                i += 1
            }
        }
        guard escaped else { return s }
        scratch.removeAll()
        do { try JSONTape.unescapeChecked(s, into: scratch) } catch { return nil }
        return scratch.bytes
    }

    /// Writes one step's value; false when it does not fit (nothing is promised about `out`).
    @inline(__always) private func run(_ s: AvroTemplateStep) -> Bool {
        switch s.kind {
        case .bytes:
            out.append(UnsafeRawBufferPointer(start: constants.baseAddress! + s.at, count: s.count))
        case .long:
            guard values[s.slot].fits else { return false }
            writeLong(values[s.slot].value)
        case .int:
            let v = values[s.slot].value
            guard values[s.slot].fits, v >= Int64(Int32.min), v <= Int64(Int32.max) else { return false }
            writeLong(v)
        case .longText, .intText:
            let t = slotText(s.slot)
            guard JSONTape.isNumber(t), let v = AvroEncoder.integer(t) else { return false }
            guard s.kind == .longText || (v >= Int64(Int32.min) && v <= Int64(Int32.max)) else { return false }
            writeLong(v)
        case .double, .float:
            let t = slotText(s.slot)
            guard JSONTape.isNumber(t), let d = JSONNumber.double(t) else { return false }
            if s.kind == .float {
                var bits = Float(d).bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { out.append($0) }
            } else {
                var bits = d.bitPattern.littleEndian
                withUnsafeBytes(of: &bits) { out.append($0) }
            }
        case .string, .uuid:
            guard let b = string(s.slot), s.kind == .string || AvroEncoder.isUUID(b) else { return false }
            writeLong(Int64(b.count))
            out.append(b)
        case .enumeration:
            guard let b = string(s.slot) else { return false }
            var found = -1
            for k in 0..<s.count where ByteSpan.equal(symbols[s.at + k], b) { found = k; break }
            guard found >= 0 else { return false }
            writeLong(Int64(found))
        case .logicalLong, .logicalInt:
            guard let b = string(s.slot), let v = AvroEncoder.logicalInteger(logicalNodes[s.at], b) else { return false }
            guard s.kind == .logicalLong || (v >= Int64(Int32.min) && v <= Int64(Int32.max)) else { return false }
            writeLong(v)
        case .union:
            return false
        }
        return true
    }
}
