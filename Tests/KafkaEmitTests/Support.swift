import Foundation
import Synchronization
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

/// One run of the CLI's emitter in this process, with stdout/stderr captured in temp files.
final class TestRun: Sendable {
    let plan: EmitPlan
    let stop: StopSignal
    private let dir: URL
    let outPath: String
    let errPath: String

    init(_ plan: EmitPlan, stop: StopSignal = StopSignal()) {
        self.plan = plan
        self.stop = stop
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-emit-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        outPath = dir.appendingPathComponent("out").path
        errPath = dir.appendingPathComponent("err").path
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func run() throws -> CapturedRun {
        let outFD = open(outPath, O_CREAT | O_WRONLY | O_TRUNC, 0o644), errFD = open(errPath, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        let result: RunResult
        do {
            defer { close(outFD); close(errFD) }
            result = try EmitRun(plan: plan, stop: stop, stdoutFD: outFD, stderrFD: errFD).run()
        }
        return CapturedRun(result: result,
                           stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                           stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// Result lines written so far (the writer flushes whenever the reporter goes idle).
    var linesSoFar: Int {
        guard let data = FileManager.default.contents(atPath: outPath) else { return 0 }
        return data.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }
}

struct CapturedRun {
    var result: RunResult
    var stdout: String
    var stderr: String

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    /// Every record delivered: what the CLI reports as exit 0.
    var allDelivered: Bool { result.ending == .finished && result.failed == 0 }

    /// Parsed `delivered` lines: (partition, offset, correlation).
    var delivered: [(partition: Int, offset: Int, correlation: String)] {
        lines.filter { $0.hasPrefix("delivered ") }.map { line in
            var f: [String: String] = [:]
            for part in line.split(separator: " ").dropFirst() {
                if let eq = part.firstIndex(of: "=") { f[String(part[..<eq])] = String(part[part.index(after: eq)...]) }
            }
            return (Int(f["partition"] ?? "") ?? -9, Int(f["offset"] ?? "") ?? -9, f["correlation"] ?? "")
        }
    }
}

func emit(_ plan: EmitPlan, stop: StopSignal = StopSignal()) throws -> CapturedRun {
    try TestRun(plan, stop: stop).run()
}

/// Runs a plan on its own thread so a test can inject faults meanwhile.
final class BackgroundRun: Sendable {
    private final class Outcome: Sendable {
        let value = Mutex<Result<CapturedRun, any Error>?>(nil)
    }
    private let run: TestRun
    private let outcome = Outcome()
    private let thread: WorkerThread

    init(_ plan: EmitPlan, stop: StopSignal = StopSignal()) {
        let run = TestRun(plan, stop: stop)
        self.run = run
        let outcome = self.outcome
        thread = try! WorkerThread(name: "test-emit") {
            let r = Result { try run.run() }
            outcome.value.withLock { $0 = r }
        }
    }

    /// Waits until at least `n` result lines were written (or 30 s pass, which fails the test).
    func waitForResults(atLeast n: Int) {
        #expect(waitUntil(seconds: 30) { run.linesSoFar >= n }, "only \(run.linesSoFar) result lines after 30 s")
    }

    func wait() throws -> CapturedRun {
        thread.join()
        return try outcome.value.withLock { $0! }.get()
    }
}

/// Polls `condition` every 5 ms until it holds; false after `seconds`.
func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > deadline { return false }
        usleep(5_000)
    }
    return true
}

/// Keeps an injected fault in place for this long: the scenario's duration, not a wait for
/// another thread.
func holdFault(seconds: Double) { usleep(UInt32(seconds * 1e6)) }

/// Reads a whole topic with kcat, the independent consumer.
func kcatRead(_ bootstrap: String, topic: String, format: String, extra: [String] = []) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["kcat", "-C", "-b", bootstrap, "-t", topic, "-e", "-q", "-f", format] + extra
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "kcat exited \(p.terminationStatus)")
    return data
}

func kcatLines(_ bootstrap: String, topic: String, format: String) throws -> [String] {
    String(decoding: try kcatRead(bootstrap, topic: topic, format: format + "\n"), as: UTF8.self)
        .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

func generatePlan(_ bootstrap: String, topic: String, count: UInt64) -> EmitPlan {
    var plan = EmitPlan(topic: topic)
    plan.bootstrapServers = bootstrap
    plan.count = count
    plan.quiet = true
    plan.connectTimeoutNanos = 5_000_000_000
    plan.properties = [ConfigProperty("enable.idempotence", "true", origin: "test"), ConfigProperty("log_level", "0", origin: "test")]
    return plan
}

/// Checks a topic holds the records `event-0..<count` at most once each and that, within each
/// partition, they appear in the order they were sent. `complete`: every one of them is there.
/// (librdkafka 2.0.2's mock can drop a batch it accepted after retriable Produce errors, such
/// as those a leader move or an outage causes — SPEC §6 — so fault tests count nothing.)
/// `afterOutage`: brokers went down with requests in flight, so librdkafka resends batches the
/// mock may already have appended; the 2.0.2 mock acks such a duplicate but then moves its
/// sequence window back to it (`rd_kafka_mock_partition_log_append`'s pid check updates the
/// window after `is_dupd`), so the next resent batch passes as new and lands twice. Its log can
/// then hold repeats out of order that no client caused: only "nothing that was never sent" is
/// checked there (the client side — one result per record — is checked by the caller).
func expectExactlyOnceInOrder(_ bootstrap: String, topic: String, count: Int, complete: Bool = true,
                              afterOutage: Bool = false) throws {
    let rows = try kcatLines(bootstrap, topic: topic, format: "%p %o %s")
    var seen = Set<Int>()
    var duplicates = 0
    var lastByPartition: [String: Int] = [:]
    var ordered = true
    for row in rows {
        let f = row.split(separator: " ")
        guard f.count == 3, let n = Int(f[2].dropFirst("event-".count)) else { Issue.record("bad row \(row)"); continue }
        if !seen.insert(n).inserted { duplicates += 1 }
        if let last = lastByPartition[String(f[0])], last > n { ordered = false }
        lastByPartition[String(f[0])] = n
    }
    #expect(afterOutage || duplicates == 0, "\(duplicates) duplicates")
    #expect(seen.isSubset(of: Set(0..<count)), "records that were never sent")
    if complete {
        let missing = Set(0..<count).subtracting(seen)
        #expect(missing.isEmpty, "\(missing.count) records missing, e.g. \(missing.sorted().prefix(10))")
    }
    #expect(afterOutage || ordered, "order within a partition was not preserved")
}
