import Foundation
import Testing

/// The built binaries, found from this file's place in the package.
enum Binaries {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["KAFKA_EMIT_BIN"] { return URL(fileURLWithPath: dir) }
        return root.appendingPathComponent(".build/debug")
    }
    static var emit: String { directory.appendingPathComponent("kafka-emit").path }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var seconds: Double
}

/// Runs the real binary with arguments and optional stdin; asserts nothing itself.
func runEmit(_ args: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Binaries.emit)
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "KAFKA_BOOTSTRAP_SERVERS")
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = stdin == nil ? FileHandle.nullDevice : inp
    let start = Date()
    try p.run()
    if let stdin {
        inp.fileHandleForWriting.write(stdin)
        try? inp.fileHandleForWriting.close()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return ProcessResult(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                         stderr: String(decoding: e, as: UTF8.self), seconds: Date().timeIntervalSince(start))
}

struct BadInput: Sendable, CustomTestStringConvertible {
    var args: [String]
    var code: Int32
    var mentions: String
    var stdin: String? = nil
    var testDescription: String { args.joined(separator: " ") }
}

@Suite struct BadInputTests {
    static let table: [BadInput] = [
        BadInput(args: ["--mock", "-t", "x", "--every", "100"], code: 64, mentions: "--every: '100' has no unit; write 100ms or 100s"),
        BadInput(args: ["--mock", "-t", "x", "-n", "5", "--duration", "10"], code: 64, mentions: "--duration: '10' has no unit"),
        BadInput(args: ["--mock", "-t", "x", "--every", "0ms"], code: 64, mentions: "must be positive"),
        BadInput(args: ["--mock", "-t", "x", "--every", "fast"], code: 64, mentions: "not a duration"),
        BadInput(args: ["--mock", "-t", "x", "-n", "-5"], code: 64, mentions: "-5"),
        BadInput(args: ["--mock", "-t", "x", "-n", "0"], code: 64, mentions: "--count: '0' is not a positive whole number"),
        BadInput(args: ["--mock", "-t", "x", "-n", "ten"], code: 64, mentions: "--count: 'ten'"),
        BadInput(args: ["--mock", "-t", "x", "--rate", "0"], code: 64, mentions: "--rate: '0'"),
        BadInput(args: ["--mock", "-t", "x", "--rate", "-100"], code: 64, mentions: "--rate"),
        BadInput(args: ["--mock", "-t", "x", "--rate", "lots"], code: 64, mentions: "--rate: 'lots'"),
        BadInput(args: ["--mock", "-t", "x", "--every", "1ms", "--rate", "100"], code: 64, mentions: "--every and --rate"),
        BadInput(args: ["--mock", "-t", "x", "--rate", "1e-300"], code: 64, mentions: "--rate: 1e-300 is out of range"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--connect-timeout", "0s"], code: 64, mentions: "--connect-timeout: '0s' must be positive"),
        BadInput(args: ["--mock", "-t", "x", "-n", "99999999999999999999999"], code: 64, mentions: "--count"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--mock-brokers", "0"], code: 64, mentions: "--mock-brokers: '0' is out of range"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--max-in-flight", "0"], code: 64, mentions: "--max-in-flight: '0' is out of range"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--every", "99999999h"], code: 64, mentions: "--every: '99999999h' is too long"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "--input-format", "xml"], code: 64, mentions: "--input-format: 'xml'"),
        BadInput(args: ["-t", "x", "-n", "1", "--mock-brokers", "2"], code: 64, mentions: "--mock-brokers sizes the embedded cluster; add --mock"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--seed", "-1"], code: 64, mentions: "--seed: '-1' is not a whole number"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--linger", "1h"], code: 64, mentions: "--linger: '1h' is too long"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--delivery-timeout", "600h"], code: 64, mentions: "--delivery-timeout: '600h' is too long"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "batch.num.messages=0"], code: 64, mentions: "outside allowed range 1..1000000; check the value"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "acks=1", "--idempotent"], code: 64, mentions: "use --no-idempotent"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "delivery.report.only.error=true"], code: 64, mentions: "needs a delivery report for every record"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "delivery.report.only.error=T"], code: 64, mentions: "needs a delivery report for every record"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--stats-interval", "5"], code: 64, mentions: "--stats-interval: '5' has no unit"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--value", "{idx}"], code: 64, mentions: "unknown placeholder {idx}; known: {i}"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--key", "{rand:0}"], code: 64, mentions: "--key: {rand:0} needs a positive upper bound"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--value", "{i:99}"], code: 64, mentions: "width from 1 to 20"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--value", "{int:5:1}"], code: 64, mentions: "--value: {int:5:1} needs two integers MIN:MAX with MIN ≤ MAX (both included), e.g. {int:1:100}"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-k", "{zipf:0:1}"], code: 64, mentions: "--key: {zipf:0:1} needs N:S"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-H", "h={weighted:a=x}"], code: 64, mentions: "--header h: {weighted:a=x} needs ITEM=WEIGHT"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--value", "{float:1:2:99}"], code: 64, mentions: "e.g. {float:0:100:2}"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--let", "a=1", "-k", "{ref:b}"], code: 64, mentions: "--key: {ref:b} names no --let; defined: a"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--let", "a={ref:b}", "--let", "b=1"], code: 64, mentions: "--let a: {ref:b} names a --let given after it"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--let", "9a=1"], code: 64, mentions: "--let '9a=1': write NAME=TEMPLATE"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--value", "{line:/nonexistent/pool.txt}"], code: 66,
                 mentions: "--value: {line:FILE} '/nonexistent/pool.txt': No such file or directory; check the path"),
        BadInput(args: ["--mock", "-n", "1"], code: 64, mentions: "missing --topic"),
        BadInput(args: ["--mock", "-t", "x"], code: 64, mentions: "needs a bound: add --count N"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "no.such.property=1"], code: 64, mentions: "-X no.such.property: librdkafka refused it"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "linger.ms=banana"], code: 64, mentions: "-X linger.ms=banana"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "novalue"], code: 64, mentions: "-X argument 1: write KEY=VALUE"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--acks", "2"], code: 64, mentions: "--acks: '2' is not valid; use all, -1, 1 or 0"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-z", "brotli"], code: 64, mentions: "--compression: 'brotli'"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-p", "-2"], code: 64, mentions: "--partition: '-2' is not a partition number"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-p", "two"], code: 64, mentions: "--partition: 'two'"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-K", ":", "a.txt"], code: 64, mentions: "--key-delimiter splits lines; FILE arguments are sent whole"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-H", "=value"], code: 64, mentions: "--header '=value': the name is missing"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-o", "xml"], code: 64, mentions: "--output: 'xml'"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--output-format", "%q"], code: 64, mentions: "--output-format: unknown token '%q'"),
        BadInput(args: ["--mock", "-t", "bad topic!", "-n", "1"], code: 64, mentions: "--topic"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--acks", "1", "--idempotent"], code: 64, mentions: "conflicts with --idempotent"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "-D", "\\q"], code: 64, mentions: "--delimiter: unknown escape"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--value", "{line}"], code: 64, mentions: "{line} needs an input; add --input FILE"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--no-such-flag"], code: 64, mentions: "--no-such-flag"),
        BadInput(args: ["--mock", "-t", "x", "-i", "/nonexistent/file.txt"], code: 66, mentions: "--input '/nonexistent/file.txt': No such file"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-F", "/nonexistent.properties"], code: 66, mentions: "--config-file '/nonexistent.properties'"),
        BadInput(args: ["-b", "127.0.0.1:1", "-t", "x", "-n", "2", "--connect-timeout", "1s", "-q"], code: 69, mentions: "no broker reachable at 127.0.0.1:1 within 1s"),
        // habits and contradictions (SPEC §2): one line, exit 64, nothing sent
        BadInput(args: ["--mock", "-t", "x", "-i", "a.txt", "-i", "b.txt"], code: 64, mentions: "two inputs (-i 'a.txt' and -i 'b.txt')"),
        BadInput(args: ["--mock", "-t", "x", "-l", "a.txt", "--input", "b.txt"], code: 64, mentions: "two inputs"),
        BadInput(args: ["--mock", "-t", "a", "-t", "b", "-n", "1"], code: 64, mentions: "-t given twice ('a' and 'b')"),
        BadInput(args: ["--mock", "-t", "a", "--topic=b", "-n", "1"], code: 64, mentions: "-t 'a' and --topic 'b' both set --topic"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-c", "2"], code: 64, mentions: "-n '1' and -c '2' both set --count"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-n", "2"], code: 64, mentions: "-n given twice ('1' and '2')"),
        BadInput(args: ["--mock", "-t", "x", "-f", "%v", "--input-format", "json"], code: 64, mentions: "-f '%v' and --input-format 'json' both set --input-format"),
        BadInput(args: ["--mock", "-t", "x", "--format", "json", "-K", ":", "a.txt"], code: 64, mentions: "FILE arguments are sent whole"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "-k", "fixed", "-K:"], code: 64, mentions: "--key sets every key and --key-delimiter (-K) splits"),
        BadInput(args: ["--mock", "-b", "h:1", "-t", "x", "-n", "1"], code: 64, mentions: "--mock runs its own cluster and -b names another"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-o", "json", "--output-format", "%o"], code: 64, mentions: "--output-format writes its own result lines and -o json"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--idempotent", "--no-idempotent"], code: 64, mentions: "--idempotent and --no-idempotent contradict"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--stop-on-error", "--continue-on-error"], code: 64, mentions: "contradict"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "a.txt"], code: 64, mentions: "--input '-' and FILE arguments both name the input"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "--input-format", "%k %o\n"], code: 64, mentions: "%o is set by the broker or the producer"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "--input-format", "%v{json}"], code: 64, mentions: "%v{json} is not supported"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "--input-format", "%q"], code: 64, mentions: "unknown token %q"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "--input-format", "%h{%k=%v}"], code: 64, mentions: "%h needs %H"),
        BadInput(args: ["--mock", "-t", "x", "-i", "-", "--input-format", "%k%K"], code: 64, mentions: "%K must come before %k"),
        BadInput(args: ["--mock", "-i", "-", "--input-format", "%k %v\n"], code: 64, mentions: "missing --topic"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--timestamp", "soon"], code: 64, mentions: "--timestamp: 'soon' is not a timestamp"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--value", "{file}"], code: 64, mentions: "{file} names the file of files mode"),
        BadInput(args: ["--mock", "-t", ".", "-n", "1"], code: 64, mentions: "--topic: '.' is not a topic name Kafka allows"),
        BadInput(args: ["--mock", "-t", "..", "-n", "1"], code: 64, mentions: "'..' is not a topic name"),
        BadInput(args: ["-t", "x", "-n", "1", "--mock-partitions", "2"], code: 64, mentions: "--mock-partitions sizes a topic of the embedded cluster; add --mock"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "key.separator=:"], code: 64, mentions: "--property/-X key.separator is a kafka-console-producer reader property"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-X", "sasl.password:hunter2"], code: 64, mentions: "-X argument 1: write KEY=VALUE"),
        // the command line itself (CommandLineParser)
        BadInput(args: ["--mock", "-n", "1", "-t"], code: 64, mentions: "Missing value for '-t <name>'"),
        BadInput(args: ["--mock", "-n", "1", "-t", "--quiet"], code: 64, mentions: "Missing value for '-t <name>' (got the option '--quiet')"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--mock=yes"], code: 64, mentions: "--mock takes no value"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-qy"], code: 64, mentions: "Unknown option '-y' in '-qy'"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "-y"], code: 64, mentions: "Unknown option '-y'"),
        BadInput(args: ["--mock", "-t", "x", "-n", "1", "--generate-completion-script", "tcsh"], code: 64, mentions: "'tcsh' is not a shell"),
    ]

    @Test(arguments: table)
    func rejected(_ bad: BadInput) throws {
        let r = try runEmit(bad.args, stdin: bad.stdin.map { Data($0.utf8) })
        #expect(r.status == bad.code, "stderr: \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "expected one line, got: \(r.stderr)")
        #expect(r.stderr.contains(bad.mentions), "stderr: \(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        if bad.code == 64 || bad.code == 66 { #expect(r.stdout.isEmpty, "nothing is sent on a usage error") }
    }

    @Test func emptyInputIsZeroLinesExitZero() throws {
        let r = try runEmit(["--mock", "-t", "x", "-i", "-", "-q"], stdin: Data())
        #expect(r.status == 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.isEmpty)
    }

    @Test func oversizedLineFailsAloneOthersDelivered() throws {
        var input = "small-1\n"
        input += String(repeating: "x", count: 2 * 1024 * 1024) + "\n"
        input += "small-2\n"
        let r = try runEmit(["--mock", "-t", "big", "-i", "-", "--continue-on-error"], stdin: Data(input.utf8))
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.filter { $0.hasPrefix("delivered ") }.count == 2)
        let failed = lines.filter { $0.hasPrefix("failed ") }
        #expect(failed.count == 1)
        #expect(failed.first?.contains("correlation=1 error=\"MSG_SIZE_TOO_LARGE") == true, "\(failed)")
    }

    /// Spellings getopt_long users write: attached values, `=`, clustered flags, `--`.
    @Test func commandLineSpellings() throws {
        let spellings: [[String]] = [
            ["-t", "x", "-n", "2"], ["-tx", "-n2"], ["--topic=x", "--count=2"], ["--topic", "x", "--count", "2", "-qZ"],
            ["-t", "x", "-n", "2", "--value", "-{i}"], ["-t", "x", "-n", "2", "--acks=-1", "-p", "-1"],
        ]
        for args in spellings {
            let r = try runEmit(args + ["--dry-run", "-o", "json"])
            #expect(r.status == 0, "\(args): \(r.stderr)")
            #expect(r.stdout.split(separator: "\n").count == 2, "\(args): \(r.stdout)")
            #expect(r.stdout.contains("\"topic\":\"x\""), "\(args)")
        }
        let dashValue = try runEmit(["-t", "x", "-n", "1", "--value", "-{i}", "--dry-run", "-o", "json"])
        #expect(dashValue.stdout.contains("\"value\":\"-0\""), "\(dashValue.stdout)")
        // after --, everything is a file (files mode)
        let files = try runEmit(["-t", "x", "--dry-run", "--", "-not-an-option"])
        #expect(files.status == 66, "\(files.stderr)")
        #expect(files.stderr.contains("-not-an-option"), "\(files.stderr)")
    }

    @Test func helpAndVersion() throws {
        let h = try runEmit(["--help"])
        #expect(h.status == 0)
        #expect(h.stdout.contains("--bootstrap-servers"))
        #expect(h.stdout.contains("EXIT CODES"))
        let v = try runEmit(["-V"])
        #expect(v.status == 0)
        #expect(v.stdout.contains("kafka-emit "))
        #expect(v.stdout.contains("librdkafka 2."))
    }

    @Test func environmentBootstrap() throws {
        let r = try runEmit(["-t", "x", "-n", "1", "--connect-timeout", "1s", "-q"], environment: ["KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:2"])
        #expect(r.status == 69)
        #expect(r.stderr.contains("127.0.0.1:2"))
    }
}
