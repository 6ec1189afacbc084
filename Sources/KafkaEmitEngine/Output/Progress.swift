@_spi(Engine) import KafkaEmit
import Histogram
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Every interval: a progress line on stderr with that window's records, rate and latency
/// (`--stats-interval`; a live bar instead when stderr is a terminal whose TERM is not `dumb`
/// and the total is known), and/or one interval of the `--histogram-log`. The last, partial
/// window is reported by `finish`, so the windows' records add up to the run's. Without an
/// interval it only answers SIGUSR1: one line of totals at once, as `dd` does.
final class ProgressReporter: Sendable {
    private let thread: WorkerThread
    private let state: TickerState
    private let hasInterval: Bool
    /// The live bar, when there is one (result lines on the same terminal are written around it).
    let bar: TerminalBar?
    private let done = DoneFlag()
    private let wake: (read: Int32, write: Int32)

    init(intervalNanos: UInt64?, total: UInt64?, stderrFD: Int32, loop: SendLoop<ResultWriter>,
         printsProgress: Bool, histogramLog: HistogramLog?) throws(EmitError) {
        let usesBar = printsProgress && total != nil && isatty(stderrFD) == 1 && !Self.dumbTerminal
        let bar = usesBar ? TerminalBar(fd: stderrFD) : nil
        self.bar = bar
        let state = TickerState(loop: loop, stderrFD: stderrFD, total: total, printsLines: printsProgress && !usesBar,
                                bar: bar, log: histogramLog)
        self.state = state
        hasInterval = intervalNanos != nil
        let done = self.done
        let wake = try makeInternalPipe(for: "the progress reporter")
        self.wake = wake
        let usr1 = loop.stop.progressFD
        do {
            thread = try WorkerThread(name: "kafka-emit-stats") {
                var next = intervalNanos.map { Clock.monotonicNanos() + $0 } ?? UInt64.max
                var fds = [pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0), pollfd(fd: usr1, events: Int16(POLLIN), revents: 0)]
                var drain = [UInt8](repeating: 0, count: 64)
                while !done.isSet {
                    let now = Clock.monotonicNanos()
                    if now >= next, let interval = intervalNanos {
                        next += interval
                        state.tick(giveUp: { done.isSet })
                        continue
                    }
                    let waitMs = next == UInt64.max ? -1 : Int32(min(1_000, (next - now + 999_999) / 1_000_000))
                    _ = poll(&fds, 2, waitMs)
                    if fds[1].revents != 0 {
                        while read(usr1, &drain, drain.count) > 0 {}
                        state.totalsLine()
                    }
                }
            }
        } catch {
            close(wake.read)
            close(wake.write)
            throw error
        }
    }

    /// TERM=dumb: a terminal that cannot erase a line, so no live bar.
    private static var dumbTerminal: Bool { getenv("TERM").map { String(cString: $0) == "dumb" } ?? false }

    /// Stops the ticker and reports the last window; a bar is erased so the summary starts on
    /// a clean line. `abandoned`: a second signal ended the run (the sink may be stuck).
    func finish(abandoned: Bool) {
        done.set()
        var b: UInt8 = 1
        _ = write(wake.write, &b, 1)
        thread.join()
        close(wake.read)
        close(wake.write)
        if hasInterval { state.tick(giveUp: { abandoned }) }
        bar?.erase()
    }
}

/// What the ticker keeps between windows. `@unchecked Sendable` — invariant: used by the
/// ticker thread, then (after it was joined) by `finish`; never by two threads at once.
private final class TickerState: @unchecked Sendable {
    let loop: SendLoop<ResultWriter>
    let stderrFD: Int32
    let total: UInt64?
    let printsLines: Bool
    let bar: TerminalBar?
    let log: HistogramLog?
    private var lastAt: UInt64
    private var lastMillis: Int64
    private var lastCompleted = 0
    let startNanos = Clock.monotonicNanos()

    init(loop: SendLoop<ResultWriter>, stderrFD: Int32, total: UInt64?, printsLines: Bool, bar: TerminalBar?, log: HistogramLog?) {
        self.loop = loop
        self.stderrFD = stderrFD
        self.total = total
        self.printsLines = printsLines
        self.bar = bar
        self.log = log
        lastAt = Clock.monotonicNanos()
        lastMillis = Clock.wallMillis()
    }

    func tick(giveUp: () -> Bool) {
        // The sink may be stuck writing to a stalled stdout: wait for its lock only while the
        // run is not being abandoned.
        let windows = loop.withSink(unless: giveUp) { loop.sink.stats.takeWindow() }
        let window = windows?.all
        let now = Clock.monotonicNanos(), millis = Clock.wallMillis()
        let delivered = loop.delivered.load(ordering: .acquiring)
        let failed = loop.failed.load(ordering: .acquiring)
        let unknown = loop.unknown.load(ordering: .acquiring)
        let inFlight = loop.slots.inFlight
        let completed = delivered + failed + unknown
        let records = completed - lastCompleted
        let secs = Double(now - lastAt) / 1e9
        let rate = secs > 0 ? Double(records) / secs : 0
        if let log, let windows {
            log.append(windows.all, startMillis: lastMillis, endMillis: millis)
            // With a rate profile, each stage that had deliveries in the window: a tagged line.
            if let names = loop.sink.stageNames {
                for (k, h) in windows.stages.enumerated() where h.totalCount > 0 {
                    log.append(h, startMillis: lastMillis, endMillis: millis, tag: HistogramLog.tag(stage: k, name: names[k]))
                }
            }
        }
        if let bar, let total {
            let p99 = window.map { $0.totalCount > 0 ? $0.valueAtPercentile(99) : 0 } ?? 0
            bar.draw(Self.bar(done: UInt64(completed), total: total, rate: rate, inFlight: inFlight, p99: p99))
        } else if printsLines {
            // The time since the start (a log's timeline) and the window's length.
            let elapsed = Double(now - startNanos) / 1e9
            var line = "kafka-emit: progress at \(Fmt.fixed(elapsed, 3))s, window \(Fmt.fixed(secs, 3))s: \(records) records (\(Fmt.fixed(rate, 1))/s)"
            if let names = loop.sink.stageNames, let k = loop.sink.currentStage {
                line += ", stage \(k + 1)/\(names.count) '\(names[k])'"
            }
            if let w = window, w.totalCount > 0 {
                line += ", latency ms p50=\(Fmt.millis(micros: w.valueAtPercentile(50))) p99=\(Fmt.millis(micros: w.valueAtPercentile(99)))"
                line += " p99.9=\(Fmt.millis(micros: w.valueAtPercentile(99.9))) max=\(Fmt.millis(micros: w.max))"
            }
            line += "; total \(completed + inFlight) sent, \(delivered) delivered, \(failed) failed, "
            if unknown > 0 { line += "\(unknown) unknown, " }
            line += "\(inFlight) in flight\n"
            writeAll(stderrFD, line)
        }
        lastAt = now
        lastMillis = millis
        lastCompleted = completed
    }

    /// SIGUSR1: the run's totals so far, at once (a bar is erased first; the next tick redraws it).
    func totalsLine() {
        let delivered = loop.delivered.load(ordering: .acquiring)
        let failed = loop.failed.load(ordering: .acquiring)
        let unknown = loop.unknown.load(ordering: .acquiring)
        let inFlight = loop.slots.inFlight
        let elapsed = Double(Clock.monotonicNanos() - startNanos) / 1e9
        var line = "kafka-emit: progress at \(Fmt.fixed(elapsed, 3))s: total \(delivered + failed + unknown + inFlight) sent, "
        line += "\(delivered) delivered, \(failed) failed, "
        if unknown > 0 { line += "\(unknown) unknown, " }
        line += "\(inFlight) in flight\n"
        if let bar { bar.around { writeAll(stderrFD, line) } } else { writeAll(stderrFD, line) }
    }

    static func bar(done: UInt64, total: UInt64, rate: Double, inFlight: Int, p99: UInt64) -> String {
        let width = 30
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let filled = Int(fraction * Double(width))
        let left = total > done ? total - done : 0
        // Nothing completed in the last window: no estimate, and the bar says so.
        let eta = left == 0 ? "0s" : rate > 0 ? "\(Fmt.fixed(Double(left) / rate, 0))s" : "? (nothing completed lately)"
        return "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(Int(fraction * 100))% \(done)/\(total) \(Fmt.fixed(rate, rate < 100 ? 1 : 0)) rec/s"
            + " in-flight \(inFlight) p99 \(Fmt.millis(micros: p99))ms ETA \(eta)"
    }
}

/// A one-way flag shared between threads.
final class DoneFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .releasing) }
    var isSet: Bool { flag.load(ordering: .acquiring) }
}
