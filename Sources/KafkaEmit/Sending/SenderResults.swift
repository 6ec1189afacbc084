import Synchronization

/// The results of a stream of records sent with ``KafkaSender/send(_:bufferSize:)-1n9k0``
/// or ``KafkaSender/sendTransactionally(_:bufferSize:)``: one ``SenderResult`` per record
/// taken from the stream, in completion order, each carrying its correlation metadata
/// (Reactor Kafka's `Flux<SenderResult<T>>`).
///
/// Buffering is bounded: at most `bufferSize` records of the stream are in flight or
/// waiting here for the consumer, so a slow consumer slows the sending down instead of
/// piling results up. (The iterator takes waiting results a batch at a time, so up to twice
/// `bufferSize` are held at once; a plain sequence is read a chunk — a quarter of the
/// buffer, at most 256 records — ahead.) Iteration ends once every record taken has its result; it throws the
/// error of the records' own sequence, if that threw (after the results of what it yielded).
/// Leaving the loop early (or cancelling its task) stops taking records; records already
/// handed over still complete — the sender is shared, so they are not purged.
public struct SenderResults<Correlation: Sendable>: AsyncSequence, Sendable {
    /// One record's result.
    public typealias Element = SenderResult<Correlation>
    @usableFromInline let stream: ResultStream<Correlation>

    /// Counts of the results so far; final once iteration has ended.
    public var summary: SendSummary { stream.summary }

    /// The iterator; one per stream (a second one shares the same results).
    public func makeAsyncIterator() -> Iterator { Iterator(consumer: Consumer(stream)) }

    // Inlinable, so the caller's compiler specializes the per-result step for its own
    // correlation type (unspecialized generic code cost ~1 µs a result).
    /// Hands out the results in completion order.
    public struct Iterator: AsyncIteratorProtocol {
        @usableFromInline let consumer: Consumer
        /// Results taken from the stream in one go (one lock per batch, not per result).
        @usableFromInline var taken: [SenderResult<Correlation>] = []
        @usableFromInline var nextTaken = 0

        init(consumer: Consumer) { self.consumer = consumer }

        /// The next result; nil once every record taken has its result. Throws what the
        /// records' own sequence threw.
        @inlinable
        public mutating func next() async throws -> SenderResult<Correlation>? { try await next(isolation: nil) }

        /// Runs on the caller's actor: a loop on the main actor does not hop off and back
        /// per result (that cost 30 µs a result).
        @inlinable
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> SenderResult<Correlation>? {
            if nextTaken == taken.count {
                nextTaken = 0
                guard try await consumer.stream.take(into: &taken, isolation: actor) else { return nil }
            }
            defer { nextTaken += 1 }
            return taken[nextTaken]
        }
    }

    /// Stops the stream when its iterator goes away.
    @usableFromInline final class Consumer: Sendable {
        @usableFromInline let stream: ResultStream<Correlation>
        init(_ stream: ResultStream<Correlation>) { self.stream = stream }
        deinit { stream.cancel() }
    }
}

/// The state behind a `SenderResults`: admission (the feeder waits for room), results in
/// completion order, and the consumer's wait.
@usableFromInline final class ResultStream<C: Sendable>: ResultReceiver, Sendable {
    private struct State {
        var ring: CorrelationSlots<C>
        var results: [SenderResult<C>] = []
        var admitted = 0
        var received = 0
        var consumed = 0
        var inputDone = false
        var inputError: (any Error)?
        var stopTaking = false
        var cancelled = false
        var consumer: CheckedContinuation<Void, Never>?
        var feeder: CheckedContinuation<Void, Never>?
        var summary = SendSummary()
    }
    private let state: Locked<State>
    let capacity: Int
    private let stopOnError: Bool
    /// The task reading the caller's sequence.
    let feederTask = Locked<Task<Void, Never>?>(nil)

    init(capacity: Int, stopOnError: Bool) {
        self.capacity = max(1, capacity)
        self.stopOnError = stopOnError
        state = Locked(State(ring: CorrelationSlots(capacity: self.capacity)))
    }

    var summary: SendSummary { state.withLock { $0.summary } }

    // MARK: feeder

    /// Waits for room and keeps the correlations; their tokens, or nil when the stream takes
    /// no more. `whole`: waits for room for all of them (a chunk of a plain sequence);
    /// otherwise any room lets them all in (a transaction window cannot be split).
    func admit(_ correlations: [C], whole: Bool = false) async -> [Int]? {
        let needed = whole ? min(correlations.count, capacity) : 1
        while true {
            let tokens: [Int]?? = state.withLock { st in
                if st.stopTaking { return .some(nil) }
                guard st.admitted - st.consumed + needed <= capacity else { return nil }
                st.admitted += correlations.count
                var tokens: [Int] = []
                tokens.reserveCapacity(correlations.count)
                for k in correlations.indices { tokens.append(st.ring.put(correlations[k])) }
                return .some(tokens)
            }
            if let tokens { return tokens }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let now = state.withLock { st -> Bool in
                    if st.stopTaking || st.admitted - st.consumed + needed <= capacity { return true }
                    st.feeder = c
                    return false
                }
                if now { c.resume() }
            }
        }
    }

    /// One record: its token without waiting when there is room (the common case).
    func admit(_ correlation: C) async -> Int? {
        let fast: Int?? = state.withLock { st in
            if st.stopTaking { return .some(nil) }
            guard st.admitted - st.consumed < capacity else { return nil }
            let t = st.ring.put(correlation)
            st.admitted += 1
            return .some(t)
        }
        if let fast { return fast }
        return await admit([correlation])?.first
    }

    /// The records' sequence ended (or threw): iteration ends after the last result.
    func inputEnded(_ error: (any Error)?) {
        let consumer = state.withLock { st in
            st.inputDone = true
            st.inputError = error
            defer { st.consumer = nil }
            return st.consumer
        }
        consumer?.resume()
    }

    /// The sender refused the stream's records (closed, fatal): ends the stream with `error`.
    func refuse(_ tokens: [Int], _ error: KafkaSenderError) {
        receive(tokens.map { ReceivedResult(token: $0, result: .failure(error), latency: .zero) })
    }

    // MARK: results (serving thread, sink lock held)

    func receive(_ batch: [ReceivedResult]) {
        let consumer = state.withLock { st -> CheckedContinuation<Void, Never>? in
            for b in batch {
                let r = SenderResult(correlationMetadata: st.ring.take(b.token), result: b.result, latency: b.latency)
                st.summary.count(r.outcome)
                if case .failure(let e) = b.result, st.summary.stoppedBy == nil, e.cause.endsTheSend || stopOnError {
                    st.summary.stoppedBy = e
                    st.stopTaking = true
                }
                if !st.cancelled { st.results.append(r) }
            }
            st.received += batch.count
            defer { st.consumer = nil }
            return st.consumer
        }
        consumer?.resume()
    }

    // MARK: consumer

    private enum Step { case taken(CheckedContinuation<Void, Never>?), end((any Error)?), wait }

    /// Moves every waiting result into `batch` (which must be drained), waiting for one;
    /// false at the end of the stream. Results taken count as consumed: their room goes
    /// back to the feeder.
    @usableFromInline func take(into batch: inout [SenderResult<C>], isolation actor: isolated (any Actor)?) async throws -> Bool {
        batch.removeAll(keepingCapacity: true)
        while true {
            let step: Step = state.withLock { st in
                if st.cancelled { return .end(nil) }
                if !st.results.isEmpty {
                    swap(&st.results, &batch)
                    st.consumed += batch.count
                    defer { st.feeder = nil }
                    return .taken(st.feeder)
                }
                if st.inputDone && st.received == st.admitted { return .end(st.inputError) }
                return .wait
            }
            switch step {
            case .taken(let feeder):
                feeder?.resume()
                return true
            case .end(let error):
                if let error { throw error }
                return false
            case .wait:
                await withTaskCancellationHandler(operation: {
                    await withCheckedContinuation(isolation: actor) { (c: CheckedContinuation<Void, Never>) in
                        let now = state.withLock { st -> Bool in
                            if st.cancelled || !st.results.isEmpty || (st.inputDone && st.received == st.admitted) { return true }
                            st.consumer = c
                            return false
                        }
                        if now { c.resume() }
                    }
                }, onCancel: {
                    cancel()
                }, isolation: actor)
            }
        }
    }

    /// The consumer went away: take no more records, keep no more results.
    func cancel() {
        let (consumer, feeder) = state.withLock { st in
            st.cancelled = true
            st.stopTaking = true
            st.results.removeAll()
            defer { st.consumer = nil; st.feeder = nil }
            return (st.consumer, st.feeder)
        }
        consumer?.resume()
        feeder?.resume()
        feederTask.withLock { $0?.cancel() }
    }
}
