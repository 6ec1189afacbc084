@_spi(Engine) import KafkaEmit
import Czlib
import Histogram
#if canImport(Glibc)
import Glibc
#endif

/// `--histogram-log FILE`: delivery latency as an HdrHistogram interval log (format 1.3), one
/// V2-compressed histogram per interval, readable by HdrHistogram's own tools and mergeable
/// across shards. Values are microseconds (a comment line says so).
final class HistogramLog {
    private let fd: Int32
    private let path: String
    private let baseMillis: Int64
    private let out = ByteBuffer(capacity: 4096)
    /// The first write that failed (a full disk, /dev/full), naming the file: exit 74.
    private(set) var failure: String?

    init(path: String, startMillis: Int64) throws(EmitError) {
        self.path = path
        fd = try openOutputFile("--histogram-log", path)
        baseMillis = startMillis
        let secs = Fmt.fixed(Double(startMillis) / 1000, 3)
        var t = time_t(startMillis / 1000)
        var tmv = tm()
        gmtime_r(&t, &tmv)
        var date = [CChar](repeating: 0, count: 64)
        strftime(&date, date.count, "%a %b %d %H:%M:%S UTC %Y", &tmv)
        write("#[Histogram log format version 1.3]\n")
        let dateText = String(decoding: date.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        write("#[StartTime: \(secs) (seconds since epoch), \(dateText)]\n")
        write("#[BaseTime: \(secs) (seconds since epoch)]\n")
        write("#[kafka-emit delivery latency; values in microseconds, Interval_Max in milliseconds]\n")
        write("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"\n")
    }

    deinit { close(fd) }

    /// One interval: `[startMillis, endMillis)` and what was recorded in it.
    /// One interval; `tag` (HdrHistogram's `Tag=` column) names a `--rate-profile` stage.
    func append(_ h: Histogram<UInt64>, startMillis: Int64, endMillis: Int64, tag: String? = nil) {
        let start = Double(startMillis - baseMillis) / 1000
        let length = Double(endMillis - startMillis) / 1000
        let max = h.totalCount > 0 ? Double(h.max) / 1000 : 0
        write("\(tag.map { "Tag=\($0)," } ?? "")\(Fmt.fixed(start, 3)),\(Fmt.fixed(length, 3)),\(Fmt.fixed(max, 3)),\(Self.encode(h))\n")
    }

    /// A stage's tag: its number and name, with what a log line cannot hold (`,`, spaces,
    /// control bytes) as `_` — `stage2:hold_2000_60s`.
    static func tag(stage: Int, name: String) -> String {
        let safe = name.unicodeScalars.map { $0 == "," || $0 == " " || $0.value < 0x20 ? "_" : Character($0) }
        return "stage\(stage + 1):" + String(safe)
    }

    private func write(_ s: String) {
        out.removeAll()
        out.append(s)
        if case .failed(let code, _) = writeEvery(fd, out.bytes, chunk: Int.max, room: { true }), failure == nil {
            failure = "writing --histogram-log '\(path)': \(String(cString: strerror(code)))"
        }
    }

    // MARK: V2 encoding

    /// The histogram as HdrHistogram's base64 "V2 compressed" form.
    static func encode(_ h: Histogram<UInt64>) -> String {
        let inner = encodeV2(h)
        var bound = compressBound(uLong(inner.count))
        var deflated = [UInt8](repeating: 0, count: Int(bound))
        _ = inner.withUnsafeBufferPointer { src in compress2(&deflated, &bound, src.baseAddress, uLong(src.count), 9) }
        var outer: [UInt8] = []
        appendBE(&outer, UInt32(0x1c84_9314))
        appendBE(&outer, UInt32(bound))
        outer += deflated[0..<Int(bound)]
        return Base64.encode(outer)
    }

    /// Header (cookie, payload length, normalizing offset, digits, lowest, highest, ratio) and
    /// the counts as ZigZag LEB128, runs of zeros as negative lengths — HdrHistogram's layout.
    static func encodeV2(_ h: Histogram<UInt64>) -> [UInt8] {
        let layout = Layout(lowest: h.lowestDiscernibleValue, digits: Int(h.numberOfSignificantValueDigits.rawValue))
        var payload: [UInt8] = []
        let limit = h.totalCount > 0 ? layout.index(h.maxRecorded) + 1 : 1
        var next = 0   // the next index to write
        func zeros(upTo index: Int) {
            let run = index - next
            if run > 1 { ZigZag.append(&payload, -Int64(run)) } else if run == 1 { ZigZag.append(&payload, 0) }
            next = index
        }
        for iv in h.recordedValues() {
            let i = layout.index(iv.value)
            guard i < limit, iv.count > 0 else { continue }
            zeros(upTo: i)
            ZigZag.append(&payload, Int64(clamping: iv.count))
            next = i + 1
        }
        zeros(upTo: limit)
        var out: [UInt8] = []
        appendBE(&out, UInt32(0x1c84_9313))
        appendBE(&out, UInt32(payload.count))
        appendBE(&out, UInt32(0))
        appendBE(&out, UInt32(layout.digits))
        appendBE(&out, h.lowestDiscernibleValue)
        appendBE(&out, h.highestTrackableValue)
        appendBE(&out, (1.0 as Double).bitPattern)
        return out + payload
    }

    private static func appendBE<T: FixedWidthInteger>(_ out: inout [UInt8], _ v: T) {
        var be = v.bigEndian
        withUnsafeBytes(of: &be) { out += $0 }
    }

    /// HdrHistogram's counts-array index (the same formulas as Java's and hdrhistogram-swift's).
    struct Layout {
        let digits: Int
        let unitMagnitude: Int
        let subBucketHalfCountMagnitude: Int
        let subBucketHalfCount: Int
        let subBucketMask: UInt64
        let leadingZeroCountBase: Int

        init(lowest: UInt64, digits: Int) {
            self.digits = digits
            unitMagnitude = 63 - max(1, lowest).leadingZeroBitCount
            var largest = 2
            for _ in 0..<digits { largest *= 10 }
            let subBucketCountMagnitude = Int((log2(Double(largest))).rounded(.up))
            subBucketHalfCountMagnitude = max(subBucketCountMagnitude, 1) - 1
            subBucketHalfCount = 1 << subBucketHalfCountMagnitude
            subBucketMask = UInt64((1 << subBucketCountMagnitude) - 1) << UInt64(unitMagnitude)
            leadingZeroCountBase = 64 - unitMagnitude - subBucketCountMagnitude
        }

        func index(_ value: UInt64) -> Int {
            let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
            let subBucket = Int(value >> UInt64(bucket + unitMagnitude))
            return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - subBucketHalfCount)
        }
    }
}

/// HdrHistogram's ZigZag LEB128 (at most 9 bytes; the ninth carries 8 bits).
enum ZigZag {
    static func append(_ out: inout [UInt8], _ v: Int64) {
        var u = UInt64(bitPattern: (v << 1) ^ (v >> 63))
        for _ in 0..<8 {
            if u < 0x80 { out.append(UInt8(u)); return }
            out.append(UInt8(u & 0x7F) | 0x80)
            u >>= 7
        }
        out.append(UInt8(truncatingIfNeeded: u))
    }
}

/// Standard base64 with padding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let v = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(v >> 18 & 63)])
            out.append(alphabet[Int(v >> 12 & 63)])
            out.append(i + 1 < bytes.count ? alphabet[Int(v >> 6 & 63)] : 0x3D)
            out.append(i + 2 < bytes.count ? alphabet[Int(v & 63)] : 0x3D)
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the base64 of `bytes` (a dry run's encoded records).
    static func append(_ bytes: UnsafeRawBufferPointer, to out: ByteBuffer) {
        out.append(encode(Array(bytes)))
    }
}
