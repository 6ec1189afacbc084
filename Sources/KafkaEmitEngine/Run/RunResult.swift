@_spi(Engine) import KafkaEmit
import Histogram

/// How a run of the CLI ended; the executable's `ExitStatus` table turns it into the exit
/// code of SPEC §5.
package enum RunEnding: Sendable, Equatable {
    /// Every record got its result (some may have failed).
    case finished
    case interrupted
    case terminated
    /// SIGHUP (the terminal or ssh session went away): handled as SIGTERM, exit 129.
    case hangup
    /// A second signal abandoned the drain with this many records still in flight; `signal`
    /// is the first signal's stop reason (it decides the exit code).
    case abandoned(inFlight: Int, signal: StopReason)
    /// The system refused a thread or a file descriptor.
    case resourceExhausted
    /// No broker answered, or the topic does not exist and was not created.
    case unreachable
    /// The input could not be read, or a malformed record under stop-on-error.
    case inputError(EmitError)
    /// stdout's reader went away.
    case outputClosed
    /// Writing stdout failed.
    case outputError
    /// librdkafka raised a fatal error.
    case fatalError
}

/// What a finished run reports: its ending, the figures of the summary, and the one line to
/// print on stderr when it ended early.
package struct RunResult: Sendable {
    package var ending: RunEnding = .finished
    package var delivered = 0
    package var failed = 0
    /// Reported failed by librdkafka but possibly stored by the broker (SPEC §4).
    package var unknown = 0
    /// Result lines a stalled stdout never took before a second signal ended the run.
    package var droppedLines = 0
    /// An output file (`--histogram-log`, `--stats-file`) that could not be written: why,
    /// naming it (exit 74; the records keep their result lines).
    package var outputFileError: String?
    /// Records handed to the send path (delivered + failed + abandoned).
    package var attempted = 0
    /// Records the run was asked for (`--count`), when known.
    package var requested: UInt64?
    package var elapsedNanos: UInt64 = 0
    package var deliveredBytes: UInt64 = 0
    /// Delivery latency in microseconds; nil when nothing was delivered (or not readable).
    package var latency: Histogram<UInt64>?
    /// The exact sum of the latencies in `latency` (set with it, by `takeFigures`).
    package var latencySumMicros: UInt64 = 0
    /// Mean delivery latency in microseconds, when anything was delivered.
    package var latencyMeanMicros: Double? {
        guard let h = latency, h.totalCount > 0 else { return nil }
        return Double(latencySumMicros) / Double(h.totalCount)
    }

    /// The run's delivered bytes and latency figures, read from its stats; `stageNames`: the
    /// `--rate-profile` stages, whose figures are taken too.
    mutating func takeFigures(_ stats: RunStats, stageNames: [String]? = nil) {
        (deliveredBytes, latency, latencySumMicros, warmupExcluded) =
            (stats.deliveredBytes, stats.latency, stats.latencySumMicros, stats.warmupExcluded)
        if let stageNames {
            stages = zip(stageNames, zip(stats.stageLatency, stats.stageSumMicros)).map {
                StageFigures(name: $0.0, latency: $0.1.0, latencySumMicros: $0.1.1)
            }
        }
    }

    /// One `--rate-profile` stage's deliveries (after the warm-up) and their latency.
    package struct StageFigures: Sendable {
        package var name: String
        package var latency: Histogram<UInt64>
        package var latencySumMicros: UInt64
        package var delivered: UInt64 { latency.totalCount }
        package var latencyMeanMicros: Double? {
            latency.totalCount > 0 ? Double(latencySumMicros) / Double(latency.totalCount) : nil
        }
    }
    /// With `--rate-profile`: each stage's figures, in order.
    package var stages: [StageFigures] = []
    /// Delivered warm-up records, kept out of `latency` (`--warmup`).
    package var warmupExcluded = 0
    package var pacing = PacingStats()
    /// How late each paced record went out, in microseconds.
    package var latenessMicros = RunResult.microsHistogram()
    /// How long each transaction's commit took, in microseconds.
    package var commitMicros = RunResult.microsHistogram()
    package var message: String?
    /// What a transactional run's transactions did.
    package var transactions: TransactionStats?
    package var dryRun = false

    package init() {}

    /// Durations in microseconds, up to an hour.
    static func microsHistogram() -> Histogram<UInt64> {
        Histogram(highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
    }
}
