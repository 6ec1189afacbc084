/// Something to do with the plan's record source, whatever its type: a generic method, so
/// the send loop is compiled for each concrete source (no dynamic dispatch per record).
protocol SourceConsumer {
    associatedtype Result
    func consume<Source: RecordSource>(_ source: Source) -> Result
}

extension EmitPlan {
    /// Opens the input before anything is sent: a file that cannot be opened is exit 66.
    func openInput(stop: StopSignal) throws(EmitError) -> LineReader? {
        guard case .lines(let path, let delimiter, _, _) = source else { return nil }
        return try LineReader.open(path: path, delimiter: delimiter, stripCR: delimiter == [0x0A], wakeFD: stop.wakeFD)
    }

    /// Builds the source this plan names and hands it to `consumer`. A new input kind is a
    /// new `RecordSource` type and one case here.
    func withSource<Consumer: SourceConsumer>(reader: LineReader?, templates: RecordTemplates,
                                             _ consumer: Consumer) -> Consumer.Result {
        switch source {
        case .generate:
            return consumer.consume(GeneratedSource(templates: templates, count: count))
        case .lines(_, _, let keyDelimiter, .lines):
            return consumer.consume(LineSource(reader: reader!, templates: templates, keyDelimiter: keyDelimiter, count: count))
        case .lines(_, _, _, .json):
            return consumer.consume(EnvelopeSource(reader: reader!, templates: templates, count: count))
        }
    }
}
