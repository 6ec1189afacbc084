@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// Splits an input stream into records at a delimiter, handing out each record in place (no
/// copy); a record is valid until the next call. A record longer than `maxRecordBytes` could
/// never be sent: it is reported as soon as it is known to be too long, and the rest of it is
/// skipped up to the next delimiter, so memory stays bounded whatever the input.
final class LineReader {
    let stream: InputStream
    private let delimiter: [UInt8]
    private let delimiterByte: UInt8
    private let stripCR: Bool
    /// Bytes from `stream.start` already searched without finding a delimiter.
    private var scanned = 0
    /// Skipping the rest of an oversized record (already reported).
    private var skipping = false
    var maxRecordBytes: Int {
        didSet { stream.limit = max(maxRecordBytes, 0) &+ delimiter.count &+ (64 << 10) }
    }

    enum Next {
        case record(UnsafeRawBufferPointer)
        /// A record longer than `maxRecordBytes`; the rest of it is skipped.
        case oversized
        case end
    }

    init(stream: InputStream, delimiter: [UInt8], stripCR: Bool, maxRecordBytes: Int = Int.max / 2) {
        precondition(!delimiter.isEmpty)
        self.stream = stream
        self.delimiter = delimiter
        self.delimiterByte = delimiter[0]
        self.stripCR = stripCR
        self.maxRecordBytes = maxRecordBytes
        stream.limit = max(maxRecordBytes, 0) &+ delimiter.count &+ (64 << 10)
    }

    /// Monotonic time after which waiting for input ends the stream (`--duration`); 0 = none.
    var deadlineNanos: UInt64 {
        get { stream.deadlineNanos }
        set { stream.deadlineNanos = newValue }
    }

    @inline(__always)
    func next() throws(EmitError) -> Next {
        while true {
            if let hit = find() {
                let s = stream.start
                var lineEnd = hit
                stream.consume(hit - s + delimiter.count)
                scanned = 0
                if skipping {
                    skipping = false
                    continue
                }
                if hit - s > maxRecordBytes { return .oversized }
                if stripCR && lineEnd > s && stream.base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return .record(UnsafeRawBufferPointer(start: stream.base + s, count: lineEnd - s))
            }
            // Keep a partial delimiter's first bytes unscanned.
            scanned = max(0, stream.available - (delimiter.count - 1))
            if skipping || stream.available > maxRecordBytes {
                // Too large to send: keep only what may begin a delimiter.
                stream.consume(scanned)
                scanned = 0
                if !skipping {
                    skipping = true
                    return .oversized
                }
            }
            switch try stream.fill() {
            case .more, .full: continue
            case .stopped: return .end
            case .eof:
                let s = stream.start, n = stream.available
                stream.discardAll()
                scanned = 0
                if skipping {
                    skipping = false
                    return .end
                }
                if n == 0 { return .end }
                if n > maxRecordBytes { return .oversized }
                var lineEnd = s + n
                if stripCR && stream.base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return .record(UnsafeRawBufferPointer(start: stream.base + s, count: lineEnd - s))
            }
        }
    }

    @inline(__always) private func find() -> Int? {
        let from = stream.start + scanned
        let end = stream.end
        guard from < end else { return nil }
        let base = stream.base
        if delimiter.count == 1 {
            guard let p = memchr(base + from, Int32(delimiterByte), end - from) else { return nil }
            return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        return delimiter.withUnsafeBytes { d in
            findBytes(UnsafeRawBufferPointer(start: base + from, count: end - from), d).map { from + $0 }
        }
    }
}

/// Offset of the first occurrence of `needle` in `haystack` (memchr on the first byte, then compare).
@inline(__always) func findBytes(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Int? {
    let n = needle.count
    guard n > 0, haystack.count >= n, let h = haystack.baseAddress, let nb = needle.baseAddress else { return nil }
    let first = Int32(needle[0])
    var at = 0
    let last = haystack.count - n
    while at <= last {
        guard let p = memchr(h + at, first, last - at + 1) else { return nil }
        let i = h.distance(to: UnsafeRawPointer(p))
        if memcmp(h + i, nb, n) == 0 { return i }
        at = i + 1
    }
    return nil
}
