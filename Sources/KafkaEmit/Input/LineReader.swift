#if canImport(Glibc)
import Glibc
#endif

/// Splits a file descriptor into records at a delimiter, reading large blocks and handing
/// out each record in place (no copy). A record is valid until the next call.
///
/// It waits in poll(2) on the input and on the stop pipe, so an idle stdin never delays Ctrl-C.
package final class LineReader {
    private let fd: Int32
    private let wakeFD: Int32
    private let delimiter: [UInt8]
    private let delimiterByte: UInt8
    private let stripCR: Bool
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0      // first unconsumed byte
    private var scanned = 0    // bytes from start already searched without a delimiter
    private var end = 0        // end of valid data
    private var eof = false
    private let ownsFD: Bool
    /// Monotonic time after which waiting for input ends the stream (`--duration`); 0 = none.
    package var deadlineNanos: UInt64 = 0

    package enum Next {
        case record(UnsafeRawBufferPointer)
        case end
        case stopped
    }

    package init(fd: Int32, delimiter: [UInt8], stripCR: Bool, wakeFD: Int32, ownsFD: Bool, blockSize: Int = 1 << 20) {
        precondition(!delimiter.isEmpty)
        self.fd = fd
        self.wakeFD = wakeFD
        self.delimiter = delimiter
        self.delimiterByte = delimiter[0]
        self.stripCR = stripCR
        self.ownsFD = ownsFD
        capacity = blockSize
        buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        if ownsFD { close(fd) }
    }

    /// Opens `path` (`-` = stdin); a file that cannot be opened is exit 66.
    package static func open(path: String, delimiter: [UInt8], stripCR: Bool, wakeFD: Int32) throws(EmitError) -> LineReader {
        if path == "-" {
            return LineReader(fd: 0, delimiter: delimiter, stripCR: stripCR, wakeFD: wakeFD, ownsFD: false)
        }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let why = String(cString: strerror(errno))
            throw .cannotOpen("--input '\(path)': \(why); check the path")
        }
        var st = stat()
        if fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .cannotOpen("--input '\(path)': is a directory; give a file, or - for stdin")
        }
        return LineReader(fd: fd, delimiter: delimiter, stripCR: stripCR, wakeFD: wakeFD, ownsFD: true)
    }

    @inline(__always)
    package func next() throws(EmitError) -> Next {
        while true {
            let from = start + scanned
            if from < end, let hit = find(from: from) {
                var lineEnd = hit
                let lineStart = start
                start = hit + delimiter.count
                scanned = 0
                if stripCR && lineEnd > lineStart && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                return .record(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart))
            }
            // Keep a partial delimiter's first bytes unscanned.
            scanned = max(0, end - start - (delimiter.count - 1))
            if eof {
                if start < end {
                    var lineEnd = end
                    let lineStart = start
                    start = end
                    scanned = 0
                    if stripCR && lineEnd > lineStart && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                    return .record(UnsafeRawBufferPointer(start: buffer + lineStart, count: lineEnd - lineStart))
                }
                return .end
            }
            if try !fill() { return .stopped }
        }
    }

    @inline(__always) private func find(from: Int) -> Int? {
        if delimiter.count == 1 {
            guard let p = memchr(buffer + from, Int32(delimiterByte), end - from) else { return nil }
            return buffer.distance(to: p.assumingMemoryBound(to: UInt8.self))
        }
        return delimiter.withUnsafeBytes { d in
            findBytes(UnsafeRawBufferPointer(start: buffer + from, count: end - from), d).map { from + $0 }
        }
    }

    /// Reads more input; false when a stop was requested while waiting.
    @inline(never) private func fill() throws(EmitError) -> Bool {
        if start > 0 {
            let live = end - start
            if live > 0 { memmove(buffer, buffer + start, live) }
            end = live
            start = 0
        }
        if end == capacity {
            let newCapacity = capacity * 2
            let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            nb.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = nb
            capacity = newCapacity
        }
        while true {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            var timeoutMs: Int32 = -1
            if deadlineNanos != 0 {
                let now = Clock.monotonicNanos()
                if now >= deadlineNanos { return false }
                timeoutMs = Int32(min(UInt64(Int32.max), (deadlineNanos - now + 999_999) / 1_000_000))
            }
            let rc = poll(&fds, wakeFD >= 0 ? 2 : 1, timeoutMs)
            if rc == 0 { continue }
            if rc < 0 {
                if errno == EINTR { continue }
                throw .io("reading the input: \(String(cString: strerror(errno)))")
            }
            if fds[1].revents != 0 && wakeFD >= 0 { return false }
            let n = read(fd, buffer + end, capacity - end)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .io("reading the input: \(String(cString: strerror(errno)))")
            }
            if n == 0 { eof = true } else { end += n }
            return true
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
