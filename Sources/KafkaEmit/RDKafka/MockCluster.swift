import Crdkafka

/// librdkafka's mock cluster: a real Kafka-protocol server on loopback, in this process.
/// Used by `--mock`, by the tests (with fault injection) and by `kafka-mock-cluster`.
///
/// `@unchecked Sendable`: the `rd_kafka_mock_*` calls are thread-safe (they post to the
/// cluster's own thread); the handles are immutable after init.
public final class MockCluster: @unchecked Sendable {
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    /// How many brokers it runs (ids 1...brokerCount).
    public let brokerCount: Int
    /// Comma-separated `host:port` list for `bootstrap.servers`.
    public let bootstrapServers: String

    /// A mock cluster of 1 to 32 brokers on loopback, for tests.
    public convenience init(brokers: Int = 3) throws(KafkaSenderError) {
        do {
            try self.init(checkedBrokers: brokers)
        } catch {
            if case .resource(let why) = error { throw KafkaSenderError(cause: .resourceExhausted, message: why) }
            throw KafkaSenderError(cause: .invalidUsage, message: error.message)
        }
    }

    package init(checkedBrokers brokers: Int) throws(EmitError) {
        guard brokers >= 1 && brokers <= 32 else {
            throw .usage("--mock-brokers: \(brokers) is out of range; use 1 to 32")
        }
        // The cluster's host handle and its threads, a listener per broker, and the producer
        // that will talk to it (a thread, a socket and a wake-up pipe per broker): librdkafka
        // aborts if any is refused half-way, so they are asked for first (margin included).
        try Headroom.ensure(threads: 2 * brokers + 12, descriptors: 8 * brokers + 24,
                            for: "the embedded mock cluster (\(brokers) broker(s))")
        let conf = rd_kafka_conf_new()!
        var errstr = [CChar](repeating: 0, count: 256)
        rd_kafka_conf_set(conf, "log_level", "0", &errstr, errstr.count)
        guard let rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &errstr, errstr.count) else {
            if rd_kafka_last_error() == RD_KAFKA_RESP_ERR__CRIT_SYS_RESOURCE {
                throw .resource("cannot start the embedded mock cluster: \(cString(errstr)); \(WorkerThread.limitHint)")
            }
            throw .internalError("cannot create the mock cluster's host handle")
        }
        guard let mc = rd_kafka_mock_cluster_new(rk, Int32(brokers)) else {
            rd_kafka_destroy(rk)
            throw .internalError("cannot create the mock cluster")
        }
        host = rk
        cluster = mc
        brokerCount = brokers
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(mc))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    /// Broker ids are 1...brokerCount.
    public var brokerIDs: ClosedRange<Int32> { 1...Int32(brokerCount) }

    /// Creates a topic (replication factor: up to 3, at most the broker count); false if
    /// the mock refused it.
    @discardableResult
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int? = nil) -> Bool {
        let rf = replicationFactor ?? min(3, brokerCount)
        return rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(rf)) == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    /// Takes a broker down: its connections close and it accepts none until `setBrokerUp`.
    public func setBrokerDown(_ id: Int32) { rd_kafka_mock_broker_set_down(cluster, id) }
    /// Brings a broker taken down back.
    public func setBrokerUp(_ id: Int32) { rd_kafka_mock_broker_set_up(cluster, id) }

    /// Adds `ms` of round-trip time to every request the broker serves.
    public func setRoundTripTime(broker id: Int32, milliseconds ms: Int) {
        rd_kafka_mock_broker_set_rtt(cluster, id, Int32(ms))
    }

    /// Moves a partition's leadership to another broker.
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) {
        rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker)
    }

    /// Makes the next `errors.count` Produce requests (to any broker) fail with these codes.
    public func pushProduceErrors(_ errors: [Int32]) { pushRequestErrors(apiKey: Self.apiProduce, errors) }

    /// Makes the next `errors.count` requests of this Kafka API (e.g. `apiEndTxn`) fail with
    /// these codes.
    public func pushRequestErrors(apiKey: Int16, _ errors: [Int32]) {
        var codes = errors.map { rd_kafka_resp_err_t($0) }
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, codes.count, &codes)
    }

    /// Kafka API keys for `pushRequestErrors`: Produce.
    public static let apiProduce: Int16 = 0
    /// InitProducerId (idempotent and transactional producers start with it).
    public static let apiInitProducerId: Int16 = 22
    /// AddPartitionsToTxn.
    public static let apiAddPartitionsToTxn: Int16 = 24
    /// EndTxn (a transaction's commit or abort).
    public static let apiEndTxn: Int16 = 26

    /// Makes a topic report an error in Metadata/Produce responses.
    public func setTopicError(_ topic: String, code: Int32) {
        rd_kafka_mock_topic_set_error(cluster, topic, rd_kafka_resp_err_t(code))
    }

    /// Kafka error codes for `pushRequestErrors` and `setTopicError`: NOT_LEADER_FOR_PARTITION (retriable).
    public static let errNotLeaderForPartition: Int32 = RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION.rawValue
    /// REQUEST_TIMED_OUT (retriable).
    public static let errRequestTimedOut: Int32 = RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT.rawValue
    /// UNKNOWN_TOPIC_OR_PART.
    public static let errUnknownTopic: Int32 = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue
    /// COORDINATOR_NOT_AVAILABLE (retriable).
    public static let errCoordinatorNotAvailable: Int32 = RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE.rawValue
    /// NOT_COORDINATOR (retriable).
    public static let errNotCoordinator: Int32 = RD_KAFKA_RESP_ERR_NOT_COORDINATOR.rawValue
    /// PRODUCER_FENCED (fatal for a transactional producer).
    public static let errProducerFenced: Int32 = RD_KAFKA_RESP_ERR_PRODUCER_FENCED.rawValue
    /// INVALID_MSG_SIZE.
    public static let errInvalidMessageSize: Int32 = RD_KAFKA_RESP_ERR_INVALID_MSG_SIZE.rawValue
}
