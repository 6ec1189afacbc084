@_spi(Engine) import KafkaEmit

/// Every parser of outside input, callable on arbitrary bytes: the libFuzzer entry
/// (`kafka-emit-fuzz`, `make fuzz`) and the corpus replay in the unit tests drive them. A
/// target may reject its input; it must never crash, hang or take unbounded memory.
package enum FuzzTargets {
    package static let names = ["templates", "durations", "escapes", "config", "envelope", "format", "timestamps", "topics", "avro", "avrotemplate", "jsonschema", "protobuf", "rateprofile"]

    package static func run(_ name: String, _ data: UnsafeRawBufferPointer) {
        switch name {
        case "templates": templates(data)
        case "durations": _ = try? DurationParser.parse(text(data), flag: "--every")
        case "escapes": _ = try? EscapeParser.parse(text(data), flag: "-D")
        case "config": config(data)
        case "envelope": envelope(data)
        case "format": format(data)
        case "timestamps": _ = TimestampParser.parse(data)
        case "topics": _ = topicNameProblem(text(data))
        case "avro": avro(data)
        case "avrotemplate": avroTemplate(data)
        case "protobuf": protobuf(data)
        case "jsonschema": jsonSchema(data)
        case "rateprofile": rateProfile(data)
        default: break
        }
    }

    private static func text(_ data: UnsafeRawBufferPointer) -> String { String(decoding: data, as: UTF8.self) }

    /// A `--rate-profile`; when it parses, its first 2000 records' places on the schedule
    /// (uniform and Poisson arrivals): increasing, never a trap.
    private static func rateProfile(_ data: UnsafeRawBufferPointer) {
        guard let stages = try? RateProfileParser.parse(text(data)) else { return }
        for arrivals in [Arrivals.uniform, .poisson(seed: 1)] {
            var o = ScheduleOptions()
            o.arrivals = arrivals
            o.stages = StageCursor(names: stages.map(\.name))
            var pacer = Pacer(.profile(stages), durationNanos: nil, clock: SystemClock(), schedule: o)
            var last: UInt64 = 0
            for i in UInt64(0)..<2000 {
                guard let t = pacer.scheduledOffset(i) else { break }
                precondition(t >= last, "the schedule went back in time")
                last = t
            }
        }
    }

    /// A descriptor set (its length in the first two bytes, big-endian, as a registry or a
    /// `protoc -o` file would hand it over), then JSON records encoded with its last file's
    /// first message, one per line.
    private static func protobuf(_ data: UnsafeRawBufferPointer) {
        guard data.count >= 2 else { return }
        let n = min(data.count - 2, Int(data[0]) << 8 | Int(data[1]))
        guard let files = try? ProtoDescriptors.fileSet(Array(data[2..<(2 + n)])), !files.isEmpty,
              let schema = try? ProtoSchema(files: files, main: files.count - 1, message: nil) else { return }
        let encoder = ProtobufEncoder(schema)
        let out = ByteBuffer()
        let rest = UnsafeRawBufferPointer(rebasing: data[(2 + n)...])
        for line in rest.split(separator: 0x0A, maxSplits: 64) {
            out.removeAll()
            try? encoder.encode(UnsafeRawBufferPointer(rebasing: line), into: out)
        }
    }

    /// An Avro schema (the first line), then JSON records encoded with it (one per line after),
    /// and random records made from it.
    private static func avro(_ data: UnsafeRawBufferPointer) {
        let lines = data.split(separator: 0x0A, maxSplits: 64, omittingEmptySubsequences: false)
        guard let first = lines.first else { return }
        let parser = AvroSchemaParser()
        guard let root = try? parser.parse(String(decoding: first, as: UTF8.self)) else { return }
        let encoder = AvroEncoder(root, schema: parser)
        let out = ByteBuffer()
        for line in lines.dropFirst() {
            out.removeAll()
            try? encoder.encode(UnsafeRawBufferPointer(rebasing: line), into: out)
        }
        let random = AvroRandom(encoder, seed: UInt64(data.count))
        for _ in 0..<(random.canEnd ? 3 : 0) {
            out.removeAll()
            random.make(into: out)
            let json = ByteBuffer()
            json.append(out.bytes)
            out.removeAll()
            // What the generator makes always fits its schema.
            do throws(EncodeError) { try encoder.encode(json.bytes, into: out) } catch { fatalError("random record does not fit: \(error.message)") }
        }
    }

    /// A schema (first line) and a value template (second line): Avro straight from the
    /// template (`AvroTemplateEncoder`) is the general way's bytes or error, record for record,
    /// and leaves the random state where the general way does (a header rendered after it).
    private static func avroTemplate(_ data: UnsafeRawBufferPointer) {
        let lines = data.split(separator: 0x0A, maxSplits: 2, omittingEmptySubsequences: false)
        guard lines.count >= 2, let template = try? Template.parse(String(decoding: lines[1], as: UTF8.self), flag: "--value"),
              !template.parts.contains(where: { $0 == .ts || $0 == .now }) else { return }   // the clock: not repeatable
        var plan = EmitPlan(topic: "t")
        plan.seed = UInt64(data.count)
        plan.value = template
        plan.headers = [HeaderTemplate(name: "h", value: Template(parts: [.rand(1 << 40)], source: "{rand:1099511627776}"))]
        func records(direct: Bool) -> [String]? {
            let parser = AvroSchemaParser()
            guard let root = try? parser.parse(String(decoding: lines[0], as: UTF8.self)) else { return nil }
            var encoders = SchemaEncoders()
            encoders.value = FramedEncoder(schemaID: 1, side: "value", format: .avro, body: AvroEncoder(root, schema: parser))
            let t = RecordTemplates(plan: plan, encoders: encoders, renderSchemaJSON: !direct)
            return (0..<20).map { i in
                let r = t.build(index: UInt64(i), input: UnsafeRawBufferPointer.noBytes, keyPart: nil)
                let shown = { (b: UnsafeRawBufferPointer?) in b.map { Array($0).description } ?? "nil" }
                return shown(r.value) + shown(r.buildError) + shown(r.headers.first?.value)
            }
        }
        guard let general = records(direct: false), let direct = records(direct: true) else { return }
        precondition(general == direct, "the template plan's records differ from the general way's")
    }

    /// Parse, then render with every kind of input bytes the template can see.
    private static func templates(_ data: UnsafeRawBufferPointer) {
        guard let t = try? Template.parse(text(data), flag: "--value") else { return }
        let compiled = CompiledTemplate(t, topic: "topic")
        var ctx = RenderContext(rng: SeededRandom(seed: 1))
        ctx.index = UInt64(data.count)
        ctx.line = data
        ctx.keyPart = data
        ctx.file = data
        let out = ByteBuffer()
        compiled.render(into: out, &ctx)
        if t.isConstant { _ = TimestampParser.parse(out.bytes) }
    }

    private static func config(_ data: UnsafeRawBufferPointer) {
        let reader = LineReader(stream: InputStream(bytes: data), delimiter: [0x0A], stripCR: true, maxRecordBytes: ConfigFile.maxLine)
        _ = try? ConfigFile.parse(path: "fuzz.properties") { () throws(EmitError) -> LineReader.Next in try reader.next() }
    }

    private static func envelope(_ data: UnsafeRawBufferPointer) {
        let e = Envelope()
        // Each line one envelope, as --input-format json reads them.
        let reader = LineReader(stream: InputStream(bytes: data), delimiter: [0x0A], stripCR: true, maxRecordBytes: 1 << 20)
        while case .record(let line) = (try? reader.next()) ?? .end {
            try? e.parse(line)
            _ = e.headers.headers
        }
    }

    /// The first line is a JSON Schema (its patterns through our regex compiler); every
    /// other line a record checked against it and written compact. (Lines, not halves: a
    /// mutation that changes the length then keeps the schema/record boundary.)
    private static func jsonSchema(_ data: UnsafeRawBufferPointer) {
        let nl = data.firstIndex(of: 0x0A) ?? data.count
        guard let (root, _) = try? JSONSchemaCompiler.compile(text(UnsafeRawBufferPointer(rebasing: data[..<nl]))) else { return }
        let encoder = JSONSchemaEncoder(root)
        let out = ByteBuffer()
        let reader = LineReader(stream: InputStream(bytes: UnsafeRawBufferPointer(rebasing: data[min(nl + 1, data.count)...])),
                                delimiter: [0x0A], stripCR: false, maxRecordBytes: 1 << 16)
        while case .record(let line) = (try? reader.next()) ?? .end {
            out.removeAll()
            try? encoder.encode(line, into: out)
        }
    }

    /// The first line is an rpk layout; the rest is the input it reads.
    private static func format(_ data: UnsafeRawBufferPointer) {
        let nl = data.firstIndex(of: 0x0A) ?? data.count
        guard let layout = try? InputLayout(text(UnsafeRawBufferPointer(rebasing: data[..<nl]))) else { return }
        let rest = UnsafeRawBufferPointer(rebasing: data[min(nl + 1, data.count)...])
        var plan = EmitPlan(topic: "t", source: .lines(path: "-", delimiter: [0x0A], keyDelimiter: nil, format: .lines))
        plan.seed = 1
        let source = FormatSource(stream: InputStream(bytes: rest), layout: layout, templates: RecordTemplates(plan: plan),
                                  count: 10_000, maxRecordBytes: 1 << 16, routesTopics: false)
        while let event = try? source.advance(), event != .end {
            if event == .ready { _ = source.record() }
        }
    }
}
