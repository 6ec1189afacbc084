@_spi(Engine) import KafkaEmit

/// Per-slot correlation of in-flight records: written by the producing thread before the
/// record is handed to librdkafka, read by the serving thread when its report arrives.
///
/// When the correlation is the record number (`{i}`, the default) only the number is kept.
/// Otherwise up to `inlineCapacity` bytes live in a flat arena; a longer one gets a heap
/// blob per slot, reused while it is large enough.
final class CorrelationStore {
    private let slots: Int
    private let inlineCapacity = 48
    private let index: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int>
    private let arena: UnsafeMutableRawPointer?
    private let overflow: UnsafeMutablePointer<(blob: UnsafeMutableRawPointer?, capacity: Int)>?

    init(slots: Int, indexOnly: Bool) {
        self.slots = slots
        // Per-slot state is written before it is read, so it is left uninitialised: pages are
        // touched only for slots actually used.
        index = .allocate(capacity: slots)
        if indexOnly {
            lengths = .allocate(capacity: 1)
            arena = nil
            overflow = nil
        } else {
            lengths = .allocate(capacity: slots)
            arena = .allocate(byteCount: slots * inlineCapacity, alignment: 8)
            let o = UnsafeMutablePointer<(blob: UnsafeMutableRawPointer?, capacity: Int)>.allocate(capacity: slots)
            o.initialize(repeating: (nil, 0), count: slots)
            overflow = o
        }
    }

    deinit {
        if let overflow {
            for i in 0..<slots { overflow[i].blob?.deallocate() }
            overflow.deallocate()
        }
        arena?.deallocate()
        lengths.deallocate()
        index.deallocate()
    }

    @inline(__always) func store(slot: Int, index i: UInt64, correlation: UnsafeRawBufferPointer) {
        index[slot] = i
        guard let arena, let overflow else { return }
        let n = correlation.count
        lengths[slot] = n
        guard n > 0 else { return }
        if n <= inlineCapacity {
            (arena + slot * inlineCapacity).copyMemory(from: correlation.baseAddress!, byteCount: n)
            return
        }
        if overflow[slot].capacity < n {
            overflow[slot].blob?.deallocate()
            overflow[slot] = (UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 1), n)
        }
        overflow[slot].blob!.copyMemory(from: correlation.baseAddress!, byteCount: n)
    }

    /// The number of the record in `slot` (`{i}`).
    @inline(__always) func recordIndex(slot: Int) -> UInt64 { index[slot] }

    /// Whether a correlation is just its record's number (`{i}`).
    var isIndexOnly: Bool { arena == nil }

    /// The correlation bytes for `slot`; `scratch` holds the digits in index-only mode.
    @inline(__always) func correlation(slot: Int, scratch: ByteBuffer) -> UnsafeRawBufferPointer {
        guard let arena, let overflow else {
            scratch.removeAll()
            scratch.appendDecimal(index[slot])
            return scratch.bytes
        }
        let n = lengths[slot]
        if n <= inlineCapacity {
            return UnsafeRawBufferPointer(start: arena + slot * inlineCapacity, count: n)
        }
        return UnsafeRawBufferPointer(start: overflow[slot].blob, count: n)
    }
}
