import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `--stats-interval`: a status line on stderr every interval, or — when stderr is a terminal
/// and the total is known — a live progress bar, cleared before the summary.
final class ProgressReporter: Sendable {
    private let thread: WorkerThread
    private let isBar: Bool
    private let stderrFD: Int32

    init(intervalNanos: UInt64, total: UInt64?, stderrFD: Int32, loop: SendLoop<ResultWriter>) {
        let bar = total != nil && isatty(stderrFD) == 1
        isBar = bar
        self.stderrFD = stderrFD
        let start = Clock.monotonicNanos()
        let box = DoneFlag()
        doneFlag = box
        thread = WorkerThread(name: "kafka-emit-stats") {
            var lastAt = start
            var lastCount = 0
            var next = start + intervalNanos
            while !box.isSet {
                let now = Clock.monotonicNanos()
                if now < next { Clock.sleep(untilMonotonic: min(next, now + 50_000_000)); continue }
                next += intervalNanos
                // The sink may be stuck writing to a stalled stdout: never wait for its lock.
                var p99: UInt64 = 0
                if loop.reports.sinkLock.tryLock() {
                    p99 = loop.sink.stats.latency.valueAtPercentile(99)
                    loop.reports.sinkLock.unlock()
                }
                let delivered = loop.delivered.load(ordering: .acquiring)
                let failed = loop.failed.load(ordering: .acquiring)
                let inFlight = loop.slots.inFlight
                let completed = delivered + failed
                let dt = Double(now - lastAt) / 1e9
                let rate = dt > 0 ? Double(completed - lastCount) / dt : 0
                lastAt = now
                lastCount = completed
                let text: String
                if bar, let total {
                    text = "\r\u{1B}[K" + Self.bar(done: UInt64(completed), total: total, rate: rate, inFlight: inFlight, p99: p99)
                } else {
                    text = "kafka-emit: progress \(completed + inFlight) sent, \(delivered) delivered, \(failed) failed, "
                        + "\(Fmt.fixed(rate, rate < 100 ? 1 : 0)) records/s, in-flight \(inFlight), p99 \(Fmt.millis(micros: p99))ms\n"
                }
                writeAll(stderrFD, text)
            }
        }
    }

    private let doneFlag: DoneFlag

    static func bar(done: UInt64, total: UInt64, rate: Double, inFlight: Int, p99: UInt64) -> String {
        let width = 30
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let filled = Int(fraction * Double(width))
        let eta = rate > 0 ? Double(total > done ? total - done : 0) / rate : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(Int(fraction * 100))% \(done)/\(total) \(Fmt.fixed(rate, rate < 100 ? 1 : 0)) rec/s"
            + " in-flight \(inFlight) p99 \(Fmt.millis(micros: p99))ms ETA \(Fmt.fixed(eta, 0))s"
    }

    /// Stops the reporter; a bar is erased so the summary starts on a clean line.
    func finish() {
        doneFlag.set()
        thread.join()
        if isBar { writeAll(stderrFD, "\r\u{1B}[K") }
    }
}

/// A one-way flag shared between threads.
final class DoneFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
