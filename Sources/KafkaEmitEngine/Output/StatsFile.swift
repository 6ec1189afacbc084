@_spi(Engine) import KafkaEmit
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `--stats-file FILE`: librdkafka's statistics JSON, one object per line, as it arrives on
/// the serving thread every `statistics.interval.ms`.
final class StatsFile: Sendable {
    private let fd: Int32
    private let path: String
    private let firstFailure = Mutex<String?>(nil)
    /// The first write that failed (a full disk, /dev/full), naming the file: exit 74.
    var failure: String? { firstFailure.withLock { $0 } }

    init(path: String) throws(EmitError) {
        self.path = path
        fd = try openOutputFile("--stats-file", path, appending: true)
    }

    deinit { close(fd) }

    /// One JSON object and a newline, in one write so lines never interleave.
    func append(_ json: UnsafeRawBufferPointer) {
        var iov = [iovec(iov_base: UnsafeMutableRawPointer(mutating: json.baseAddress), iov_len: json.count),
                   iovec(iov_base: UnsafeMutableRawPointer(mutating: Self.newline), iov_len: 1)]
        let n = writev(fd, &iov, 2)
        if n != json.count + 1 {
            let why = n < 0 ? String(cString: strerror(errno)) : "short write"
            firstFailure.withLock { if $0 == nil { $0 = "writing --stats-file '\(path)': \(why)" } }
        }
    }

    nonisolated(unsafe) private static let newline = UnsafeRawPointer(("\n" as StaticString).utf8Start)
}
