import Crdkafka

/// Outcome of the connectivity check.
package enum Reachability: Sendable, Equatable {
    case reachable(partitions: Int)
    case unreachable(String)
    case topicMissing(String)
    /// The run ended before the check could tell.
    case cancelled
}

extension ProducerHandle {
    /// Whether a broker has answered a metadata request already (librdkafka keeps the
    /// controller id from the first answer). Never blocks.
    var anyBrokerAnswered: Bool { rd_kafka_controllerid(rk, 0) != -1 }

    /// Proves a broker answers (and that `topic` exists or was auto-created) before
    /// `deadlineNanos`. Usually the first delivery report settles it within milliseconds
    /// (`delivered`); only then does it ask for metadata. (An extra request on a fresh
    /// connection can meet a 40 ms delayed-ACK stall on loopback, which would cost short runs
    /// more.) Each metadata request may take all the time left: a broker 3 s away is slow,
    /// not absent (SPEC §6), so no request is cut short by a slice of its own. This blocks
    /// for as long, so it runs on a thread nobody joins (`SendLoop.startWatch`).
    /// `pause(n)` waits up to n nanoseconds and returns early when the run ends.
    func checkReachable(topic: TopicID?, deadlineNanos: UInt64, delivered: () -> Bool,
                        shouldStop: () -> Bool, pause: (UInt64) -> Void) -> Reachability {
        let quiet = min(deadlineNanos, Clock.monotonicNanos() + 300_000_000)
        while Clock.monotonicNanos() < quiet {
            if delivered() { return .reachable(partitions: -1) }
            if shouldStop() { return .cancelled }
            pause(5_000_000)
        }
        if delivered() { return .reachable(partitions: -1) }
        var lastTopicError: Int32 = 0
        var lastError = "no broker answered"
        let rkt = topic.map { handle($0) }
        while true {
            if shouldStop() { return .cancelled }
            let now = Clock.monotonicNanos()
            if now >= deadlineNanos { break }
            let sliceMs = Int32(clamping: max(1, (deadlineNanos - now) / 1_000_000))
            var md: UnsafePointer<rd_kafka_metadata>?
            let err = rd_kafka_metadata(rk, 0, rkt, &md, sliceMs)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR, let md {
                defer { rd_kafka_metadata_destroy(md) }
                guard rkt != nil else { return .reachable(partitions: -1) }
                if md.pointee.topic_cnt > 0 {
                    let t = md.pointee.topics[0]
                    if t.err == RD_KAFKA_RESP_ERR_NO_ERROR && t.partition_cnt > 0 {
                        return .reachable(partitions: Int(t.partition_cnt))
                    }
                    lastTopicError = t.err.rawValue
                }
                pause(100_000_000)
                continue
            }
            lastError = LibrdkafkaInfo.errorDescription(err.rawValue)
            if err != RD_KAFKA_RESP_ERR__TIMED_OUT { pause(50_000_000) }
        }
        // A request can outlive its broker: librdkafka ≥ 2.x retires the bootstrap connections
        // once it has learnt the cluster, and a request waiting on one of them then waits out
        // the deadline. The broker's answer that taught librdkafka the cluster (the controller
        // id) is proof enough that one answered.
        if lastTopicError == 0 && anyBrokerAnswered { return .reachable(partitions: -1) }
        if lastTopicError != 0 {
            return .topicMissing("\(LibrdkafkaInfo.errorName(lastTopicError)): \(LibrdkafkaInfo.errorDescription(lastTopicError))")
        }
        return .unreachable(lastError)
    }
}
