import Foundation
import Testing

@Suite struct ConfigTests {
    func tempFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kafka-emit-\(UUID().uuidString).properties").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `-v` against an unreachable broker: prints the effective configuration, then exits 69.
    func effective(_ args: [String], environment: [String: String] = [:]) throws -> (ProcessResult, [String: String]) {
        let r = try runEmit(["-t", "cfg", "-n", "1", "-v", "--connect-timeout", "1s", "-q"] + args, environment: environment)
        var conf: [String: String] = [:]
        var inDump = false
        for line in r.stderr.split(separator: "\n") {
            if line.hasPrefix("kafka-emit: effective librdkafka configuration") { inDump = true; continue }
            if inDump, line.hasPrefix("  "), let eq = line.firstIndex(of: "=") {
                conf[String(line[..<eq]).trimmingCharacters(in: .whitespaces)] = String(line[line.index(after: eq)...])
            } else if inDump { inDump = false }
        }
        return (r, conf)
    }

    @Test func precedenceXOverTypedOverFileOverEnvironment() throws {
        let file = try tempFile("# a comment\nlinger.ms=7\nclient.id=from-file\nbootstrap.servers=127.0.0.1:3\n\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        // file over environment and default
        var (r, c) = try effective(["-F", file], environment: ["KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:2"])
        #expect(r.status == 69)
        #expect(c["queue.buffering.max.ms"] == "7")
        #expect(c["client.id"] == "from-file")
        #expect(c["metadata.broker.list"] == "127.0.0.1:3")
        // typed flags over the file
        (r, c) = try effective(["-F", file, "--linger", "9ms", "-b", "127.0.0.1:4"], environment: ["KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:2"])
        #expect(c["queue.buffering.max.ms"] == "9")
        #expect(c["metadata.broker.list"] == "127.0.0.1:4")
        // -X over typed flags
        (r, c) = try effective(["-F", file, "--linger", "9ms", "-X", "linger.ms=11", "--acks", "1", "-X", "acks=0"])
        #expect(c["queue.buffering.max.ms"] == "11")
        #expect(c["request.required.acks"] == "0")
        #expect(c["enable.idempotence"] == "false")
        // environment over the default
        (r, c) = try effective([], environment: ["KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:2"])
        #expect(c["metadata.broker.list"] == "127.0.0.1:2")
        #expect(c["enable.idempotence"] == "true")
        #expect(c["request.required.acks"] == "-1")
    }

    @Test func typedShortcuts() throws {
        let (_, c) = try effective(["-z", "lz4", "--delivery-timeout", "2500ms", "--no-idempotent", "-d", "broker"])
        #expect(c["compression.codec"] == "lz4")
        #expect(c["message.timeout.ms"] == "2500")
        #expect(c["enable.idempotence"] == "false")
        #expect(c["debug"] == "broker")
    }

    @Test func secretsAreRedactedEverywhere() throws {
        let secret = "hunter2-\(UUID().uuidString.prefix(8))"
        let file = try tempFile("sasl.password=\(secret)\nssl.key.password=\(secret)\n")
        defer { try? FileManager.default.removeItem(atPath: file) }
        for args in [["-X", "sasl.password=\(secret)"], ["-F", file], ["-X", "sasl.oauthbearer.config=principal=\(secret)"]] {
            let (r, conf) = try effective(args)
            #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret), "secret leaked with \(args)")
            #expect(r.stderr.contains("[redacted]"))
            #expect(!conf.isEmpty)
        }
        // an unknown (misspelled) property is named without its value: it may be a secret
        let bad = try runEmit(["--mock", "-t", "x", "-n", "1", "-X", "ssl.key.pasword=\(secret)"])
        #expect(bad.status == 64)
        #expect(!bad.stderr.contains(secret))
        #expect(bad.stderr.contains("-X ssl.key.pasword: librdkafka refused it: No such configuration property"))
    }

    @Test func configFileErrors() throws {
        let bad = try tempFile("linger.ms=5\nthis line has no equals\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let r = try runEmit(["--mock", "-t", "x", "-n", "1", "-F", bad])
        #expect(r.status == 64)
        #expect(r.stderr.contains(":2: expected key=value"))
        let refused = try tempFile("no.such.thing=1\n")
        defer { try? FileManager.default.removeItem(atPath: refused) }
        let r2 = try runEmit(["--mock", "-t", "x", "-n", "1", "-F", refused])
        #expect(r2.status == 64)
        #expect(r2.stderr.contains("-F \(refused):1 no.such.thing: librdkafka refused it"))
    }

    @Test func dryRunContactsNoBroker() throws {
        let r = try runEmit(["-b", "127.0.0.1:1", "-t", "dry", "-n", "3", "--dry-run", "--key", "k{i}", "--value", "{\"n\":{i}}",
                             "-H", "h=v{i}", "-p", "1", "--correlation-header", "cid"])
        #expect(r.status == 0)
        #expect(r.seconds < 1.0)
        #expect(r.stdout == """
            record topic=dry partition=1 key=k0 value="{\\"n\\":0}" header:h=v0 header:cid=0 correlation=0
            record topic=dry partition=1 key=k1 value="{\\"n\\":1}" header:h=v1 header:cid=1 correlation=1
            record topic=dry partition=1 key=k2 value="{\\"n\\":2}" header:h=v2 header:cid=2 correlation=2

            """)
        let j = try runEmit(["-b", "127.0.0.1:1", "-t", "dry", "-n", "2", "--dry-run", "-o", "json", "-Z", "--value", ""])
        #expect(j.status == 0)
        for line in j.stdout.split(separator: "\n") {
            let obj = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(obj["value"] is NSNull)
            #expect(obj["topic"] as? String == "dry")
        }
    }

    @Test func seedMakesRunsRepeatable() throws {
        let args = ["-t", "s", "-n", "5", "--dry-run", "--value", "{rand:1000}-{uuid}", "-q"]
        let a = try runEmit(args + ["--seed", "42"]), b = try runEmit(args + ["--seed", "42"]), c = try runEmit(args + ["--seed", "43"])
        #expect(a.stdout == b.stdout)
        #expect(a.stdout != c.stdout)
    }
}
