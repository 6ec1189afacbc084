import Synchronization
import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// The library against librdkafka's mock cluster, in process: real protocol over loopback TCP.
@Suite(.serialized) struct MockClusterTests {
    @Test func everyRecordGetsOneResultWithItsCorrelation() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("orders", partitions: 4)
        let run = try emit(generatePlan(mock.bootstrapServers, topic: "orders", count: 1000))
        #expect(run.allDelivered)
        #expect(run.result.delivered == 1000)
        let d = run.delivered
        #expect(d.count == 1000 && run.lines.count == 1000)
        #expect(Set(d.map(\.correlation)) == Set((0..<1000).map(String.init)))
        for p in 0..<4 {
            // Completion order: within a partition, result lines come in offset order.
            let offsets = d.filter { $0.partition == p }.map(\.offset)
            #expect(offsets == Array(0..<offsets.count), "partition \(p) offsets are not contiguous and in order")
        }
        #expect(Set(d.map(\.partition)).count == 4)
        try expectExactlyOnceInOrder(mock.bootstrapServers, topic: "orders", count: 1000)
    }

    @Test func fixedPartition() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("fixed", partitions: 4)
        var plan = generatePlan(mock.bootstrapServers, topic: "fixed", count: 200)
        plan.partition = 2
        let run = try emit(plan)
        #expect(run.allDelivered)
        #expect(run.delivered.allSatisfy { $0.partition == 2 })
        #expect(run.delivered.map(\.offset).sorted() == Array(0..<200))
    }

    @Test func headersAndCorrelationHeaderArrive() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("hdr", partitions: 1)
        var plan = generatePlan(mock.bootstrapServers, topic: "hdr", count: 3)
        plan.headers = [HeaderTemplate(name: "source", value: try Template.parse("kafka-emit", flag: "-H")),
                        HeaderTemplate(name: "n", value: try Template.parse("{i:3}", flag: "-H"))]
        plan.correlation = try Template.parse("req-{i}", flag: "--correlation")
        plan.correlationHeader = "correlation-id"
        let run = try emit(plan)
        #expect(run.allDelivered)
        #expect(Set(run.delivered.map(\.correlation)) == ["req-0", "req-1", "req-2"])
        let rows = try kcatLines(mock.bootstrapServers, topic: "hdr", format: "%k|%s|%h")
        #expect(rows == ["0|event-0|source=kafka-emit,n=000,correlation-id=req-0",
                         "1|event-1|source=kafka-emit,n=001,correlation-id=req-1",
                         "2|event-2|source=kafka-emit,n=002,correlation-id=req-2"])
    }

    @Test func retriableProduceErrorsDeliverEveryRecordWithoutDuplicates() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("retry", partitions: 3)
        var errors: [Int32] = []
        for _ in 0..<15 { errors += [MockCluster.errNotLeaderForPartition, MockCluster.errRequestTimedOut] }
        mock.pushProduceErrors(errors)
        var plan = generatePlan(mock.bootstrapServers, topic: "retry", count: 5000)
        plan.properties.append(ConfigProperty("retry.backoff.ms", "10", origin: "test"))
        let run = try emit(plan)
        #expect(run.allDelivered, "\(run.stderr)")
        #expect(run.result.delivered == 5000)
        try expectExactlyOnceInOrder(mock.bootstrapServers, topic: "retry", count: 5000, complete: false)
    }

    @Test func twoOfThreeBrokersDownMidRun() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("outage", partitions: 6)
        var plan = generatePlan(mock.bootstrapServers, topic: "outage", count: 10_000)
        plan.pacing = .rate(2500)
        plan.properties.append(ConfigProperty("retry.backoff.ms", "50", origin: "test"))
        let run = BackgroundRun(plan)
        run.waitForResults(atLeast: 2000)
        mock.setBrokerDown(1); mock.setBrokerDown(2)
        holdFault(seconds: 2.0)
        mock.setBrokerUp(1); mock.setBrokerUp(2)
        let result = try run.wait()
        #expect(result.allDelivered, "\(result.stderr)")
        #expect(result.lines.count == 10_000)
        #expect(result.result.delivered == 10_000)
        #expect(Set(result.delivered.map(\.correlation)).count == 10_000, "one delivered line per record")
        try expectExactlyOnceInOrder(mock.bootstrapServers, topic: "outage", count: 10_000, complete: false, afterOutage: true)
    }

    @Test func leaderMovesMidRun() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("moves", partitions: 3)
        var plan = generatePlan(mock.bootstrapServers, topic: "moves", count: 6000)
        plan.pacing = .rate(3000)
        let run = BackgroundRun(plan)
        for step in 0..<3 {
            run.waitForResults(atLeast: 1200 * (step + 1))
            for p in 0..<3 { mock.setPartitionLeader(topic: "moves", partition: Int32(p), broker: Int32((p + step + 1) % 3 + 1)) }
        }
        let result = try run.wait()
        #expect(result.allDelivered, "\(result.stderr)")
        #expect(result.result.delivered == 6000)
        try expectExactlyOnceInOrder(mock.bootstrapServers, topic: "moves", count: 6000, complete: false)
    }

    @Test func allBrokersDownPastDeliveryTimeoutContinueOnError() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("dark", partitions: 3)
        var plan = generatePlan(mock.bootstrapServers, topic: "dark", count: 3000)
        plan.pacing = .rate(1000)
        plan.stopOnError = false
        plan.properties.append(ConfigProperty("message.timeout.ms", "1500", origin: "test"))
        let run = BackgroundRun(plan)
        run.waitForResults(atLeast: 500)
        for id in mock.brokerIDs { mock.setBrokerDown(id) }
        holdFault(seconds: 3.0)
        for id in mock.brokerIDs { mock.setBrokerUp(id) }
        let result = try run.wait()
        #expect(result.result.ending == .finished && result.result.failed > 0)
        #expect(result.result.failed > 0)
        // Queued through the outage: failed; in flight when the brokers went: unknown.
        #expect(result.result.delivered + result.result.failed + result.result.unknown == 3000)
        #expect(result.lines.count == 3000)
        #expect(result.lines.filter { $0.hasPrefix("failed ") }.count == result.result.failed)
        #expect(result.lines.filter { $0.hasPrefix("unknown ") }.count == result.result.unknown)
        #expect(result.lines.first { $0.hasPrefix("failed ") }?.contains("error=\"_MSG_TIMED_OUT") == true)
    }

    @Test func backpressureHoldsThePacerWithoutLossOrBurst() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("slow", partitions: 1)
        mock.setRoundTripTime(broker: 1, milliseconds: 50)
        var plan = generatePlan(mock.bootstrapServers, topic: "slow", count: 300)
        plan.pacing = .rate(2000)          // asks for 2000/s ...
        plan.maxInFlight = 5               // ... but 5 in flight per ~50 ms round trip allows far less
        let run = try emit(plan)
        #expect(run.allDelivered, "\(run.stderr)")
        #expect(run.result.delivered == 300)
        // The schedule was shifted (waited, resumed from where it was) rather than caught up.
        #expect(run.result.pacing.behindNanos > 50_000_000)
        #expect(run.result.pacing.achievedRate < 1000)
        try expectExactlyOnceInOrder(mock.bootstrapServers, topic: "slow", count: 300)
    }

    @Test func missingTopicThatCannotBeCreatedIsExit69() throws {
        let mock = try MockCluster(brokers: 1)
        mock.setTopicError("ghost", code: MockCluster.errUnknownTopic)
        var plan = generatePlan(mock.bootstrapServers, topic: "ghost", count: 5)
        plan.connectTimeoutNanos = 2_000_000_000
        plan.quiet = false
        let run = try emit(plan)
        #expect(run.result.ending == .unreachable)
        #expect(run.lines.count == 5)
        #expect(run.lines.allSatisfy { $0.contains("error=\"_PURGE_QUEUE: topic ghost does not exist\"") }, "\(run.lines)")
        #expect(run.result.message?.contains("topic 'ghost' does not exist and was not created within 2s") == true, "\(String(describing: run.result.message))")
    }

    @Test func fullLibrdkafkaQueueAlsoShiftsThePacer() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("qfull", partitions: 1)
        var plan = generatePlan(mock.bootstrapServers, topic: "qfull", count: 300)
        plan.pacing = .rate(1000)
        plan.properties += [ConfigProperty("queue.buffering.max.messages", "20", origin: "test"),
                            ConfigProperty("linger.ms", "50", origin: "test")]
        let run = try emit(plan)
        #expect(run.allDelivered)
        #expect(run.result.delivered == 300)
        // QUEUE_FULL waits shift the schedule (behind > 0) instead of a catch-up burst (drift ~ 0).
        #expect(run.result.pacing.behindNanos > 50_000_000)
        #expect(abs(run.result.pacing.driftNanos) < 50_000_000, "drift \(run.result.pacing.driftNanos / 1e6) ms")
    }

    @Test func tinyInFlightWindowStillDeliversEverything() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("tiny", partitions: 3)
        var plan = generatePlan(mock.bootstrapServers, topic: "tiny", count: 2000)
        plan.maxInFlight = 1
        plan.properties.append(ConfigProperty("linger.ms", "0", origin: "test"))
        let run = try emit(plan)
        #expect(run.allDelivered)
        #expect(Set(run.delivered.map(\.correlation)).count == 2000)
        try expectExactlyOnceInOrder(mock.bootstrapServers, topic: "tiny", count: 2000)
    }

    @Test func stopOnErrorStopsTheSource() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("stop", partitions: 1)
        var plan = generatePlan(mock.bootstrapServers, topic: "stop", count: 100_000)
        plan.pacing = .rate(2000)
        plan.properties.append(ConfigProperty("message.timeout.ms", "1000", origin: "test"))
        let run = BackgroundRun(plan)
        run.waitForResults(atLeast: 500)
        mock.setBrokerDown(1)
        let result = try run.wait()
        #expect(result.result.ending == .finished && result.result.failed + result.result.unknown > 0)
        // The source stopped long before 100k; every record sent still got its line (failed if
        // it never left, unknown if it was in flight when the broker went away).
        #expect(result.result.attempted < 20_000)
        #expect(result.lines.count == result.result.attempted)
        #expect(result.result.delivered + result.result.failed + result.result.unknown == result.result.attempted)
    }
}

