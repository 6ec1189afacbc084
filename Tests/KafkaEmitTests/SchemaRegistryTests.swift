import Foundation
import Testing
@testable import KafkaEmitEngine

/// The registry client against a real HTTP(S) server: tests/registry/stand_in.py, a
/// Confluent-compatible stand-in, one process per test (so tests run in parallel).
@Suite struct SchemaRegistryTests {
    static let order = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"}]}"#
    static let order2 = #"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"note","type":"string","default":""}]}"#

    func client(_ urls: String, _ properties: [(String, String)] = []) throws -> SchemaRegistry {
        SchemaRegistry(settings: try SchemaRegistry.settings(from: properties, urls: urls))
    }

    // MARK: the REST calls

    @Test(.enabled(if: Tools.python)) func registerGivesTheSameIdTwice() throws {
        let server = try StandIn()
        let id = try client(server.url).register(subject: "orders-value", schema: Self.order, type: .avro)
        #expect(RegistryHTTP.libcurlLoaded)
        // A second client (no cache) gets the registry's id for the same schema.
        #expect(try client(server.url).register(subject: "orders-value", schema: Self.order, type: .avro) == id)
        // The same client answers from its cache: one request, not two.
        let registry = try client(server.url)
        _ = try registry.register(subject: "orders-value", schema: Self.order, type: .avro)
        _ = try registry.register(subject: "orders-value", schema: Self.order, type: .avro)
        #expect(try client(server.url).register(subject: "orders-value", schema: Self.order2, type: .avro) != id)
        // 2 + 1 + 1 registrations reached the server (give a late log line 100 ms).
        func posts(_ lines: [String]) -> Int { lines.filter { $0.hasPrefix("POST /subjects/orders-value/versions 200") }.count }
        #expect(server.served { posts($0) >= 4 })
        usleep(100_000)
        #expect(posts(server.requests) == 4)
    }

    @Test(.enabled(if: Tools.python)) func lookupFoundAndAbsent() throws {
        let server = try StandIn()
        let registry = try client(server.url)
        #expect(try registry.lookup(subject: "orders-value", schema: Self.order, type: .avro) == nil)   // no subject
        let id = try registry.register(subject: "orders-value", schema: Self.order, type: .avro)
        let found = try #require(try registry.lookup(subject: "orders-value", schema: Self.order, type: .avro))
        #expect(found.id == id && found.version == 1 && found.subject == "orders-value" && found.type == .avro)
        #expect(try registry.lookup(subject: "orders-value", schema: Self.order2, type: .avro) == nil)  // not under it
    }

    @Test(.enabled(if: Tools.python)) func byIdAndReferences() throws {
        let server = try StandIn()
        let registry = try client(server.url)
        let common = "syntax = \"proto3\";\nmessage Money { int64 cents = 1; }\n"
        let main = "syntax = \"proto3\";\nimport \"common.proto\";\nmessage Order { Money total = 1; }\n"
        _ = try registry.register(subject: "common.proto", schema: common, type: .protobuf)
        let refs = [SchemaReference(name: "common.proto", subject: "common.proto", version: 1)]
        let id = try registry.register(subject: "orders-value", schema: main, type: .protobuf, references: refs)
        let fetched = try client(server.url).schema(id: id)
        #expect(fetched == RegisteredSchema(id: id, schema: main, type: .protobuf, references: refs))
        let missing = registryError { _ = try registry.schema(id: 999) }
        #expect(missing?.exitCode == 66 && missing?.message.contains("schema id 999") == true)
    }

    @Test(.enabled(if: Tools.python)) func latestAndNumberedVersions() throws {
        let server = try StandIn()
        let registry = try client(server.url)
        // A subject with a space and a slash: percent-encoded in the path.
        let subject = "shop/orders value"
        let v1 = try registry.register(subject: subject, schema: Self.order, type: .avro)
        let v2 = try registry.register(subject: subject, schema: Self.order2, type: .avro)
        let latest = try registry.version(subject: subject)
        #expect(latest.id == v2 && latest.version == 2 && latest.schema == Self.order2 && latest.subject == subject)
        #expect(try registry.version(subject: subject, version: 1).id == v1)
        #expect(server.served { $0.contains { $0.hasPrefix("GET /subjects/shop%2Forders%20value/versions/latest 200") } })
        let absent = registryError { _ = try registry.version(subject: "nope-value") }
        #expect(absent?.exitCode == 66 && absent?.message.contains("subject 'nope-value'") == true)
        let noVersion = registryError { _ = try registry.version(subject: subject, version: 7) }
        #expect(noVersion?.exitCode == 66 && noVersion?.message.contains("version 7 of subject") == true)
    }

    @Test(.enabled(if: Tools.python)) func invalidSchemaIs65() throws {
        let server = try StandIn()
        let e = registryError { _ = try client(server.url).register(subject: "x-value", schema: "{not json", type: .avro) }
        #expect(e?.exitCode == 65 && e?.message.contains("Invalid schema") == true)
    }

    // MARK: credentials

    @Test(.enabled(if: Tools.python)) func basicAuth() throws {
        let server = try StandIn(["--basic", "alice:s3cr3t-pw"])
        let ok = try client(server.url, [("basic.auth.user.info", "alice:s3cr3t-pw")])
        #expect(try ok.register(subject: "a-value", schema: Self.order, type: .avro) == 1)
        // The same credentials in the URL (Confluent's basic.auth.credentials.source=URL).
        let inURL = server.url.replacingOccurrences(of: "http://", with: "http://alice:s3cr3t%2Dpw@")
        #expect(try client(inURL, [("basic.auth.credentials.source", "URL")]).register(subject: "a-value", schema: Self.order, type: .avro) == 1)

        let wrong = registryError {
            _ = try client(server.url, [("schema.registry.basic.auth.user.info", "alice:wr0ng-pw")]).version(subject: "a-value")
        }
        #expect(wrong?.exitCode == 77)
        #expect(wrong?.message == "the registry at \(server.url) refused the credentials (HTTP 401): check basic.auth.user.info or bearer.auth.token")
        let none = registryError { _ = try client(server.url).version(subject: "a-value") }
        #expect(none?.exitCode == 77 && none?.message.contains("asks for credentials") == true)
        let wrongInURL = registryError {
            _ = try client(server.url.replacingOccurrences(of: "http://", with: "http://alice:wr0ng-pw@")).version(subject: "a-value")
        }
        #expect(wrongInURL?.exitCode == 77 && wrongInURL?.message.contains("wr0ng") == false)
    }

    @Test(.enabled(if: Tools.python)) func noPasswordInAnyMessage() throws {
        // Dead URLs with user info, and settings' description: the password never shows.
        let settings = try SchemaRegistry.settings(from: [("basic.auth.credentials.source", "URL")],
                                                   urls: "http://bob:hunter2@127.0.0.1:1,http://bob:hunter2@127.0.0.1:1/base/")
        let e = registryError { _ = try SchemaRegistry(settings: settings).schema(id: 1) }
        #expect(e?.exitCode == 69)
        #expect(e?.message.contains("http://127.0.0.1:1: ") == true && e?.message.contains("http://127.0.0.1:1/base: ") == true)
        #expect(e?.message.contains("hunter2") == false && e?.message.contains("bob") == false)
        #expect(!"\(settings)".contains("hunter2"))
        let token = try SchemaRegistry.settings(from: [("bearer.auth.token", "tok-123")], urls: "http://127.0.0.1:1")
        #expect(!"\(token)".contains("tok-123"))
        // A malformed user info is named without its value.
        let bad = registryError { _ = try SchemaRegistry.settings(from: [("basic.auth.user.info", "onlysecret")], urls: "http://h") }
        #expect(bad?.exitCode == 64 && bad?.message.contains("onlysecret") == false)
    }

    @Test(.enabled(if: Tools.python)) func bearerToken() throws {
        let server = try StandIn(["--bearer", "tok-abc"])
        #expect(try client(server.url, [("bearer.auth.credentials.source", "STATIC_TOKEN"), ("bearer.auth.token", "tok-abc")])
            .register(subject: "b-value", schema: Self.order, type: .avro) == 1)
        let wrong = registryError { _ = try client(server.url, [("bearer.auth.token", "tok-xyz")]).schema(id: 1) }
        #expect(wrong?.exitCode == 77 && wrong?.message.contains("tok-xyz") == false)
    }

    // MARK: TLS

    @Test(.enabled(if: Tools.python && Tools.openssl)) func httpsWithCAFile() throws {
        let certs = try #require(Certificates.shared)
        let server = try StandIn(["--tls", certs.serverCert, certs.serverKey])
        #expect(server.url.hasPrefix("https://"))
        #expect(try client(server.url, [("ssl.ca.location", certs.ca)]).register(subject: "t-value", schema: Self.order, type: .avro) == 1)
        // Without our CA the server's certificate is not trusted: a TLS failure, exit 69.
        let untrusted = registryError { _ = try client(server.url).schema(id: 1) }
        #expect(untrusted?.exitCode == 69 && untrusted?.message.contains(server.url) == true)
        #expect(untrusted?.message.contains("set ssl.ca.location") == true)
    }

    @Test(.enabled(if: Tools.python && Tools.openssl)) func mutualTLS() throws {
        let certs = try #require(Certificates.shared)
        let server = try StandIn(["--tls", certs.serverCert, certs.serverKey, "--client-ca", certs.ca])
        let settings: [(String, String)] = [("ssl.ca.location", certs.ca), ("ssl.certificate.location", certs.clientCert),
                                            ("ssl.key.location", certs.clientKey)]
        #expect(try client(server.url, settings).register(subject: "m-value", schema: Self.order, type: .avro) == 1)
        let noClientCert = registryError { _ = try client(server.url, [("ssl.ca.location", certs.ca)]).schema(id: 1) }
        #expect(noClientCert?.exitCode == 69)
        let missingFile = registryError { _ = try SchemaRegistry.settings(from: [("ssl.ca.location", "/nonexistent/ca.pem")], urls: server.url) }
        #expect(missingFile?.exitCode == 66 && missingFile?.message.contains("/nonexistent/ca.pem") == true)
    }

    // MARK: failover and timeouts

    @Test(.enabled(if: Tools.python)) func failoverOnDeadURLAndOn5xx() throws {
        let good = try StandIn()
        // Port 1: nothing listens, the connection is refused at once.
        #expect(try client("http://127.0.0.1:1, \(good.url)").register(subject: "f-value", schema: Self.order, type: .avro) == 1)
        let failing = try StandIn(["--fail-first", "1"])
        #expect(try client("\(failing.url),\(good.url)").schema(id: 1).schema == Self.order)
        #expect(failing.served { $0.contains { $0.hasSuffix(" 500") } })
        #expect(good.served { $0.contains { $0.hasPrefix("GET /schemas/ids/1 200") } })
        // Every URL failing: 69, naming each with its reason.
        let stillFailing = try StandIn(["--fail-first", "5"])
        let e = registryError { _ = try client("\(stillFailing.url),http://127.0.0.1:1").schema(id: 1) }
        #expect(e?.exitCode == 69)
        #expect(e?.message.contains("\(stillFailing.url): HTTP 500") == true && e?.message.contains("http://127.0.0.1:1: ") == true)
    }

    @Test(.enabled(if: Tools.python)) func a4xxAnswerIsFinal() throws {
        let guarded = try StandIn(["--basic", "u:p"])
        let open = try StandIn()
        let e = registryError { _ = try client("\(guarded.url),\(open.url)").register(subject: "x-value", schema: Self.order, type: .avro) }
        #expect(e?.exitCode == 77)
        #expect(guarded.served { !$0.isEmpty })
        #expect(open.requests.isEmpty)
    }

    @Test(.enabled(if: Tools.python)) func timeoutIs69() throws {
        let slow = try StandIn(["--delay-ms", "3000"])
        let start = ContinuousClock.now
        let e = registryError { _ = try client(slow.url, [("request.timeout.ms", "300")]).schema(id: 1) }
        #expect(e?.exitCode == 69 && e?.message.contains("timed out") == true)
        #expect(ContinuousClock.now - start < .milliseconds(2500))
    }

    // MARK: settings

    @Test func settingsChecks() {
        let unknown = registryError { _ = try SchemaRegistry.settings(from: [("basic.auth.password", "x-secret")], urls: "http://h") }
        #expect(unknown?.exitCode == 64)
        #expect(unknown?.message.contains("'basic.auth.password'") == true && unknown?.message.contains("basic.auth.user.info") == true)
        #expect(unknown?.message.contains("x-secret") == false)
        #expect(registryError { _ = try SchemaRegistry.settings(from: [], urls: nil) }?.exitCode == 64)
        #expect(registryError { _ = try SchemaRegistry.settings(from: [], urls: "ftp://h") }?.exitCode == 64)
        #expect(registryError { _ = try SchemaRegistry.settings(from: [("request.timeout.ms", "0")], urls: "http://h") }?.exitCode == 64)
        #expect(registryError { _ = try SchemaRegistry.settings(from: [("bearer.auth.token", "t\r\nX-Evil: 1")], urls: "http://h") }?.exitCode == 64)
        #expect(registryError {
            _ = try SchemaRegistry.settings(from: [("basic.auth.user.info", "u:p"), ("bearer.auth.token", "t")], urls: "http://h")
        }?.exitCode == 64)
        let s = try? SchemaRegistry.settings(from: [("schema.registry.url", "http://ignored"), ("request.timeout.ms", "2500")],
                                             urls: " http://a:8081/ ,https://b/ccompat")
        #expect(s?.endpoints.map(\.url) == ["http://a:8081", "https://b/ccompat"] && s?.requestTimeoutMs == 2500)
        #expect(try! SchemaRegistry.settings(from: [("url", "http://p")], urls: nil).endpoints.map(\.url) == ["http://p"])
        #expect(SchemaRegistry.pathSegment("a b/ü-_.~") == "a%20b%2F%C3%BC-_.~")
        #expect(SchemaRegistry.schemaRequest("x\"", .avro, []) == #"{"schema":"x\""}"#)
        #expect(SchemaRegistry.schemaRequest("s", .json, [SchemaReference(name: "n", subject: "sub", version: 2)])
            == #"{"schema":"s","schemaType":"JSON","references":[{"name":"n","subject":"sub","version":2}]}"#)
    }
}

/// The RegistryError `body` throws (nil when it throws none; any other error fails the test).
func registryError(_ body: () throws -> Void) -> RegistryError? {
    do { try body(); return nil } catch let error as RegistryError { return error } catch {
        Issue.record("expected a RegistryError, got \(error)")
        return nil
    }
}

/// Whether the tools these tests drive are installed (else the tests are skipped).
enum Tools {
    static func onPath(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }
    static let python = onPath("python3")
    static let openssl = onPath("openssl")
}

/// One stand-in registry process; killed when the test lets go of it.
final class StandIn {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tests/registry/stand_in.py").path
    let url: String
    private let process = Process()
    private let log: URL

    init(_ arguments: [String] = []) throws {
        log = FileManager.default.temporaryDirectory.appendingPathComponent("stand-in-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script, "--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        // The first line is the URL, once it listens.
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        url = String(decoding: line, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        if !url.hasPrefix("http") {
            kill(process.processIdentifier, SIGKILL)
            throw StandInFailed(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        }
    }

    deinit {
        // SIGKILL, not terminate()'s SIGTERM: a child inherits the test process's blocked
        // signals (SIGTERM among them here), so a SIGTERM would wait forever.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
    }

    /// The requests served so far: `METHOD PATH STATUS`, one a line.
    var requests: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Whether the log comes to satisfy `condition` within 3 s: the stand-in writes a request's
    /// line after its answer, so the client can be back before the line is.
    func served(_ condition: ([String]) -> Bool) -> Bool {
        for _ in 0..<300 {
            if condition(requests) { return true }
            usleep(10_000)
        }
        return false
    }
}

struct StandInFailed: Error { var log: String }

/// A CA, a server certificate for 127.0.0.1 and a client certificate, made once per test run
/// with the openssl command in a temporary directory.
struct Certificates: Sendable {
    var ca, serverCert, serverKey, clientCert, clientKey: String

    static let shared: Certificates? = try? make()

    static func make() throws -> Certificates {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("registry-certs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let script = """
            set -e
            cd '\(dir)'
            key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
            key ca.key; key server.key; key client.key
            openssl req -x509 -new -key ca.key -out ca.pem -days 2 -subj /CN=kafka-emit-test-ca 2>/dev/null
            printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > server.ext
            printf 'basicConstraints=CA:FALSE\\nextendedKeyUsage=clientAuth\\n' > client.ext
            for who in server client; do
              openssl req -new -key $who.key -out $who.csr -subj /CN=$who 2>/dev/null
              openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile $who.ext -out $who.pem 2>/dev/null
            done
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw StandInFailed(log: "openssl failed in \(dir)") }
        return Certificates(ca: "\(dir)/ca.pem", serverCert: "\(dir)/server.pem", serverKey: "\(dir)/server.key",
                            clientCert: "\(dir)/client.pem", clientKey: "\(dir)/client.key")
    }
}
