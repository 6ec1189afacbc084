@_spi(Engine) import KafkaEmit

/// The record-building half that every source shares: key, value, header and correlation
/// templates compiled once and rendered into reused buffers (no allocation per record).
final class RecordTemplates {
    /// Where the key and value come from for each record.
    private enum Field { case null, input, keyPart, template, random, schemaRandom }
    private let keyField: Field
    private let valueField: Field
    private let keyTemplate: CompiledTemplate?
    private let valueTemplate: CompiledTemplate
    private let correlationTemplate: CompiledTemplate
    private let headerTemplates: [CompiledTemplate]
    private let keyBuffer = ByteBuffer()
    private let valueBuffer = ByteBuffer()
    private let correlationBuffer = ByteBuffer(capacity: 64)
    private let headerBuffers: [ByteBuffer]
    /// `--let`s, rendered first for each record; `letViews[k]` is slot k's bytes for `{ref}`.
    private let letTemplates: [CompiledTemplate]
    private let letBuffers: [ByteBuffer]
    private let letViews: UnsafeMutablePointer<UnsafeRawBufferPointer>
    /// Header names, laid out once for the whole run.
    private let nameArena: ByteBuffer
    private let nameSpans: [(Int, Int)]
    /// The headers of the current record: an input's own first, then `-H`, then the
    /// correlation header.
    @exclusivity(unchecked) private var headers: UnsafeMutablePointer<RecordHeaderView>
    @exclusivity(unchecked) private var headerCapacity: Int
    private let rendersCorrelation: Bool
    private let nullEmpty: Bool
    private let partition: Int32
    @exclusivity(unchecked) private var ctx: RenderContext

    /// Schema Registry serialization of the key and the value (nil: their bytes as rendered).
    let keyEncoder: FramedEncoder?
    let valueEncoder: FramedEncoder?
    private let randomKey: AvroRandom?
    private let randomValue: AvroRandom?
    /// Avro straight from the key's and the value's templates, when they have a plan for their
    /// schema (nil: the JSON is rendered, then encoded); `keyDone`/`valueDone`: this record's
    /// was encoded so.
    private let keyDirect: AvroTemplateEncoder?
    private let valueDirect: AvroTemplateEncoder?
    @exclusivity(unchecked) private var keyDone = false
    @exclusivity(unchecked) private var valueDone = false
    var usesDirectKey: Bool { keyDirect != nil }
    var usesDirectValue: Bool { valueDirect != nil }

    /// `alwaysRenderCorrelation`: render `{i}` correlations too (a dry run prints them).
    /// `renderSchemaJSON`: always render the JSON a schema encodes (a dry run prints it).
    init(plan: EmitPlan, alwaysRenderCorrelation: Bool = false, encoders: SchemaEncoders = SchemaEncoders(), renderSchemaJSON: Bool = false) {
        keyEncoder = encoders.key
        valueEncoder = encoders.value
        randomKey = encoders.randomKey
        randomValue = encoders.randomValue
        let topic = plan.topic ?? ""
        if let k = plan.key {
            keyField = encoders.randomKey != nil ? .schemaRandom : k.isLine ? .input : (k.isKey ? .keyPart : .template)
            keyTemplate = CompiledTemplate(k, topic: topic)
        } else {
            keyField = .null
            keyTemplate = nil
        }
        valueField = encoders.randomValue != nil ? .schemaRandom : plan.recordSize != nil ? .random : plan.value.isLine ? .input : .template
        randomLetters = plan.recordSize.map { RandomLetters(size: $0, seed: plan.seed ?? UInt64.random(in: 0...UInt64.max)) }
        valueTemplate = CompiledTemplate(plan.value, topic: topic)
        keyDirect = keyField == .template && !renderSchemaJSON ? encoders.key.flatMap { AvroTemplateEncoder(plan.key!, encoder: $0, topic: topic) } : nil
        valueDirect = valueField == .template && !renderSchemaJSON ? encoders.value.flatMap { AvroTemplateEncoder(plan.value, encoder: $0, topic: topic) } : nil
        correlationTemplate = CompiledTemplate(plan.correlation, topic: topic)
        var templates = plan.headers.map { $0.value.map { CompiledTemplate($0, topic: topic) } }
        var names = plan.headers.map(\.name)
        if let ch = plan.correlationHeader {
            templates.append(CompiledTemplate(plan.correlation, topic: topic))
            names.append(ch)
        }
        headerTemplates = templates.compactMap { $0 }
        headerBuffers = headerTemplates.map { _ in ByteBuffer(capacity: 64) }
        nullHeader = templates.map { $0 == nil }
        let arena = ByteBuffer()
        var spans: [(Int, Int)] = []
        for n in names {
            let at = arena.count
            arena.append(n)
            spans.append((at, arena.count - at))
        }
        nameArena = arena
        nameSpans = spans
        headerCapacity = max(8, names.count)
        headers = .allocate(capacity: headerCapacity)
        rendersCorrelation = alwaysRenderCorrelation || !plan.correlation.isIndex || plan.correlationHeader != nil
        nullEmpty = plan.nullEmpty
        partition = plan.partition ?? -1
        ctx = RenderContext(rng: SeededRandom(seed: plan.seed ?? UInt64.random(in: 0...UInt64.max)))
        letTemplates = plan.lets.map { CompiledTemplate($0.template, topic: topic) }
        letBuffers = letTemplates.map { _ in ByteBuffer(capacity: 64) }
        letViews = .allocate(capacity: max(1, letTemplates.count))
        letViews.initialize(repeating: UnsafeRawBufferPointer.noBytes, count: max(1, letTemplates.count))
        if !letTemplates.isEmpty { ctx.lets = UnsafePointer(letViews) }
        if let t = plan.timestamp {
            if t.isConstant {
                constantTimestamp = try? TimestampParser.parse(t.source, flag: "--timestamp")
                timestampTemplate = nil
            } else {
                constantTimestamp = nil
                timestampTemplate = CompiledTemplate(t, topic: topic)
            }
        } else {
            constantTimestamp = nil
            timestampTemplate = nil
        }
    }

    /// `--record-size`: the values' letters.
    private let randomLetters: RandomLetters?

    /// `--timestamp`: parsed once when it has no placeholder, else rendered per record.
    private let constantTimestamp: Int64?
    private let timestampTemplate: CompiledTemplate?
    private let timestampBuffer = ByteBuffer(capacity: 32)
    private let buildErrorBuffer = ByteBuffer(capacity: 128)

    /// Which `-H` headers have no template (`-H NAME`: a null value).
    private let nullHeader: [Bool]

    deinit {
        headers.deallocate()
        letViews.deallocate()
    }

    /// Each `--let` once, in order (a `--let` may use the ones before it).
    @inline(__always) private func renderLets() {
        var k = 0
        while k < letTemplates.count {
            let b = letBuffers[k]
            b.removeAll()
            letTemplates[k].render(into: b, &ctx)
            letViews[k] = b.bytes
            k += 1
        }
    }

    /// Builds record `index` from one input unit: `input` is the line (or an envelope's
    /// payload), `keyPart` the key split off it. `extra` headers go first.
    /// `timestamp`: the input's own (an envelope's `ts`), used unless `--timestamp` is given.
    @inline(__always)
    func build(index: UInt64, input: UnsafeRawBufferPointer, keyPart: UnsafeRawBufferPointer?,
               inputIsNull: Bool = false, extra: UnsafeBufferPointer<RecordHeaderView> = RecordView.noHeaders,
               file: UnsafeRawBufferPointer = UnsafeRawBufferPointer.noBytes, timestamp: Int64 = 0) -> RecordView {
        ctx.index = index
        ctx.line = input
        ctx.keyPart = keyPart ?? UnsafeRawBufferPointer.noBytes
        ctx.file = file
        ctx.wallMillis = -1
        if !letTemplates.isEmpty { renderLets() }
        keyDone = false
        valueDone = false

        let key: UnsafeRawBufferPointer?
        switch keyField {
        case .null, .random: key = nil
        case .schemaRandom:
            keyBuffer.removeAll()
            randomKey!.make(into: keyBuffer)
            key = keyBuffer.bytes
        case .input: key = input
        case .keyPart: key = keyPart
        case .template:
            if let d = keyDirect, let bytes = direct(d) {
                key = bytes
                keyDone = true
            } else {
                keyBuffer.removeAll()
                keyTemplate!.render(into: keyBuffer, &ctx)
                key = keyBuffer.bytes
            }
        }
        var value: UnsafeRawBufferPointer?
        if valueField == .input {
            value = inputIsNull ? nil : input
        } else if valueField == .random {
            value = randomLetters!.value(index)
        } else if valueField == .schemaRandom {
            valueBuffer.removeAll()
            randomValue!.make(into: valueBuffer)
            value = valueBuffer.bytes
        } else if let d = valueDirect, let bytes = direct(d) {
            value = bytes
            valueDone = true
        } else {
            valueBuffer.removeAll()
            valueTemplate.render(into: valueBuffer, &ctx)
            value = valueBuffer.bytes
        }
        if nullEmpty, let v = value, v.count == 0 { value = nil }

        var correlation = UnsafeRawBufferPointer.noBytes
        if rendersCorrelation {
            correlationBuffer.removeAll()
            correlationTemplate.render(into: correlationBuffer, &ctx)
            correlation = correlationBuffer.bytes
        }
        var record = RecordView(index: index, key: key, value: value, headers: renderHeaders(extra),
                                partition: partition, timestampMillis: timestamp, correlation: correlation)
        if let constantTimestamp { record.timestampMillis = constantTimestamp }
        if let timestampTemplate { renderTimestamp(timestampTemplate, into: &record) }
        if keyEncoder != nil || valueEncoder != nil { serialize(&record) }
        return record
    }

    /// A template's Avro without its JSON; nil: the random state is back where it was, for the
    /// JSON to be rendered (and its error, if any, named) the general way.
    @inline(__always) private func direct(_ d: AvroTemplateEncoder) -> UnsafeRawBufferPointer? {
        let rng = ctx.rng
        // Without a retain: this object owns the encoder for its life.
        if let bytes = Unmanaged.passUnretained(d)._withUnsafeGuaranteedRef({ $0.encode(&ctx) }) { return bytes }
        ctx.rng = rng
        return nil
    }

    /// The key and the value through their schemas; JSON that does not fit is a build error,
    /// reported as a malformed input is (exit 65, or a failed line with --continue-on-error).
    @inline(never) private func serialize(_ record: inout RecordView) {
        if let e = keyEncoder, !keyDone, let key = record.key, record.buildError == nil {
            do { record.key = try e.encode(key) } catch { schemaError(error, e, &record) }
        }
        if let e = valueEncoder, !valueDone, let value = record.value, record.buildError == nil {
            do { record.value = try e.encode(value) } catch { schemaError(error, e, &record) }
        }
    }

    private func schemaError(_ error: EncodeError, _ encoder: FramedEncoder, _ record: inout RecordView) {
        buildErrorBuffer.removeAll()
        buildErrorBuffer.append("record \(record.index + 1): the \(encoder.side) does not fit its schema (id \(encoder.schemaID)): \(error.message)")
        record.buildError = buildErrorBuffer.bytes
    }

    @inline(never) private func renderTimestamp(_ t: CompiledTemplate, into record: inout RecordView) {
        timestampBuffer.removeAll()
        t.render(into: timestampBuffer, &ctx)
        if let ms = TimestampParser.parse(timestampBuffer.bytes) {
            record.timestampMillis = ms
        } else {
            let shown = String(decoding: timestampBuffer.bytes.prefix(60), as: UTF8.self)
            buildErrorBuffer.removeAll()
            buildErrorBuffer.append("record \(record.index + 1): --timestamp rendered '\(shown)', which is not milliseconds since the epoch or RFC 3339")
            record.buildError = buildErrorBuffer.bytes
        }
    }

    @inline(__always) private func renderHeaders(_ extra: UnsafeBufferPointer<RecordHeaderView>) -> UnsafeBufferPointer<RecordHeaderView> {
        let total = extra.count + nameSpans.count
        if total == 0 { return RecordView.noHeaders }
        if total > headerCapacity { growHeaders(total) }
        var n = 0
        for e in extra { headers[n] = e; n += 1 }
        var t = 0
        for (h, span) in nameSpans.enumerated() {
            let name = UnsafeRawBufferPointer(start: nameArena.base + span.0, count: span.1)
            var value: UnsafeRawBufferPointer?
            if !nullHeader[h] {
                let b = headerBuffers[t]
                b.removeAll()
                headerTemplates[t].render(into: b, &ctx)
                value = b.bytes
                t += 1
            }
            headers[n] = RecordHeaderView(name: name, value: value)
            n += 1
        }
        return UnsafeBufferPointer(start: headers, count: total)
    }

    @inline(never) private func growHeaders(_ needed: Int) {
        headers.deallocate()
        headerCapacity = needed
        headers = .allocate(capacity: needed)
    }

    /// The correlation of an input unit that is not a valid record: rendered from the raw
    /// bytes alone (`{line}` is the whole unit, `{key}` empty).
    func malformedCorrelation(index: UInt64, input: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        ctx.index = index
        ctx.line = input
        ctx.keyPart = UnsafeRawBufferPointer.noBytes
        ctx.wallMillis = -1
        if !letTemplates.isEmpty { renderLets() }
        correlationBuffer.removeAll()
        correlationTemplate.render(into: correlationBuffer, &ctx)
        return correlationBuffer.bytes
    }
}
