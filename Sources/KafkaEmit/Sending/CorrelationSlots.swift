/// The correlation metadata of one caller's records that await results, by token: a slot
/// number, reused once its result came back (results arrive out of order across
/// partitions, so a token cannot be the record's number modulo a ring). No hashing per record.
struct CorrelationSlots<C> {
    private var storage: [C?] = []
    private var free: [Int] = []

    init(capacity: Int) {
        storage.reserveCapacity(capacity)
        free.reserveCapacity(capacity)
    }

    /// Keeps `c` and returns its token.
    mutating func put(_ c: C) -> Int {
        if let slot = free.popLast() {
            storage[slot] = c
            return slot
        }
        storage.append(c)
        return storage.count - 1
    }

    mutating func take(_ token: Int) -> C {
        defer {
            storage[token] = nil
            free.append(token)
        }
        return storage[token]!
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
