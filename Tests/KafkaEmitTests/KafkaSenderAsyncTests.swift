import Foundation
import Synchronization
import Testing
@_spi(Engine) @testable import KafkaEmit

/// The library's async face: many tasks on one sender, streams with bounded buffering,
/// typed errors, transactions over an async sequence of windows, stop and close.
@Suite(.serialized) struct KafkaSenderAsyncTests {
    static func record(_ i: Int, topic: String = "t") -> SenderRecord<Int> {
        SenderRecord(topic: topic, key: Array("k\(i)".utf8), value: Array("v\(i)".utf8), correlationMetadata: i)
    }

    @Test func manyTasksShareOneSender() async throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("many", partitions: 3)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        let landed = try await withThrowingTaskGroup(of: [RecordMetadata].self) { group in
            for task in 0..<200 {
                group.addTask {
                    var out: [RecordMetadata] = []
                    for i in 0..<10 {
                        out.append(try await sender.send(SenderRecord(topic: "many", key: "t\(task)".utf8, value: "v\(task)-\(i)".utf8)))
                    }
                    return out
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(landed.count == 2000)
        // Every record has its own place in the log.
        #expect(Set(landed.map { "\($0.partition)/\($0.offset)" }).count == 2000)
        await sender.close()
        #expect(try kcatLines(mock.bootstrapServers, topic: "many", format: "%s").count == 2000)
    }

    @Test func aStreamCarriesCorrelationAndKeepsItsBufferBounded() async throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("s", partitions: 2)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        let taken = Mutex(0)
        let records = (0..<1000).lazy.map { i -> SenderRecord<String> in
            taken.withLock { $0 += 1 }
            return SenderRecord(topic: "s", key: Array("k\(i)".utf8), value: Array("v\(i)".utf8), correlationMetadata: "order-\(i)")
        }
        let results = sender.send(records, bufferSize: 16)
        var iterator = results.makeAsyncIterator()
        let first = try await iterator.next()
        #expect(first?.correlationMetadata.hasPrefix("order-") == true)
        // A consumer that reads nothing for a while: the sender takes no more than the buffer.
        try await Task.sleep(for: .milliseconds(300))
        // The buffer, the batch of results the iterator took with the first one (a buffer's
        // worth at most), and one chunk read ahead (a quarter of the buffer) — not 1000.
        #expect(taken.withLock { $0 } <= 16 + 16 + 4, "\(taken.withLock { $0 }) taken with a buffer of 16")
        var seen = Set([first!.correlationMetadata])
        while let r = try await iterator.next() {
            #expect(r.outcome == .delivered)
            #expect(r.latency > .zero)
            seen.insert(r.correlationMetadata)
        }
        #expect(seen.count == 1000)
        #expect(results.summary == SendSummary(delivered: 1000))
        await sender.close()
    }

    @Test func errorsAreTypedAndSayNoFlag() async throws {
        let mock = try MockCluster(brokers: 1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        do {
            _ = try await sender.send(SenderRecord(topic: "t", key: nil, value: [UInt8](repeating: 1, count: 2_000_000)))
            Issue.record("a record over message.max.bytes was delivered")
        } catch {
            #expect(error.cause == .recordTooLarge)
            #expect(error.name == "MSG_SIZE_TOO_LARGE")
            #expect(!error.possiblyPersisted)
        }
        #expect(throws: KafkaSenderError.self) { _ = try sender.sendTransactionally([[Self.record(1)]]) { (_: SenderResult<Int>) in } }
        do {
            _ = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["acks": "banana"]))
            Issue.record("acks=banana was accepted")
        } catch {
            #expect(error.cause == .invalidConfiguration)
            #expect(!error.message.contains("--"), "a flag in a library error: \(error.message)")
        }
        do {
            _ = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["delivery.report.only.error": "true"]))
            Issue.record("delivery.report.only.error was accepted")
        } catch {
            #expect(!error.message.contains("-o none"), "a flag in a library error: \(error.message)")
        }
        await sender.close()
        do {
            _ = try await sender.send(Self.record(2))
            Issue.record("a closed sender sent")
        } catch {
            #expect(error.cause == .closed)
        }
        // Results can be made by hand, for users' own tests.
        let fake = SenderResult(correlationMetadata: 7, result: .success(RecordMetadata(topic: "t", partition: 0, offset: 1)), latency: .milliseconds(2))
        #expect(fake.outcome == .delivered && fake.recordMetadata?.offset == 1)
    }

    @Test func noBrokerFailsTheSendAndTheNextSendTriesAgain() async throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("t", partitions: 1)
        mock.setBrokerDown(1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"],
                                                            connectTimeout: .seconds(1)))
        do {
            _ = try await sender.send(Self.record(1))
            Issue.record("delivered to a broker that is down")
        } catch {
            #expect(error.cause == .brokerUnreachable, "\(error)")
        }
        mock.setBrokerUp(1)
        let meta = try await sender.send(Self.record(2))
        #expect(meta.topic == "t")
        await sender.close()
    }

    @Test func requestStopEndsStreamsAndEveryRecordTakenHasOneResult() async throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("t", partitions: 1)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers, properties: ["log_level": "0"]))
        let taken = Mutex(0)
        let records = (0..<2_000_000).lazy.map { i -> SenderRecord<Int> in
            taken.withLock { $0 += 1 }
            return Self.record(i)
        }
        let results = sender.send(records)
        var count = 0
        for try await r in results {
            count += 1
            if count == 1000 { sender.requestStop() }
            _ = r
        }
        let summary = results.summary
        #expect(summary.stoppedBy?.cause == .stopped, "\(summary)")
        #expect(count == summary.delivered + summary.failed + summary.unknown)
        #expect(count < 2_000_000)
        // Every record taken from the sequence has its result, but the chunk the feeder read
        // ahead when it stopped (256 records at most: they were never handed over).
        #expect(taken.withLock { $0 } - count <= 256, "\(taken.withLock { $0 }) taken, \(count) results")
        // Sends after a stop run again.
        #expect(try await sender.send(Self.record(-1)).topic == "t")
        await sender.close()
    }

    @Test func windowsFromAnAsyncSequenceCommitOrAbortWhole() async throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("txa", partitions: 2)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers,
                                                            properties: ["log_level": "0", "message.max.bytes": "1000"],
                                                            transactionalID: "tx-async"))
        func record(_ w: Int, _ i: Int, size: Int = 10) -> SenderRecord<String> {
            SenderRecord(topic: "txa", key: Array("k\(i)".utf8), value: [UInt8](repeating: 0x41, count: size), correlationMetadata: "w\(w)-\(i)")
        }
        let windows = AsyncStream<[SenderRecord<String>]> { c in
            c.yield((0..<20).map { record(1, $0) })
            c.yield((0..<20).map { record(2, $0, size: $0 == 10 ? 5000 : 10) })   // one too large: aborts
            c.yield((0..<20).map { record(3, $0) })
            c.finish()
        }
        var got: [String: SenderResult<String>] = [:]
        let results = try sender.sendTransactionally(windows)
        for try await r in results { got[r.correlationMetadata] = r }
        #expect(got.count == 60)
        #expect(results.summary.delivered == 40 && results.summary.failed == 20, "\(results.summary)")
        for (c, r) in got {
            if c.hasPrefix("w2") {
                #expect(r.error?.cause == .transactionFailed || r.error?.cause == .recordTooLarge, "\(c): \(String(describing: r.error))")
            } else {
                #expect(r.recordMetadata?.transaction == (c.hasPrefix("w1") ? 1 : 3), "\(c)")
            }
        }
        do {
            _ = try await sender.send(record(4, 0))
            Issue.record("a transactional sender sent outside a transaction")
        } catch {
            #expect(error.cause == .invalidUsage)
        }
        await sender.close()
    }
}
