import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitCLI

/// The option table driven in process: every rule read from the rows (repeats, opposites,
/// attached values, ranges, help/man page/completions), without starting the binary.
@Suite struct ParserTests {
    static let rows = CommandLineParser.rows

    func problem(_ args: [String]) -> String? {
        do { _ = try CommandLineParser.parse(args); return nil } catch { return error.description }
    }

    func command(_ args: [String]) throws -> EmitCommand {
        guard case .run(let c) = try CommandLineParser.parse(args) else { throw FlagError("not a run: \(args)") }
        return c
    }

    // MARK: repeats

    /// Every single-valued row, given twice under its first and its last spelling, is refused
    /// naming both spellings as typed (the repeat is found before any value is checked).
    @Test(arguments: rows.filter { row in
        if case .once = row.repeats { return true }
        return false
    }.map(\.names))
    func singleValuedRepeatRefused(names: [String]) {
        let first = names[0], last = names[names.count - 1]
        // An optional value (`--replay [SPEED]`) is only taken when it is a number.
        let (one, two) = Self.rows.first { $0.names == names }!.valueIsOptional ? ("1", "2") : ("one", "two")
        let message = problem([first, one, last, two])
        if first == last {
            #expect(message == "\(first) given twice ('\(one)' and '\(two)'); give \(first) once")
        } else {
            #expect(message?.hasPrefix("\(first) '\(one)' and \(last) '\(two)' both set --") == true, "\(message ?? "accepted")")
            #expect(message?.hasSuffix("; give it once") == true)
        }
    }

    @Test func repeatMessagesNameTheCanonicalOption() {
        #expect(problem(["-t", "a", "--topic=b"]) == "-t 'a' and --topic 'b' both set --topic; give it once")
        #expect(problem(["-f", "json", "--format", "lines"]) == "-f 'json' and --format 'lines' both set --input-format; give it once")
        #expect(problem(["--bootstrap-server", "a", "--brokers", "b"]) == "--bootstrap-server 'a' and --brokers 'b' both set --bootstrap-servers; give it once")
        #expect(problem(["-c3", "-n", "4"]) == "-c '3' and -n '4' both set --count; give it once")
        #expect(problem(["-K:", "-K:"]) == "-K given twice (':' and ':'); give --key-delimiter once")
        #expect(problem(["-i", "a", "-l", "b"])
            == "two inputs (-i 'a' and -l 'b'); give one --input, or send whole files as FILE arguments, or cat them into -i -")
        // Found before a bad value is reported.
        #expect(problem(["--rate", "x", "--rate", "y"]) == "--rate given twice ('x' and 'y'); give --rate once")
    }

    @Test func repeatableRowsAccumulate() throws {
        let c = try command(["-t", "x", "-H", "a=1", "--header", "b", "-Hc={i}", "-X", "acks=1", "--property=linger.ms=5", "-X", "list",
                             "--let", "cid={int:1:9}", "--let=tag={ref:cid}-{i}"])
        #expect(c.record.header.map(\.name) == ["a", "b", "c"])
        #expect(c.record.lets.map(\.name) == ["cid", "tag"])
        #expect(c.record.header[1].value == nil)
        #expect(c.connection.property == [.set(key: "acks", value: "1"), .set(key: "linger.ms", value: "5"), .list])
        #expect(Self.rows.filter(\.isRepeatable).map(\.names) == [["-X", "--property"], ["-H", "--header"], ["--let"], ["--registry-property"]])
    }

    @Test func flagsMayRepeat() throws {
        let c = try command(["-q", "-q", "--quiet", "-t", "x"])
        #expect(c.output.quiet)
    }

    // MARK: opposites

    @Test func oppositesRefusedInEitherOrder() {
        let pairs = Self.rows.compactMap { row in row.contradicts.map { ($0, row.canonical) } }
        #expect(pairs.count == 3)
        for (a, b) in pairs {
            for args in [[a, b], [b, a], ["-t", "x", b, "-q", a]] {
                #expect(problem(args) == "\(a) and \(b) contradict each other; give one of them")
            }
        }
    }

    // MARK: attached and clustered short values

    @Test func attachedShortValues() throws {
        let c = try command(["-tname", "-K:", "-c3", "-lfile", "-p2", "-Hh=v", "-Xacks=0", "-zlz4"])
        #expect(c.input.topic == "name")
        #expect(c.input.keyDelimiter == [0x3A])
        #expect(c.input.count == 3)
        #expect(c.input.effectiveInput == "file")
        #expect(c.record.partition == 2)
        #expect(c.record.header.map(\.name) == ["h"])
        #expect(c.connection.property == [.set(key: "acks", value: "0")])
        #expect(c.producer.compression == .lz4)
        let f = try command(["-t", "x", "-f%k %v\\n"])
        guard case .format(_, let text)? = f.input.inputFormat else { Issue.record("no format"); return }
        #expect(text == "%k %v\\n")
    }

    @Test func clustersAndValues() throws {
        let c = try command(["-qvt", "x", "--", "-q", "file"])
        #expect(c.output.quiet && c.output.verbose)
        #expect(c.input.topic == "x")
        #expect(c.input.files == ["-q", "file"])
        #expect(problem(["-t", "--value", "x"]) == "Missing value for '-t <name>' (got the option '--value')")
        #expect(problem(["-t", "-h"]) == "Missing value for '-t <name>' (got the option '-h')")
        #expect(try command(["-t", "x", "-p", "-1"]).record.partition == -1)
        #expect(problem(["-qz"]) == "Missing value for '-z <codec>'")
        #expect(problem(["--quiet=1"]) == "--quiet takes no value; write --quiet alone")
        #expect(problem(["-qY"]) == "Unknown option '-Y' in '-qY'")
    }

    // MARK: ranges, each checked by its row

    @Test func ranges() throws {
        #expect(problem(["--rate", "0"]) == "--rate: '0' is not a positive number of records per second, e.g. --rate 1000")
        #expect(problem(["--rate", "1e-300"]) == "--rate: 1e-300 is out of range; use 0.001 to 10000000 records/s")
        #expect(problem(["--rate", "10000001"]) == "--rate: 10000001 is out of range; use 0.001 to 10000000 records/s")
        #expect(try command(["--rate", "0.001"]).pacing.rate == 0.001)
        for (flag, low, high) in [("--max-in-flight", 1, 10_000_000), ("--mock-brokers", 1, 32), ("--mock-partitions", 1, 10_000),
                                  ("--transaction-records", 1, 10_000_000)] {
            #expect(problem([flag, String(low - 1)]) == "\(flag): '\(low - 1)' is out of range; use \(low) to \(high)")
            #expect(problem([flag, String(high + 1)]) == "\(flag): '\(high + 1)' is out of range; use \(low) to \(high)")
            #expect(problem([flag, String(high)])?.hasPrefix(flag + ":") != true)
        }
        #expect(problem(["--linger", "901s"]) == "--linger: '901s' is too long; librdkafka allows up to 900s")
        #expect(problem(["--input-format", "%q"])?.hasPrefix("--input-format") == true)
        #expect(problem(["--input-format", "bogus"]) == "--input-format: 'bogus' is not a format; use lines, json, or an rpk format such as '%k %v\\n'")
    }

    /// The plan does not check again what a row checked: a plan made from a command line
    /// carries the row's values unchanged.
    @Test func planCarriesTheRowsValues() throws {
        let c = try command(["--mock", "--mock-brokers", "32", "-t", "x", "-n", "1", "--max-in-flight", "10000000", "--rate", "0.001"])
        let plan = try c.makePlan(environment: [:])
        #expect(plan.mockBrokers == 32)
        #expect(plan.maxInFlight == 10_000_000)
        #expect(plan.pacing == .rate(0.001))
    }

    // MARK: typed setters

    @Test func settersParseTemplatesHeadersAndProperties() throws {
        let c = try command(["-t", "x", "-k", "k-{i}", "--value", "{uuid}", "--timestamp", "{ts}", "--correlation", "c{i}", "-D", "\\t"])
        #expect(c.record.key?.source == "k-{i}")
        #expect(c.record.value?.source == "{uuid}")
        #expect(c.record.timestamp?.source == "{ts}")
        #expect(c.record.correlation?.source == "c{i}")
        #expect(c.input.delimiter == [0x09])
        let header = problem(["-H", "=v"])
        #expect(header == "--header '=v': the name is missing; write NAME=TEMPLATE, e.g. -H source=kafka-emit")
        #expect(problem(["-X", "a=1", "-X", "sasl.password:secret"]) == "-X argument 2: write KEY=VALUE, e.g. -X linger.ms=5 (or -X list, -X dump)")
        #expect(problem(["-X", "parse.key=true"])?.hasPrefix("--property/-X parse.key is a kafka-console-producer reader property") == true)
        // Their own messages say the fix: no "(see kafka-emit --help)".
        do { _ = try CommandLineParser.parse(["-X", "nokey"]) } catch { #expect(!error.seeHelp) }
        do { _ = try CommandLineParser.parse(["--rate", "x"]) } catch { #expect(error.seeHelp) }
    }

    // MARK: meta options

    @Test func metaOptions() throws {
        guard case .help = try CommandLineParser.parse(["-t", "x", "-qh"]) else { Issue.record("-qh is not help"); return }
        guard case .manual = try CommandLineParser.parse(["--generate-manual", "--not-read"]) else { Issue.record("no manual"); return }
        guard case .completionScript(.zsh) = try CommandLineParser.parse(["--generate-completion-script=zsh"]) else {
            Issue.record("no zsh"); return
        }
        #expect(problem(["--generate-completion-script"]) == "--generate-completion-script: '' is not a shell; use bash, zsh or fish")
        // --help still reports a mistake after it.
        #expect(problem(["--help", "--rate", "0"])?.hasPrefix("--rate") == true)
        #expect(problem(["--help=1"]) == "--help takes no value; write --help alone")
    }

    // MARK: help, man page, completions: every row

    @Test func everyRowIsListedEverywhere() {
        let help = HelpText.render(), man = ManPage.render()
        let bash = CompletionScripts.render(.bash), zsh = CompletionScripts.render(.zsh), fish = CompletionScripts.render(.fish)
        #expect(Self.rows.count >= 50)
        for row in Self.rows {
            if !row.hiddenInHelp { #expect(help.contains("  " + row.shown), "--help lacks \(row.shown)") }
            for name in row.names {
                if !row.hiddenInHelp || Self.rows.contains(where: { $0.display?.contains(name) == true }) {
                    #expect(help.contains(name), "--help lacks \(name)")
                }
                #expect(man.contains("Fl \(name.dropFirst())"), "the man page lacks \(name)")
                #expect(bash.split(whereSeparator: { " '|)\n".contains($0) }).contains(Substring(name)), "bash lacks \(name)")
                #expect(zsh.contains(name), "zsh lacks \(name)")
                #expect(fish.contains(name.hasPrefix("--") ? " -l \(name.dropFirst(2))" : " -s \(name.dropFirst())"), "fish lacks \(name)")
            }
            if case .list(let values) = row.completion {
                #expect(bash.contains(values.joined(separator: " ")), "bash lacks the values of \(row.canonical)")
            }
            if row.isRepeatable {
                let names = row.names.count > 1 ? "{\(row.names.joined(separator: ","))}" : row.names[0]
                #expect(zsh.contains("'*'\(names)"), "zsh: \(row.canonical) repeats")
            }
        }
    }

    /// Every spelling belongs to one row.
    @Test func spellingsAreUnique() {
        let names = Self.rows.flatMap(\.names)
        #expect(Set(names).count == names.count)
    }

    // MARK: the argv fuzz target's corpus

    @Test func argvCorpusReplays() throws {
        let dir = Binaries.root.appendingPathComponent("fuzz/corpus/\(ArgvFuzz.name)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!files.isEmpty)
        for name in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            data.withUnsafeBytes { ArgvFuzz.run($0) }
        }
    }
}
