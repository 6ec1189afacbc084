import Synchronization

/// Transactions as the send loop frames them (`--transactional-id`, `sendTransactionally`).
package struct TransactionOptions {
    package var transactionalID: String
    /// A window commits after this many records ...
    package var maxRecords = 1000
    /// ... or this long after it opened, whichever comes first.
    package var maxNanos: UInt64?
    /// Windows are the caller's (`sendTransactionally`): one ends only where the source says.
    /// After a failure the rest of it fails too, unsent; otherwise a failed window closes at once.
    package var callerWindows = false

    package init(transactionalID: String, maxRecords: Int = 1000, maxNanos: UInt64? = nil, callerWindows: Bool = false) {
        (self.transactionalID, self.maxRecords, self.maxNanos, self.callerWindows) = (transactionalID, maxRecords, maxNanos, callerWindows)
    }
}

/// The transactions of a run.
package struct TransactionStats: Sendable {
    package var committed = 0
    package var aborted = 0
    package init() {}
}

/// The open transaction. Its records' delivery reports are held — copied, as librdkafka's
/// events are destroyed at once, and commit waits for that — until the window commits
/// (delivered, with its number) or aborts (every record failed, naming the transaction). Their
/// slots stay taken meanwhile, so the sink's per-slot state is still there for the results.
///
/// `number`, `isOpen`, `count`, `openedAt` belong to the producing thread; the held reports
/// are touched holding the report server's sink lock.
final class TransactionWindow {
    private(set) var number: Int64 = 0
    private(set) var isOpen = false
    var count = 0
    private(set) var openedAt: UInt64 = 0
    private var reports: [DeliveryReport] = []
    /// Per held report: where its key and value were copied (-1: null), and whether it was
    /// reported locally (its slot was never counted as sent).
    private var copies: [(key: Int, keyCount: Int, value: Int, valueCount: Int, local: Bool)] = []
    private let arena = ByteBuffer()
    /// Why the window cannot commit: the first of its records that failed.
    private(set) var failure: (code: Int32, message: String)?
    /// Set by the serving thread when a record failed, so the producing thread aborts at once.
    let poisoned = Atomic<Bool>(false)

    func open(now: UInt64) {
        number += 1
        isOpen = true
        count = 0
        openedAt = now
        poisoned.store(false, ordering: .relaxed)
    }

    /// Serving thread, sink lock held: keep a batch of reports until the window ends.
    func hold(_ batch: UnsafeMutableBufferPointer<DeliveryReport>) {
        for var r in batch {
            var copy = (key: -1, keyCount: 0, value: -1, valueCount: 0, local: r.local)
            if let k = r.key { copy.key = arena.count; copy.keyCount = k.count; arena.append(k) }
            if let v = r.value { copy.value = arena.count; copy.valueCount = v.count; arena.append(v) }
            if r.errorCode != 0 {
                fail(code: r.errorCode, message: "a record failed: \(r.errorName): \(r.errorMessage)")
            }
            r.key = nil
            r.value = nil
            r.detail = nil
            r.headers = nil
            reports.append(r)
            copies.append(copy)
        }
    }

    /// Sink lock held: the window can no longer commit.
    func fail(code: Int32, message: String) {
        if failure == nil { failure = (code, message) }
        poisoned.store(true, ordering: .releasing)
    }

    /// Reports held so far (sink lock held).
    var heldCount: Int { reports.count }

    /// How a window ended.
    enum Ending {
        case committed
        /// Aborted: no record of it is visible to read_committed readers.
        case aborted(code: Int32, message: String)
        /// Neither committed nor aborted in time (brokers gone): the coordinator aborts it
        /// after transaction.timeout.ms, so its records failed too.
        case notCommitted(code: Int32, message: String)
        /// The commit was sent but never confirmed (brokers went away): the coordinator may
        /// have committed it, so its records are `unknown`.
        case unknown(code: Int32, message: String)
    }

    /// Producing thread, sink lock held: hands the held reports to `deliver` with their
    /// outcome — committed (`transaction` set), failed, or unknown with the reason — and
    /// returns their slots (and whether each was counted as sent) for release. The window is
    /// closed after.
    func resolve(_ ending: Ending, _ deliver: (UnsafeMutableBufferPointer<DeliveryReport>) -> Void) -> [(slot: Int, local: Bool)] {
        defer {
            reports.removeAll(keepingCapacity: true)
            copies.removeAll(keepingCapacity: true)
            arena.removeAll()
            failure = nil
            isOpen = false
        }
        let base = arena.base
        for k in reports.indices {
            let c = copies[k]
            reports[k].key = c.key < 0 ? nil : UnsafeRawBufferPointer(start: base + c.key, count: c.keyCount)
            reports[k].value = c.value < 0 ? nil : UnsafeRawBufferPointer(start: base + c.value, count: c.valueCount)
            switch ending {
            case .committed:
                reports[k].transaction = number
            case .aborted(let code, _), .notCommitted(let code, _), .unknown(let code, _):
                reports[k].errorCode = code
                reports[k].offset = -1
                reports[k].transactionFailed = true
                if case .unknown = ending { reports[k].possiblyPersisted = true } else { reports[k].possiblyPersisted = false }
            }
        }
        var text: String
        switch ending {
        case .committed: text = ""
        case .aborted(_, let message): text = "transaction \(number) aborted: \(message)"
        case .notCommitted(_, let message): text = "transaction \(number) not committed: \(message)"
        case .unknown(_, let message): text = "transaction \(number) may have committed: \(message)"
        }
        let committed = if case .committed = ending { true } else { false }
        text.withUTF8 { cText in
            if !committed { for k in reports.indices { reports[k].detail = UnsafeRawBufferPointer(cText) } }
            reports.withUnsafeMutableBufferPointer { deliver($0) }
        }
        return zip(reports, copies).map { ($0.slot, $1.local) }
    }
}
