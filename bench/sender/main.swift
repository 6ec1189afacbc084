// The library's throughput, closed loop (`make bench` runs it through bench/sender.sh):
//   tasks T N    T tasks, each awaiting one `send(record)` after another, N records in all
//   stream N     one task sending N records through `send(_:)` (records in, results out)
//   make N       only making the N records (the floor of any stream of them)
// against the broker at $1. Prints one line: "<mode> <tasks> <records> <seconds> <records/s>".
// Records are the CLI's generate mode's shape (key = the number, value `event-{i}-{rand:1000}`)
// so the figures compare with `kafka-emit -n N --value 'event-{i}-{rand:1000}'`.
import Foundation
import KafkaEmit
import Synchronization

let args = CommandLine.arguments
guard args.count >= 4, let n = Int(args.last!) else {
    print("usage: kafka-sender-bench BOOTSTRAP tasks T N | BOOTSTRAP stream N")
    exit(64)
}
let bootstrap = args[1]
let mode = args[2]
// KE_PROPS='debug=broker;enable.sparse.connections=false': librdkafka properties (diagnosing a run).
var props: [String: String] = [:]
for kv in (ProcessInfo.processInfo.environment["KE_PROPS"] ?? "").split(separator: ";") {
    let p = kv.split(separator: "=", maxSplits: 1)
    if p.count == 2 { props[String(p[0])] = String(p[1]) }
}
func fail(_ what: String, _ error: any Error) -> Never {
    FileHandle.standardError.write(Data("kafka-sender-bench: \(what): \(error)\n".utf8))
    exit(69)
}
let sender: KafkaSender
do { sender = try KafkaSender(options: SenderOptions(bootstrapServers: bootstrap, properties: props)) } catch { fail("cannot make a sender", error) }

// A cheap seeded generator, as the command's {rand} is (the system one is a syscall a call).
nonisolated(unsafe) var rng = UInt64(42)
func rand1000() -> Int {
    rng &+= 0x9E37_79B9_7F4A_7C15
    var z = rng
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int((z ^ (z >> 31)) % 1000)
}

/// Appends `n`'s decimal digits (n ≥ 0).
@inline(__always) func appendDigits(_ n: Int, to out: inout [UInt8]) {
    var buf: (UInt64, UInt64, UInt64) = (0, 0, 0)
    var len = 0
    withUnsafeMutableBytes(of: &buf) { b in
        var v = n
        repeat { len += 1; b[24 - len] = UInt8(48 + v % 10); v /= 10 } while v > 0
        out.append(contentsOf: b[(24 - len)...])
    }
}

// Bytes built directly (a user who cares about speed would; String interpolation and its
// UTF-8 copy cost more than the library's whole per-record work).
let topic = "bench"
let prefix = Array("event-".utf8)
func record(_ i: Int) -> SenderRecord<Int> {
    var key: [UInt8] = []
    key.reserveCapacity(20)
    appendDigits(i, to: &key)
    var value = prefix
    value.reserveCapacity(32)
    value.append(contentsOf: key)
    value.append(UInt8(ascii: "-"))
    appendDigits(rand1000(), to: &value)
    return SenderRecord(topic: topic, key: key, value: value, correlationMetadata: i)
}
let buffer = ProcessInfo.processInfo.environment["BUFFER"].flatMap { Int($0) }

// Connected first, as the CLI's figures include connecting but not a cold librdkafka start.
do { _ = try await sender.send(SenderRecord(topic: "bench", key: nil, value: [0])) } catch { fail("no first record through \(bootstrap)", error) }

let clock = ContinuousClock()
let started = clock.now
var tasks = 1
var delivered = 0
switch mode {
case "tasks":
    tasks = Int(args[3])!
    let each = n / tasks
    delivered = try await withThrowingTaskGroup(of: Int.self) { group in
        for t in 0..<tasks {
            group.addTask {
                var ok = 0
                for k in 0..<each {
                    _ = try await sender.send(record(t * each + k))
                    ok += 1
                }
                return ok
            }
        }
        var total = 0
        for try await ok in group { total += ok }
        return total
    }
case "stream":
    let results = sender.send((0..<n).lazy.map(record), bufferSize: buffer)
    for try await r in results where r.outcome == .delivered { delivered += 1 }
case "make":
    // The floor: only making the records (what any stream of them costs before sending).
    for i in 0..<n {
        let r = record(i)
        delivered &+= (r.value?.count ?? 0) > 0 ? 1 : 0
    }
default:
    print("unknown mode \(mode)")
    exit(64)
}
let elapsed = clock.now - started
await sender.close()
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
print("\(mode) \(tasks) \(delivered) \(String(format: "%.3f", seconds)) \(Int(Double(delivered) / seconds))")
if delivered != (mode == "tasks" ? (n / tasks) * tasks : n) { exit(1) }
