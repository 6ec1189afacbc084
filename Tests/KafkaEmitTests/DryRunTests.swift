import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// `--dry-run` in process: the send loop with a producer that sends nowhere (no broker at
/// 127.0.0.1:1 is ever asked), rendering each record as it is "delivered".
@Suite struct DryRunTests {
    private func dryPlan(_ source: EmitPlan.Source = .generate, count: UInt64? = nil) -> EmitPlan {
        var plan = EmitPlan(topic: "dry", source: source)
        plan.bootstrapServers = "127.0.0.1:1"
        plan.connectTimeoutNanos = 100_000_000
        plan.dryRun = true
        plan.quiet = true
        plan.count = count
        return plan
    }

    private func inputFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("dry-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func rendersTheShardsRecordsInOrder() throws {
        var plan = dryPlan(count: 7)
        plan.shard = (index: 1, count: 3)
        let run = try emit(plan)
        #expect(run.result.dryRun && run.result.ending == .finished)
        #expect(run.result.attempted == 2)
        #expect(run.lines == ["record topic=dry partition=-1 key=1 value=event-1 correlation=1",
                              "record topic=dry partition=-1 key=4 value=event-4 correlation=4"])
        #expect(run.stderr.isEmpty)
    }

    @Test func malformedInputStopsUnlessToldToContinue() throws {
        let path = try inputFile("{\"payload\":\"a\"}\nnot json\n{\"payload\":\"b\"}\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var plan = dryPlan(.lines(path: path, delimiter: [10], keyDelimiter: nil, format: .json))
        plan.output = .custom("%v\\n")
        let stopped = try emit(plan)
        #expect(stopped.lines == ["a"])
        #expect(stopped.result.attempted == 1)
        guard case .inputError(.dataError(let why)) = stopped.result.ending else {
            Issue.record("ending \(stopped.result.ending)")
            return
        }
        #expect(why.hasSuffix("; fix the input, or pass --continue-on-error"))

        plan.stopOnError = false
        let continued = try emit(plan)
        #expect(continued.result.ending == .finished)
        #expect(continued.lines == ["a", "b"])
        #expect(continued.result.attempted == 2 && continued.result.failed == 0)
        #expect(continued.stderr.hasPrefix("kafka-emit: input line 2 ({i}=1): "))
    }

    /// A record only a send would refuse (too large) is shown on stderr and skipped, and the
    /// dry run goes on: under stop-on-error too.
    @Test func oversizedRecordIsSkipped() throws {
        let path = try inputFile("a\n" + String(repeating: "x", count: 2000) + "\nb\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var plan = dryPlan(.lines(path: path, delimiter: [10], keyDelimiter: nil, format: .lines))
        plan.properties = [ConfigProperty("message.max.bytes", "1000", origin: "test")]
        plan.output = .custom("%v %c\\n")
        let run = try emit(plan)
        #expect(run.result.ending == .finished)
        #expect(run.lines == ["a 0", "b 2"])
        #expect(run.stderr.contains("too large: more than message.max.bytes (1000) bytes"))
    }
}
