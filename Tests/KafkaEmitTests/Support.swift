import Foundation
import Synchronization
import Testing
@testable import KafkaEmit

/// One run of the library's emitter with stdout/stderr captured in temp files.
struct CapturedRun {
    var summary: RunSummary
    var stdout: String
    var stderr: String

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }

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
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-emit-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("out").path, err = dir.appendingPathComponent("err").path
    let outFD = open(out, O_CREAT | O_WRONLY | O_TRUNC, 0o644), errFD = open(err, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
    let summary: RunSummary
    do {
        defer { close(outFD); close(errFD) }
        summary = try Emitter(plan: plan, stop: stop, stdoutFD: outFD, stderrFD: errFD).run()
    }
    return CapturedRun(summary: summary,
                       stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
}

/// Runs `emit` on its own thread so a test can inject faults meanwhile.
final class BackgroundRun: Sendable {
    private final class Box: Sendable {
        let result = Mutex<Result<CapturedRun, any Error>?>(nil)
    }
    private let box = Box()
    private let thread: WorkerThread

    init(_ plan: EmitPlan, stop: StopSignal = StopSignal()) {
        let box = self.box
        let planBox = PlanBox(plan)
        thread = WorkerThread(name: "test-emit") {
            let r = Result { try emit(planBox.plan, stop: stop) }
            box.result.withLock { $0 = r }
        }
    }

    func wait() throws -> CapturedRun {
        thread.join()
        return try box.result.withLock { $0! }.get()
    }
}

final class PlanBox: Sendable {
    let plan: EmitPlan
    init(_ plan: EmitPlan) { self.plan = plan }
}

/// Reads a whole topic with kcat, the independent consumer.
func kcatRead(_ bootstrap: String, topic: String, format: String) throws -> Data {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["kcat", "-C", "-b", bootstrap, "-t", topic, "-e", "-q", "-f", format]
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

/// Checks a topic holds exactly `values` once each and that, within each partition,
/// records appear in the order they were sent (value index increasing).
func expectExactlyOnceInOrder(_ bootstrap: String, topic: String, count: Int) throws {
    let rows = try kcatLines(bootstrap, topic: topic, format: "%p %o %s")
    var seen = Set<Int>()
    var lastByPartition: [String: Int] = [:]
    var ordered = true
    for row in rows {
        let f = row.split(separator: " ")
        guard f.count == 3, let n = Int(f[2].dropFirst("event-".count)) else { Issue.record("bad row \(row)"); continue }
        #expect(!seen.contains(n), "duplicate \(n)")
        seen.insert(n)
        if let last = lastByPartition[String(f[0])], last > n { ordered = false }
        lastByPartition[String(f[0])] = n
    }
    #expect(rows.count == count, "kcat read \(rows.count) records")
    #expect(seen == Set(0..<count))
    #expect(ordered, "order within a partition was not preserved")
}
