/// The correlation metadata of one caller's records that await results, by token: a slot
/// number, reused once its result came back (results arrive out of order across
/// partitions, so a token cannot be the record's number modulo a ring). No hashing per record.
///
/// Raw storage rather than `[C?]`: this code is generic over the caller's type and runs
/// unspecialized, and each `[C?]` access looked up the metadata of `Optional<C>` and
/// `Array<Optional<C>>` in the runtime's cache (~10 % of a stream's CPU, perf). A pointer to
/// `C` needs only `C`'s own witnesses. Whether a slot is taken is the free list's business:
/// `take` is called once per token `put` returned. A class: it owns its storage; used under its
/// owner's lock only.
final class CorrelationSlots<C> {
    private var storage: UnsafeMutablePointer<C>
    private var capacity: Int
    private var used = 0
    private var free: [Int] = []

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        storage = .allocate(capacity: self.capacity)
        free.reserveCapacity(self.capacity)
    }

    deinit {
        // Live slots: every slot below `used` that is not on the free list.
        if used > 0 {
            var live = [Bool](repeating: true, count: used)
            for f in free { live[f] = false }
            for k in 0..<used where live[k] { (storage + k).deinitialize(count: 1) }
        }
        storage.deallocate()
    }

    /// Keeps `c` and returns its token.
    @inline(__always)
    func put(_ c: consuming C) -> Int {
        if let slot = free.popLast() {
            (storage + slot).initialize(to: c)
            return slot
        }
        if used == capacity { grow() }
        (storage + used).initialize(to: c)
        used += 1
        return used - 1
    }

    @inline(__always)
    func take(_ token: Int) -> C {
        free.append(token)
        return (storage + token).move()
    }

    /// A transaction window may take more than the buffer's room at once.
    private func grow() {
        let bigger = UnsafeMutablePointer<C>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: storage, count: used)
        storage.deallocate()
        storage = bigger
        capacity *= 2
    }
}

/// Whether an error ends a caller's stream of records rather than one record: the sender
/// could not send at all.
extension KafkaSenderError.Cause {
    var endsTheSend: Bool {
        switch self {
        case .brokerUnreachable, .incompatibleBroker, .fatal, .closed, .resourceExhausted, .stopped: true
        default: false
        }
    }
}
