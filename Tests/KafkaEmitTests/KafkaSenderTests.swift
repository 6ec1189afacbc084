import Synchronization
import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit

@Suite(.serialized) struct KafkaSenderTests {
    @Test func correlationMetadataComesBackWithEachResult() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("a", partitions: 2)
        mock.createTopic("b", partitions: 1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        let records = (0..<300).map { i -> SenderRecord<Int> in
            let value: [UInt8]? = i == 7 ? nil : Array("v\(i)".utf8)
            return SenderRecord(topic: i % 3 == 0 ? "b" : "a", key: Array("k\(i)".utf8), value: value,
                         headers: [RecordHeader("i", Array(String(i).utf8)), RecordHeader("nil", nil)],
                         correlationMetadata: i)
        }
        let results = Mutex<[Int: RecordMetadata]>([:])
        let summary = sender.send(records) { (r: SenderResult<Int>) in
            results.withLock { $0[r.correlationMetadata] = r.recordMetadata }
        }
        #expect(summary == SendSummary(delivered: 300, failed: 0))
        let got = results.withLock { $0 }
        #expect(got.count == 300)
        for (i, meta) in got { #expect(meta.topic == (i % 3 == 0 ? "b" : "a")) }
        let rows = try kcatLines(mock.bootstrapServers, topic: "b", format: "%k|%S|%h")
        #expect(rows.count == 100)
        #expect(rows.first == "k0|2|i=0,nil=NULL")
        let a = try kcatLines(mock.bootstrapServers, topic: "a", format: "%k|%S")
        #expect(a.contains("k7|-1"))
    }

    @Test func refusedRecordIsAFailedResult() throws {
        let mock = try MockCluster(brokers: 1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        let big = [UInt8](repeating: 0x41, count: 2_000_000)
        let failures = Mutex<[String]>([])
        let summary = sender.send([SenderRecord(topic: "t", key: nil, value: big, correlationMetadata: "big"),
                                   SenderRecord(topic: "t", key: nil, value: [1], correlationMetadata: "small")]) { (r: SenderResult<String>) in
            if let e = r.error { failures.withLock { $0.append("\(r.correlationMetadata):\(e.name):\(e.cause)") } }
        }
        #expect(summary == SendSummary(delivered: 1, failed: 1))
        #expect(failures.withLock { $0 } == ["big:MSG_SIZE_TOO_LARGE:recordTooLarge"])
    }

    /// SPEC §4: records in flight when their delivery timeout passes may have been stored —
    /// the broker took them and its answer is late — so their outcome is `unknown`, not
    /// `failed`; and the broker does have them.
    @Test func inFlightTimeoutIsUnknownNotFailed() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("late", partitions: 1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers,
                                                            properties: ["log_level": "0", "message.timeout.ms": "1500"]))
        // Connected first, on a fast broker; then every answer takes 3 s.
        #expect(sender.send([SenderRecord(topic: "late", key: nil, value: [0], correlationMetadata: -1)]) { (_: SenderResult<Int>) in }.delivered == 1)
        mock.setRoundTripTime(broker: 1, milliseconds: 3000)
        let outcomes = Mutex<[Int: SenderOutcome]>([:])
        let summary = sender.send((0..<5).map { SenderRecord(topic: "late", key: nil, value: Array("v\($0)".utf8), correlationMetadata: $0) }) {
            (r: SenderResult<Int>) in
            outcomes.withLock { $0[r.correlationMetadata] = r.outcome }
            if let e = r.error { #expect(e.possiblyPersisted == (r.outcome == .unknown)) }
        }
        mock.setRoundTripTime(broker: 1, milliseconds: 0)
        #expect(summary.unknown == 5, "\(summary)")
        #expect(summary.failed == 0 && summary.delivered == 0)
        #expect(outcomes.withLock { $0 }.values.allSatisfy { $0 == .unknown })
        // They landed: `failed` would have been a lie.
        let stored = try kcatLines(mock.bootstrapServers, topic: "late", format: "%s")
        #expect(Set(stored).isSuperset(of: (0..<5).map { "v\($0)" }))
    }
}

/// What `KafkaSender` gained from running the CLI's send loop: the connect timeout, fatal
/// errors that end the send, and purging when a stream's consumer goes away.
@Suite(.serialized) struct KafkaSenderLoopTests {
    static func record(_ i: Int, topic: String = "t") -> SenderRecord<Int> {
        SenderRecord(topic: topic, key: Array("k\(i)".utf8), value: Array("v\(i)".utf8), correlationMetadata: i)
    }

    @Test func noBrokerWithinConnectTimeoutFailsEveryRecord() throws {
        let mock = try MockCluster(brokers: 1)
        mock.setBrokerDown(1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"],
                                                            connectTimeout: .seconds(1)))
        let failures = Mutex<[String]>([])
        let started = Date()
        let summary = sender.send((0..<5).map { Self.record($0) }) { (r: SenderResult<Int>) in
            if let e = r.error { failures.withLock { $0.append(e.message) } }
        }
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(summary.delivered == 0 && summary.failed == 5)
        #expect(summary.stoppedBy?.cause == .brokerUnreachable, "\(String(describing: summary.stoppedBy))")
        #expect(failures.withLock { $0 }.allSatisfy { $0.contains("no broker reachable") })
    }

    @Test func fatalErrorStopsTheSendAndFailsWhatIsLeft() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("t", partitions: 1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        let results = Mutex<(delivered: Int, failed: Int)>((0, 0))
        let taken = Mutex(0)
        let records = (0..<200_000).lazy.map { i -> SenderRecord<Int> in
            taken.withLock { $0 += 1 }
            if i == 2000 { sender.injectFatalError("injected by the test") }
            return Self.record(i)
        }
        let summary = sender.send(records) { (r: SenderResult<Int>) in
            results.withLock { if r.error == nil { $0.delivered += 1 } else { $0.failed += 1 } }
        }
        #expect(summary.stoppedBy?.cause == .fatal)
        #expect(summary.stoppedBy?.message.contains("injected by the test") == true, "\(String(describing: summary.stoppedBy))")
        let r = results.withLock { $0 }
        // Purged in flight: unknown (possibly stored); purged from the queue: failed.
        #expect(r.delivered == summary.delivered && r.failed == summary.failed + summary.unknown)
        #expect(summary.failed + summary.unknown > 0)
        // The sequence stopped being read soon after; every record taken got one result.
        #expect(taken.withLock { $0 } < 200_000)
        #expect(summary.delivered + summary.failed + summary.unknown >= 2000)
    }

    @Test func leavingAStreamEarlyStopsTakingRecords() async throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("t", partitions: 1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        let taken = Mutex(0)
        let records = (0..<100_000).lazy.map { i -> SenderRecord<Int> in
            taken.withLock { $0 += 1 }
            return Self.record(i)
        }
        var seen = 0
        for try await _ in sender.send(records, bufferSize: 64) {
            seen += 1
            if seen == 10 { break }
        }
        try await Task.sleep(for: .milliseconds(200))
        // Taken: the buffer's worth beyond what was consumed, and one chunk read ahead (16).
        #expect(taken.withLock { $0 } <= 64 + 10 + 16, "\(taken.withLock { $0 }) records taken")
        // The shared sender goes on.
        let meta = try await sender.send(Self.record(-1))
        #expect(meta.topic == "t")
        await sender.close()
    }
}
