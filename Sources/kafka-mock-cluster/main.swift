// kafka-mock-cluster: librdkafka's mock cluster as a standalone process, for smoke tests
// and local demos. Prints the bootstrap list as its first stdout line, then serves until
// SIGINT/SIGTERM, or until its stdin (a pipe or terminal) ends. Lines on stdin inject faults:
//   down ID | up ID | rtt ID MS | leader TOPIC PARTITION ID | errors COUNT CODE|NAME [APIKEY] | topic NAME PARTITIONS
import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

let usage = """
usage: kafka-mock-cluster [--brokers N] [--topic NAME:PARTITIONS]... [--rtt-ms MS]
  Serves a librdkafka mock Kafka cluster on loopback. First stdout line: the bootstrap list.
  Stops on SIGINT/SIGTERM or when stdin (pipe/terminal) ends. Commands on stdin:
    down ID | up ID | rtt ID MS | leader TOPIC PARTITION ID | errors COUNT CODE|NAME [APIKEY] | topic NAME PARTITIONS

"""

func die(_ message: String) -> Never {
    writeAll(2, "kafka-mock-cluster: \(message)\n")
    exit(64)
}

var brokers = 3
var topics: [(String, Int)] = []
var rttMs: Int?
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    switch a {
    case "--brokers":
        guard let v = args.popFirst(), let n = Int(v), n >= 1, n <= 32 else { die("--brokers needs a number from 1 to 32") }
        brokers = n
    case "--topic":
        guard let v = args.popFirst(), let colon = v.lastIndex(of: ":"), let p = Int(v[v.index(after: colon)...]), (1...100_000).contains(p) else {
            die("--topic needs NAME:PARTITIONS, e.g. --topic orders:3")
        }
        topics.append((String(v[..<colon]), p))
    case "--rtt-ms":
        guard let v = args.popFirst(), let n = Int(v), (0...1_000_000).contains(n) else { die("--rtt-ms needs a number of milliseconds (0 to 1000000)") }
        rttMs = n
    case "-h", "--help":
        writeAll(1, usage)
        exit(0)
    default:
        die("unknown argument '\(a)'\n\(usage)")
    }
}

// Block the stop signals before any thread starts, then wait for them with sigwait.
var stopSet = sigset_t()
sigemptyset(&stopSet)
sigaddset(&stopSet, SIGINT)
sigaddset(&stopSet, SIGTERM)
pthread_sigmask(SIG_BLOCK, &stopSet, nil)
signal(SIGPIPE, SIG_IGN)

let cluster: MockCluster
do {
    cluster = try MockCluster(checkedBrokers: brokers)
} catch {
    die(error.message)
}
for (name, partitions) in topics {
    if !cluster.createTopic(name, partitions: partitions) { die("cannot create topic \(name)") }
}
if let rttMs {
    for id in cluster.brokerIDs { cluster.setRoundTripTime(broker: id, milliseconds: rttMs) }
}
writeAll(1, cluster.bootstrapServers + "\n")

func handle(_ line: String) -> String {
    let w = line.split(separator: " ").map(String.init)
    guard let cmd = w.first else { return "" }
    switch (cmd, w.count) {
    case ("down", 2): if let id = Int32(w[1]) { cluster.setBrokerDown(id); return "ok" }
    case ("up", 2): if let id = Int32(w[1]) { cluster.setBrokerUp(id); return "ok" }
    case ("rtt", 3): if let id = Int32(w[1]), let ms = Int32(w[2]), ms >= 0 { cluster.setRoundTripTime(broker: id, milliseconds: Int(ms)); return "ok" }
    case ("leader", 4): if let p = Int32(w[2]), p >= 0, let id = Int32(w[3]) { cluster.setPartitionLeader(topic: w[1], partition: p, broker: id); return "ok" }
    case ("errors", _) where w.count >= 3 && LibrdkafkaInfo.errorCode(named: w[2]) == nil:
        return "error: '\(w[2])' is no librdkafka error name or code (e.g. REQUEST_TIMED_OUT or 7)"
    case ("errors", 3):
        if let n = Int(w[1]), (0...100_000).contains(n), let code = LibrdkafkaInfo.errorCode(named: w[2]) {
            cluster.pushProduceErrors(Array(repeating: code, count: n)); return "ok"
        }
    case ("errors", 4):
        if let n = Int(w[1]), (0...100_000).contains(n), let code = LibrdkafkaInfo.errorCode(named: w[2]), let api = Int16(w[3]), api >= 0 {
            cluster.pushRequestErrors(apiKey: api, Array(repeating: code, count: n)); return "ok"
        }
    case ("topic", 3): if let p = Int(w[2]), (1...100_000).contains(p) { return cluster.createTopic(w[1], partitions: p) ? "ok" : "error: cannot create" }
    default: break
    }
    return "error: unknown command '\(line)'"
}

var st = stat()
fstat(0, &st)
let stdinIsPipe = (st.st_mode & S_IFMT) == S_IFIFO
if stdinIsPipe || isatty(0) == 1 {
    _ = try? WorkerThread(name: "mock-stdin") {
        let input = fdopen(0, "r")
        var lineBuf: UnsafeMutablePointer<CChar>?
        var cap = 0
        while getline(&lineBuf, &cap, input) >= 0 {
            let line = String(cString: lineBuf!).trimmingCharacters()
            if line.isEmpty { continue }
            writeAll(1, handle(line) + "\n")
        }
        kill(getpid(), SIGTERM)
    }
}

var sig: Int32 = 0
sigwait(&stopSet, &sig)
exit(0)

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == "\r" || l == " " { s = s.dropLast() }
        while let f = s.first, f == " " { s = s.dropFirst() }
        return String(s)
    }
}
