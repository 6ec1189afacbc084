import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Why a run stopped early. The first reason recorded wins.
package enum StopReason: Int, Sendable {
    case none = 0
    case interrupted = 1      // SIGINT
    case terminated = 2       // SIGTERM
    case deliveryFailed = 3   // --stop-on-error
    case outputClosed = 4     // stdout reader went away
    case unreachable = 5      // --connect-timeout expired
    case inputError = 6
    case outputError = 7
    case fatalError = 8       // librdkafka raised a fatal error
    case cancelled = 9        // the library's caller stopped listening
    case hangup = 10          // SIGHUP: the terminal went away (handled as SIGTERM)
    case resourceExhausted = 11  // the system refused a thread or a file descriptor
    case incompatibleBroker = 12 // a broker answered in a protocol this librdkafka cannot read
}

/// A stop request shared by the signal handler, the reporter and the producing thread.
/// Besides the flag it owns a self-pipe, so a reader blocked in poll(2) wakes at once.
///
/// Sendable: all state is atomic or an immutable file descriptor; `request` only does an
/// atomic exchange and a write(2), so it is async-signal-safe.
package final class StopSignal: Sendable {
    private let reasonValue = Atomic<Int>(0)
    private let signals = Atomic<Int>(0)
    /// Readable once a stop was requested.
    package let wakeFD: Int32
    private let notifyFD: Int32
    /// Readable once a second signal came: a writer waiting on a stalled stdout gives up
    /// (it may be a thread with signals blocked, which no signal would interrupt).
    package let abandonFD: Int32
    private let abandonNotifyFD: Int32
    /// Readable after each SIGUSR1 (a progress line is asked for); drained by its reader.
    package let progressFD: Int32
    private let progressNotifyFD: Int32

    package init() {
        (wakeFD, notifyFD) = makeInternalPipe()
        (abandonFD, abandonNotifyFD) = makeInternalPipe()
        (progressFD, progressNotifyFD) = makeInternalPipe()
    }

    deinit {
        for fd in pipeFDs { close(fd) }
    }

    private var pipeFDs: [Int32] { [wakeFD, notifyFD, abandonFD, abandonNotifyFD, progressFD, progressNotifyFD] }

    /// Exit 71's error unless every pipe could be made (not so at a tiny `ulimit -n`): a run
    /// must not start with waits nobody can wake.
    package func ensureComplete() throws(EmitError) {
        guard pipeFDs.allSatisfy({ $0 >= 0 }) else {
            throw .resource("no file descriptor left for signal handling; raise the open-file limit (ulimit -n)")
        }
    }

    /// SIGUSR1: asks for a progress line (async-signal-safe: one write).
    package func progressRequested() {
        var b: UInt8 = 1
        _ = write(progressNotifyFD, &b, 1)
    }

    package func request(_ reason: StopReason) {
        let (exchanged, _) = reasonValue.compareExchange(expected: 0, desired: reason.rawValue, ordering: .sequentiallyConsistent)
        if exchanged {
            var b: UInt8 = 1
            _ = write(notifyFD, &b, 1)
        }
    }

    @inline(__always) package var isStopped: Bool { reasonValue.load(ordering: .relaxed) != 0 }

    package var reason: StopReason { StopReason(rawValue: reasonValue.load(ordering: .sequentiallyConsistent)) ?? .none }

    /// Counts a SIGINT/SIGTERM/SIGHUP; returns how many have counted (a second one abandons the drain).
    /// A repeat within 200 ms of the first is the same request delivered twice — `timeout`
    /// signals the child and then its process group — and does not count.
    package func signalReceived(_ reason: StopReason) -> Int {
        let now = Clock.monotonicNanos()
        let (first, _) = firstSignalNanos.compareExchange(expected: 0, desired: now, ordering: .sequentiallyConsistent)
        if !first && now &- firstSignalNanos.load(ordering: .sequentiallyConsistent) < 200_000_000 {
            return signals.load(ordering: .sequentiallyConsistent)
        }
        let n = signals.add(1, ordering: .sequentiallyConsistent).newValue
        request(reason)
        if n == 2 {
            var b: UInt8 = 1
            _ = write(abandonNotifyFD, &b, 1)
        }
        return n
    }

    private let firstSignalNanos = Atomic<UInt64>(0)

    package var signalCount: Int { signals.load(ordering: .sequentiallyConsistent) }
}
