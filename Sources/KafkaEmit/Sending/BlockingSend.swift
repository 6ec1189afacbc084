import Synchronization

/// The blocking face (`send(_:onResult:)`): the calling thread feeds the engine, waiting for
/// room and then for the last result; `onResult` runs in completion order on a serving thread.
final class CallbackReceiver<C: Sendable>: ResultReceiver, Sendable {
    private struct State {
        var ring: CorrelationSlots<C>
        var admitted = 0
        var received = 0
        var stopTaking = false
        var summary = SendSummary()
    }
    private let state: Locked<State>
    private let room = Waiter()
    private let capacity: Int
    private let stopOnError: Bool
    private let onResult: @Sendable (SenderResult<C>) -> Void

    init(capacity: Int, stopOnError: Bool, onResult: @escaping @Sendable (SenderResult<C>) -> Void) {
        self.capacity = max(1, capacity)
        self.stopOnError = stopOnError
        self.onResult = onResult
        state = Locked(State(ring: CorrelationSlots(capacity: self.capacity)))
    }

    func receive(_ batch: [ReceivedResult]) {
        let correlations = state.withLock { st in batch.map { st.ring.take($0.token) } }
        var summary = SendSummary()
        var firstStop: KafkaSenderError?
        for (c, r) in zip(correlations, batch) {
            let result = SenderResult(correlationMetadata: c, result: r.result, latency: r.latency)
            onResult(result)
            summary.count(result.outcome)
            if firstStop == nil, case .failure(let e) = r.result, e.cause.endsTheSend || stopOnError { firstStop = e }
        }
        state.withLock { st in
            st.received += batch.count
            st.summary.delivered += summary.delivered
            st.summary.failed += summary.failed
            st.summary.unknown += summary.unknown
            if st.summary.stoppedBy == nil, let firstStop {
                st.summary.stoppedBy = firstStop
                st.stopTaking = true
            }
        }
        room.signal()
    }

    /// Blocks until there is room for `count` records (a window is let in whole), then keeps
    /// their correlations; nil when no more are to be taken.
    func admit(_ correlations: [C]) -> [Int]? {
        while true {
            let tokens: [Int]?? = state.withLock { st in
                if st.stopTaking { return .some(nil) }
                guard st.admitted - st.received < capacity else { return nil }
                st.admitted += correlations.count
                return .some(correlations.map { st.ring.put($0) })
            }
            if let tokens { return tokens }
            room.wait(nanos: 10_000_000) { state.withLock { $0.stopTaking || $0.admitted - $0.received < capacity } }
        }
    }

    func refuse(_ tokens: [Int], _ error: KafkaSenderError) {
        receive(tokens.map { ReceivedResult(token: $0, result: .failure(error), latency: .zero) })
    }

    /// Blocks until every record taken has its result; the totals.
    func finish() -> SendSummary {
        while true {
            if let s = state.withLock({ $0.received == $0.admitted ? $0.summary : nil }) { return s }
            room.wait(nanos: 10_000_000) { state.withLock { $0.received == $0.admitted } }
        }
    }
}
