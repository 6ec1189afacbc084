@_spi(Engine) import KafkaEmit

/// Generate mode: records made from templates alone, numbered 0, 1, 2, ... up to `--count`
/// (unbounded without it: the pacer's `--duration` or a signal ends the run).
final class GeneratedSource: RecordSource {
    private let templates: RecordTemplates
    private let limit: UInt64
    @exclusivity(unchecked) private var next: UInt64 = 0
    @exclusivity(unchecked) private(set) var index: UInt64 = 0

    init(templates: RecordTemplates, count: UInt64?) {
        self.templates = templates
        limit = count ?? UInt64.max
    }

    @inline(__always) func advance() throws(EmitError) -> SourceEvent {
        guard next < limit else { return .end }
        index = next
        next &+= 1
        if next < index { next = UInt64.max }   // wrapped: the last record
        return .ready
    }

    @inline(__always) func record() -> RecordView {
        templates.build(index: index, input: UnsafeRawBufferPointer.noBytes, keyPart: nil)
    }

    func malformedCorrelation() -> UnsafeRawBufferPointer { UnsafeRawBufferPointer.noBytes }
}
