import Synchronization

/// The in-flight window (`--max-in-flight`): a fixed pool of slots, one per record handed to
/// librdkafka and not yet reported. Only the slot number travels through librdkafka's
/// per-message opaque; per-record state lives in flat arrays indexed by it.
///
/// `@unchecked Sendable` — invariant: `acquire`, `markSent`/`unmarkSent`, `releaseLocally`
/// and `sentAt` writes happen on the one producing thread; `releaseFromReporter` on the one
/// thread holding the report server's serve lock. Freed slots travel between them through a
/// single-producer/single-consumer ring published with release/acquire atomics, and a slot's
/// `sentAt` is read only after librdkafka hands back its report (through its locked queues).
package final class InFlightSlots: @unchecked Sendable {
    let count: Int
    /// Per-slot send time, written before produce, read when the report arrives.
    let sentAt: UnsafeMutablePointer<UInt64>

    private let ring: UnsafeMutablePointer<Int32>
    private let ringMask: Int
    private let ringTail = Atomic<Int>(0)          // written by the serving thread
    // Producing thread only; hot, so without dynamic exclusivity checks.
    @exclusivity(unchecked) private var ringHead = 0
    @exclusivity(unchecked) private var neverUsed = 0   // slots not yet handed out
    @exclusivity(unchecked) private var localFree: [Int32] = []   // freed by the producing thread itself

    private let sent = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let producerWaiting = Atomic<Bool>(false)
    private let waiter = Waiter()

    init(count: Int) {
        self.count = max(1, count)
        // Uninitialised: a slot's send time is written before its record is handed over, so
        // only the pages of slots actually used get touched.
        sentAt = .allocate(capacity: self.count)
        var size = 1
        while size < self.count { size <<= 1 }
        ring = .allocate(capacity: size)
        ringMask = size - 1
        localFree.reserveCapacity(1024)
    }

    deinit {
        sentAt.deallocate()
        ring.deallocate()
    }

    /// Records handed to librdkafka and not yet reported (never negative: a record is counted
    /// sent before it can complete, and `completed` is read first).
    package var inFlight: Int {
        let done = completed.load(ordering: .sequentiallyConsistent)
        return sent.load(ordering: .sequentiallyConsistent) - done
    }

    /// A free slot, or nil when every slot is taken (the caller waits with `waitForFree`).
    /// Recycled slots first, so memory follows the records actually in flight.
    @inline(__always) func tryAcquire() -> Int? {
        if let s = localFree.popLast() { return Int(s) }
        if ringHead != ringTail.load(ordering: .acquiring) {
            let s = ring[ringHead & ringMask]
            ringHead &+= 1
            return Int(s)
        }
        if neverUsed < count { neverUsed += 1; return neverUsed - 1 }
        return nil
    }

    /// Waits up to `nanos` for the serving thread to free a slot.
    func waitForFree(nanos: UInt64) {
        producerWaiting.store(true, ordering: .sequentiallyConsistent)
        waiter.wait(nanos: nanos) { ringHead != ringTail.load(ordering: .sequentiallyConsistent) }
        producerWaiting.store(false, ordering: .relaxed)
    }

    /// Waits up to `nanos` for the last in-flight record to be reported.
    func waitForDrain(nanos: UInt64) {
        producerWaiting.store(true, ordering: .sequentiallyConsistent)
        waiter.wait(nanos: nanos) { inFlight == 0 }
        producerWaiting.store(false, ordering: .relaxed)
    }

    /// Sleeps up to `nanos` unless a serving thread signals sooner (QUEUE_FULL retries).
    func pause(nanos: UInt64) {
        producerWaiting.store(true, ordering: .sequentiallyConsistent)
        waiter.wait(nanos: nanos) { false }
        producerWaiting.store(false, ordering: .relaxed)
    }

    /// Count before handing over: the report may arrive before produce returns.
    @inline(__always) func markSent(_ slot: Int, at nanos: UInt64) {
        sentAt[slot] = nanos
        sent.add(1, ordering: .sequentiallyConsistent)
    }

    /// librdkafka did not take the record after all.
    @inline(__always) func unmarkSent() { sent.subtract(1, ordering: .sequentiallyConsistent) }

    /// Producing thread: its own reports were served (or the slot was never used).
    @inline(__always) func releaseLocally(_ slot: Int, completed n: Int) {
        localFree.append(Int32(truncatingIfNeeded: slot))
        if n > 0 { completed.add(n, ordering: .sequentiallyConsistent) }
    }

    /// Serving thread (not the producer): these reports' slots may be reused now.
    func releaseFromReporter(_ reports: UnsafeMutableBufferPointer<DeliveryReport>) {
        var tail = ringTail.load(ordering: .relaxed)
        for r in reports {
            ring[tail & ringMask] = Int32(truncatingIfNeeded: r.slot)
            tail &+= 1
        }
        ringTail.store(tail, ordering: .sequentiallyConsistent)
        completed.add(reports.count, ordering: .sequentiallyConsistent)
        if producerWaiting.load(ordering: .sequentiallyConsistent) { waiter.signal() }
    }

    /// Producing thread serving its own reports: slots go straight back to its free list.
    func releaseOnProducer(_ reports: UnsafeMutableBufferPointer<DeliveryReport>) {
        for r in reports { localFree.append(Int32(truncatingIfNeeded: r.slot)) }
        completed.add(reports.count, ordering: .sequentiallyConsistent)
    }
}
