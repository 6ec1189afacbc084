import KafkaEmit

/// Generate mode: records made from templates alone, numbered 0, 1, 2, ... up to `--count`
/// (unbounded without it: the pacer's `--duration` or a signal ends the run).
final class GeneratedSource: RecordSource {
    private let templates: RecordTemplates
    private let limit: UInt64
    private let step: UInt64
    @exclusivity(unchecked) private var next: UInt64
    @exclusivity(unchecked) private(set) var index: UInt64 = 0

    /// `first`/`step` select every `step`-th record from `first` (`--shard K/N`): numbers
    /// and `--count` stay those of the whole workload.
    init(templates: RecordTemplates, count: UInt64?, first: UInt64 = 0, step: UInt64 = 1) {
        self.templates = templates
        limit = count ?? UInt64.max
        self.step = max(1, step)
        next = first
    }

    @inline(__always) func advance() throws(EmitError) -> SourceEvent {
        guard next < limit else { return .end }
        index = next
        next &+= step
        if next < index { next = UInt64.max }   // wrapped: the last record
        return .ready
    }

    @inline(__always) func record() -> RecordView {
        templates.build(index: index, input: RecordView.noBytes, keyPart: nil)
    }

    func malformedCorrelation() -> UnsafeRawBufferPointer { RecordView.noBytes }
}
