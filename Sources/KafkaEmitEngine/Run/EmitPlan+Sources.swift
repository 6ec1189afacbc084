@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Something to do with the plan's record source, whatever its type: a generic method, so
/// the send loop is compiled for each concrete source (no dynamic dispatch per record).
protocol SourceConsumer {
    associatedtype Result
    func consume<Source: RecordSource>(_ source: Source) -> Result
}

extension EmitPlan {
    /// Opens the input before anything is sent: a file that cannot be opened is exit 66
    /// (every one of the files of files mode is checked now).
    func openInput(stop: StopSignal) throws(EmitError) -> InputStream? {
        switch source {
        case .generate: return nil
        case .lines(let path, _, _, _):
            return try InputStream.open(path: path, wakeFD: stop.wakeFD, flag: "--input")
        case .files(let paths):
            for path in paths where path != "-" {
                var st = stat()
                if stat(path, &st) != 0 || access(path, R_OK) != 0 {
                    throw .cannotOpen("FILE '\(path)': \(String(cString: strerror(errno))); check the path")
                }
                if st.st_mode & S_IFMT == S_IFDIR { throw .cannotOpen("FILE '\(path)': is a directory; give files") }
            }
            return nil
        }
    }

    /// Builds the source this plan names and hands it to `consumer`. A new input kind is a
    /// new `RecordSource` type and one case here.
    func withSource<Consumer: SourceConsumer>(input: InputStream?, templates: RecordTemplates, maxRecordBytes: Int,
                                             stop: StopSignal, _ consumer: Consumer) -> Consumer.Result {
        switch source {
        case .generate:
            return consumer.consume(GeneratedSource(templates: templates, count: count))
        case .files(let paths):
            return consumer.consume(FilesSource(paths: paths, templates: templates, count: count,
                                                maxRecordBytes: maxRecordBytes, wakeFD: stop.wakeFD))
        case .lines(_, let delimiter, let keyDelimiter, let format):
            switch format {
            case .lines:
                let reader = LineReader(stream: input!, delimiter: delimiter, stripCR: delimiter == [0x0A], maxRecordBytes: maxRecordBytes)
                return consumer.consume(LineSource(reader: reader, templates: templates, keyDelimiter: keyDelimiter, count: count))
            case .json:
                let reader = LineReader(stream: input!, delimiter: delimiter, stripCR: delimiter == [0x0A], maxRecordBytes: maxRecordBytes)
                return consumer.consume(EnvelopeSource(reader: reader, templates: templates, count: count, routesTopics: topic == nil))
            case .format(let f):
                // Checked when the plan was made (the --input-format row).
                let layout = (try? InputLayout(f)) ?? InputLayout.empty
                return consumer.consume(FormatSource(stream: input!, layout: layout, templates: templates, count: count,
                                                     maxRecordBytes: maxRecordBytes, routesTopics: topic == nil))
            }
        }
    }
}
