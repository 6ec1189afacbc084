import ArgumentParser
import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// The command line: flags → a validated `EmitPlan`. No Kafka calls here.
struct EmitCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "kafka-emit",
        abstract: "Send records to Apache Kafka from a timer or from stdin, one result line per delivery.",
        discussion: """
        MODES
          generate  no --input: --count N records from templates, paced by
                    --every/--rate, or as fast as the broker takes them
          lines     --input FILE (- = stdin): one record per line (-D sets
                    the delimiter, default \\n; a trailing \\r is stripped)

        TEMPLATES (--key, --value, --header, --correlation)
          {i} {i:WIDTH} {rand:N} {uuid} {ts} {now} {line} {key} {topic}
          {{ is a literal {, and the }} closing it a literal }; any other
          brace is literal, so JSON works as written:
            --value '{"id":{i},"at":{ts}}'

        OUTPUT
          stdout, one line per record, in completion order:
            delivered topic=T partition=P offset=O correlation=C
            failed topic=T correlation=C error="NAME: message"
          -o json: one JSON object per line; -o none; --format FMT with
            %t %p %o %c %k %v %T %l %e %s \\n \\t %%
          stderr: diagnostics and the summary (counts, rate, latency)

        CONFIGURATION PRECEDENCE (highest first)
          -X KEY=VALUE > typed flags (--acks, -z, --linger, ...)
            > -F FILE > $KAFKA_BOOTSTRAP_SERVERS > defaults

        EXIT CODES
          0 all delivered      1 some failed        64 usage error
          65 bad input record  66 cannot open file  69 no broker / topic
          74 I/O error         130/143 SIGINT/SIGTERM

        EXAMPLES
          kafka-emit --mock -t order-events --every 100ms --count 100
          cat events.txt | kafka-emit -b broker:9092 -t events -i -
          kafka-emit -t load --rate 10000 --duration 30s -o none \\
            --value '{"id":"{uuid}","n":{i}}'
          kafka-emit -t smoke -n 10 -o json | jq -r .offset
        """
    )

    // MARK: connection
    @Option(name: [.customShort("b"), .customLong("bootstrap-servers"), .customLong("bootstrap-server"), .customLong("brokers")],
            help: ArgumentHelp("Brokers, host:port[,host:port]. Default: $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.", valueName: "list"))
    var bootstrapServers: String?

    @Flag(help: "Run against an embedded librdkafka mock cluster (no Kafka needed).")
    var mock = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Brokers in the --mock cluster (default 3).", valueName: "n"))
    var mockBrokers: String?

    @Option(name: [.customShort("t"), .long], help: ArgumentHelp("Topic to send to (required).", valueName: "name"))
    var topic: String?

    // MARK: source and pacing
    @Option(name: [.customShort("i"), .long], help: ArgumentHelp("Lines mode: read records from FILE, - for stdin.", valueName: "file"))
    var input: String?

    @Option(name: [.customShort("n"), .long], parsing: .unconditional, help: ArgumentHelp("Number of records (lines mode: at most N lines).", valueName: "n"))
    var count: String?

    @Option(help: ArgumentHelp("Send one record every DURATION (100ms, 1.5s, ...), on absolute deadlines.", valueName: "duration"))
    var every: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Send R records per second.", valueName: "r"))
    var rate: String?

    @Option(help: ArgumentHelp("Stop after DURATION.", valueName: "duration"))
    var duration: String?

    @Option(name: [.customShort("D"), .long], help: ArgumentHelp("Lines mode: record delimiter (\\n, \\t, \\0, \\xNN escapes). Default \\n; a trailing \\r is stripped.", valueName: "str"))
    var delimiter: String?

    @Option(name: [.customShort("K"), .long], help: ArgumentHelp("Lines mode: split each line at the first STR into key and value ({key} and {line}).", valueName: "str"))
    var keyDelimiter: String?

    @Option(help: ArgumentHelp("Lines mode: lines, or json to replay kcat -J envelopes (key, payload, headers, partition).", valueName: "lines|json"))
    var inputFormat: String = "lines"

    // MARK: record content
    @Option(name: [.customShort("k"), .long], help: ArgumentHelp("Key template. Default: {i} (generate), null (lines), {key} (with -K).", valueName: "template"))
    var key: String?

    @Option(help: ArgumentHelp("Value template. Default: event-{i} (generate), {line} (lines).", valueName: "template"))
    var value: String?

    @Option(name: [.customShort("H"), .long], help: ArgumentHelp("Header NAME=TEMPLATE, repeatable.", valueName: "name=template"))
    var header: [String] = []

    @Option(name: [.customShort("p"), .long], parsing: .unconditional, help: ArgumentHelp("Send every record to partition N (default: librdkafka's partitioner).", valueName: "n"))
    var partition: String?

    @Option(help: ArgumentHelp("Correlation id carried to each result line (never sent, unless --correlation-header).", valueName: "template"))
    var correlation: String = "{i}"

    @Option(help: ArgumentHelp("Also send the correlation id as header NAME.", valueName: "name"))
    var correlationHeader: String?

    @Flag(name: [.customShort("Z"), .long], help: "Send an empty value as NULL (a tombstone).")
    var nullEmpty = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Seed for {rand} and {uuid}, for repeatable runs.", valueName: "n"))
    var seed: String?

    // MARK: producer settings
    @Option(help: ArgumentHelp("Acknowledgements: all, 1 or 0. Default all.", valueName: "all|1|0"))
    var acks: String?

    @Option(name: [.customShort("z"), .long], help: ArgumentHelp("Compression: none, gzip, snappy, lz4, zstd.", valueName: "codec"))
    var compression: String?

    @Option(help: ArgumentHelp("linger.ms as a duration (0ms for lowest latency).", valueName: "duration"))
    var linger: String?

    @Flag(inversion: .prefixedNo, help: "Idempotent producer: no duplicates, order kept across retries. Default on (off with --acks 0/1).")
    var idempotent: Bool?

    @Option(parsing: .unconditional, help: ArgumentHelp("Most records sent but not yet reported; the source waits beyond it (default 100000).", valueName: "n"))
    var maxInFlight: String?

    @Option(help: ArgumentHelp("Give up on a record after DURATION (message.timeout.ms). Default 30s.", valueName: "duration"))
    var deliveryTimeout: String?

    @Option(help: ArgumentHelp("Exit 69 if no broker answers within DURATION.", valueName: "duration"))
    var connectTimeout: String = "10s"

    @Flag(help: "What the first failed delivery does (in-flight records still get their lines). Default: stop.")
    var errorPolicy: ErrorPolicy?

    @Option(name: [.customShort("X"), .customLong("property")], help: ArgumentHelp("Any librdkafka property, repeatable, applied last.", valueName: "key=value"))
    var property: [String] = []

    @Option(name: [.customShort("F"), .customLong("config-file")], help: ArgumentHelp("librdkafka properties file (key=value, # comments).", valueName: "path"))
    var configFile: String?

    // MARK: output
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Result lines on stdout: text, json or none.", valueName: "format"))
    var output: String = "text"

    @Option(help: ArgumentHelp("Custom result line, e.g. '%p:%o %c\\n'.", valueName: "fmt"))
    var format: String?

    @Option(help: ArgumentHelp("A progress line on stderr every DURATION (a live bar when stderr is a terminal and --count is known).", valueName: "duration"))
    var statsInterval: String?

    @Flag(name: [.customShort("q"), .long], help: "No summary on stderr.")
    var quiet = false

    @Flag(name: [.customShort("v"), .long], help: "Show the effective librdkafka configuration (secrets redacted) and broker events on stderr.")
    var verbose = false

    @Option(name: [.customShort("d"), .long], help: ArgumentHelp("librdkafka debug contexts, e.g. broker,msg (as kcat -d).", valueName: "contexts"))
    var debug: String?

    @Flag(help: "Print the records that would be sent; contact no broker.")
    var dryRun = false

    @Flag(name: [.customShort("V"), .customLong("version")], help: "Show kafka-emit's and librdkafka's versions and exit.")
    var showVersion = false

    enum ErrorPolicy: EnumerableFlag {
        case stopOnError, continueOnError
        static func help(for value: ErrorPolicy) -> ArgumentHelp? {
            switch value {
            case .stopOnError: "Stop the source at the first failed delivery (default)."
            case .continueOnError: "Keep sending after failed deliveries."
            }
        }
    }

    func run() throws {
        // The real entry point is `main()` below, which calls `makePlan()` and the emitter.
    }

    static var versionText: String {
        "kafka-emit \(version)\nlibrdkafka \(LibrdkafkaInfo.version) (builtin features: \(LibrdkafkaInfo.builtinFeatures))"
    }
}
