import Foundation
import Synchronization
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// Transactional sending against librdkafka 2.0.2's mock cluster. That mock writes no
/// transaction markers and ignores isolation.level (research notes: rdkafka_mock_handlers.c),
/// so a read_committed read-back shows aborted records too: these tests check that committed
/// records are all there, exactly once, and judge aborts by the result lines.
@Suite(.serialized) struct TransactionTests {
    func plan(_ mock: MockCluster, topic: String, count: UInt64, window: Int) -> EmitPlan {
        var p = generatePlan(mock.bootstrapServers, topic: topic, count: count)
        p.transactionalID = "tx-\(topic)"
        p.transactionRecords = window
        p.properties.append(ConfigProperty("transactional.id", "tx-\(topic)", origin: "test"))
        return p
    }

    /// Parsed result lines: correlation → (delivered, txn or nil).
    func results(_ run: CapturedRun) -> [String: (delivered: Bool, txn: Int?)] {
        var out: [String: (Bool, Int?)] = [:]
        for line in run.lines {
            var f: [String: String] = [:]
            for part in line.split(separator: " ").dropFirst() {
                if let eq = part.firstIndex(of: "=") { f[String(part[..<eq])] = String(part[part.index(after: eq)...]) }
            }
            out[f["correlation"] ?? "?"] = (line.hasPrefix("delivered "), f["txn"].flatMap { Int($0) })
        }
        return out
    }

    func readCommitted(_ mock: MockCluster, _ topic: String) throws -> [String] {
        String(decoding: try kcatRead(mock.bootstrapServers, topic: topic, format: "%p %o %s\n",
                                      extra: ["-X", "isolation.level=read_committed"]), as: UTF8.self)
            .split(separator: "\n").map(String.init)
    }

    @Test func windowsCommitAndEveryRecordIsReadBack() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("txw", partitions: 3)
        let run = try emit(plan(mock, topic: "txw", count: 2500, window: 1000))
        #expect(run.allDelivered, "\(run.stderr)")
        #expect(run.result.transactions?.committed == 3 && run.result.transactions?.aborted == 0)
        let r = results(run)
        #expect(r.count == 2500 && r.values.allSatisfy { $0.delivered })
        // Records 0..999 in transaction 1, 1000..1999 in 2, the rest in 3.
        for (c, v) in r { #expect(v.txn == Int(c)! / 1000 + 1, "record \(c) in txn \(String(describing: v.txn))") }
        try expectExactlyOnceInOrder(mock.bootstrapServers, topic: "txw", count: 2500)
        #expect(try readCommitted(mock, "txw").count == 2500)
    }

    @Test func aFailedRecordAbortsItsWindowOnly() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("txa", partitions: 1)
        // Line 1500 is larger than message.max.bytes: it can never be sent.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("txa-\(UUID().uuidString)").path
        var text = ""
        for i in 0..<3000 { text += i == 1500 ? String(repeating: "x", count: 5000) + "\n" : "event-\(i)\n" }
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        for continueOnError in [false, true] {
            mock.createTopic("txa\(continueOnError)", partitions: 1)
            var lp = plan(mock, topic: "txa\(continueOnError)", count: 3000, window: 1000)
            lp.source = .lines(path: file, delimiter: [0x0A], keyDelimiter: nil, format: .lines)
            lp.key = nil
            lp.value = try Template.parse("{line}", flag: "--value")
            lp.stopOnError = !continueOnError
            lp.properties.append(ConfigProperty("message.max.bytes", "1000", origin: "test"))
            let run = try emit(lp)
            let r = results(run)
            // Window 2 (records 1000..1500) aborted whole; window 1 committed.
            for i in 0..<1000 { #expect(r["\(i)"]?.delivered == true && r["\(i)"]?.txn == 1) }
            for i in 1000...1500 { #expect(r["\(i)"]?.delivered == false, "record \(i)") }
            #expect(run.lines.filter { $0.contains("transaction 2 aborted") }.count == 501)
            if continueOnError {
                // Later windows go on: 1501..2500 and 2501..2999.
                #expect(r.count == 3000)
                for i in 1501..<3000 { #expect(r["\(i)"]?.delivered == true, "record \(i)") }
                #expect(run.result.transactions?.committed == 3 && run.result.transactions?.aborted == 1)
            } else {
                #expect(r.count == 1501, "the run stopped after the aborted window")
                #expect(run.result.transactions?.aborted == 1)
            }
            #expect(run.result.failed == 501 && run.result.ending == .finished)
            // Everything committed is there, once.
            let back = Set(try readCommitted(mock, "txa\(continueOnError)").map { $0.split(separator: " ").last.map(String.init) ?? "" })
            for (c, v) in r where v.delivered { #expect(back.contains("event-\(c)"), "committed record \(c) missing") }
        }
    }

    @Test func fencingFailsTheOpenWindowAndEndsTheRun() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("txf", partitions: 1)
        // The mock does not fence a second producer itself; its coordinator answers the
        // commit as a broker does for a fenced one.
        mock.pushRequestErrors(apiKey: MockCluster.apiEndTxn, [MockCluster.errProducerFenced])
        var p = plan(mock, topic: "txf", count: 500, window: 100)
        p.quiet = false
        let run = try emit(p)
        let r = results(run)
        #expect(run.result.ending == .fatalError)
        #expect(r.count == 100 && r.values.allSatisfy { !$0.delivered }, "\(run.lines.prefix(2))")
        #expect(run.lines.first?.contains("the producer was fenced: another producer uses transactional.id 'tx-txf'") == true, "\(run.lines.first ?? "")")
        #expect(run.result.transactions?.committed == 0 && run.result.transactions?.aborted == 1)
    }

    @Test func coordinatorFaultsEndEveryRecordDeliveredOrFailed() throws {
        let mock = try MockCluster(brokers: 3)
        mock.createTopic("txc", partitions: 3)
        // Retriable: the commits still succeed. Then one abortable EndTxn error: that window aborts.
        mock.pushRequestErrors(apiKey: MockCluster.apiEndTxn, [MockCluster.errCoordinatorNotAvailable, MockCluster.errNotCoordinator])
        mock.pushRequestErrors(apiKey: MockCluster.apiAddPartitionsToTxn, [MockCluster.errCoordinatorNotAvailable])
        var p = plan(mock, topic: "txc", count: 2000, window: 500)
        p.stopOnError = false
        let first = try emit(p)
        #expect(first.allDelivered, "\(first.stderr)")
        #expect(first.result.transactions?.committed == 4)
        mock.pushRequestErrors(apiKey: MockCluster.apiEndTxn, [MockCluster.errInvalidMessageSize])
        let second = try emit(p)
        let r = results(second)
        #expect(r.count == 2000, "every record has its line")
        #expect(second.result.transactions?.aborted == 1 && second.result.transactions?.committed == 3)
        #expect(r.values.filter { !$0.delivered }.count == 500)
        let back = try readCommitted(mock, "txc")
        #expect(Set(back).count == back.count, "duplicates in the log")
        #expect(back.count >= 2000 + 1500, "committed records missing: \(back.count)")
    }

    @Test func libraryWindowsCommitOrAbortWhole() throws {
        let mock = try MockCluster(brokers: 1)
        mock.createTopic("txl", partitions: 2)
        let sender = try KafkaSender(options: SenderOptions(bootstrapServers: mock.bootstrapServers,
                                                            properties: ["log_level": "0", "message.max.bytes": "1000"],
                                                            transactionalID: "tx-library"))
        func record(_ w: Int, _ i: Int, size: Int = 10) -> SenderRecord<String> {
            SenderRecord(topic: "txl", key: Array("k\(i)".utf8), value: [UInt8](repeating: 0x41, count: size), correlationMetadata: "w\(w)-\(i)")
        }
        let windows = [(0..<20).map { record(1, $0) },
                       (0..<20).map { record(2, $0, size: $0 == 10 ? 5000 : 10) },   // one too large: aborts
                       (0..<20).map { record(3, $0) }]
        let results = Mutex<[String: SenderResult<String>]>([:])
        let summary = try sender.sendTransactionally(windows) { (r: SenderResult<String>) in
            results.withLock { $0[r.correlationMetadata] = r }
        }
        let got = results.withLock { $0 }
        #expect(summary.delivered == 40 && summary.failed == 20, "\(summary)")
        #expect(got.count == 60)
        for (c, r) in got {
            if c.hasPrefix("w2") {
                #expect(r.error?.message.contains("transaction 2 aborted") == true, "\(c): \(String(describing: r.error))")
            } else {
                #expect(r.recordMetadata?.transaction == (c.hasPrefix("w1") ? 1 : 3), "\(c)")
            }
        }
    }
}
