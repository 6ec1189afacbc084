import ArgumentParser

/// Where the cluster is and how librdkafka is configured.
struct ConnectionOptions: ParsableArguments {
    @Option(name: [.customShort("b"), .customLong("bootstrap-servers"), .customLong("bootstrap-server"), .customLong("brokers")],
            help: ArgumentHelp("Brokers, host:port[,host:port]. Default: $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.", valueName: "list"))
    var bootstrapServers: String?

    @Flag(help: "Run against an embedded librdkafka mock cluster (no Kafka needed).")
    var mock = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Brokers in the --mock cluster (default 3).", valueName: "n"),
            transform: Numbers.inRange("--mock-brokers", 1...32))
    var mockBrokers: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Partitions of the -t topic in the --mock cluster (default: created on first use with 4).", valueName: "n"),
            transform: Numbers.inRange("--mock-partitions", 1...10_000))
    var mockPartitions: Int?

    @Option(help: ArgumentHelp("Exit 69 if no broker answers within DURATION (default 10s).", valueName: "duration"),
            transform: DurationArg.parser("--connect-timeout"))
    var connectTimeout: DurationArg = DurationArg(nanos: 10_000_000_000, text: "10s")

    @Option(name: [.customShort("X"), .customLong("property")],
            help: ArgumentHelp("Any librdkafka property, repeatable, applied last.", valueName: "key=value"))
    var property: [String] = []

    @Option(name: [.customShort("F"), .customLong("config-file")],
            help: ArgumentHelp("librdkafka properties file (key=value, # comments).", valueName: "path"),
            completion: .file())
    var configFile: String?

    @Option(name: [.customShort("d"), .long], help: ArgumentHelp("librdkafka debug contexts, e.g. broker,msg (as kcat -d).", valueName: "contexts"))
    var debug: String?

    func validate() throws {
        if mockBrokers != nil && !mock { throw FlagError("--mock-brokers sizes the embedded cluster; add --mock") }
        if mockPartitions != nil && !mock { throw FlagError("--mock-partitions sizes a topic of the embedded cluster; add --mock") }
        if mock, bootstrapServers != nil { throw FlagError("--mock runs its own cluster and -b names another; drop one of them") }
        if let b = bootstrapServers, b.isEmpty {
            throw FlagError("--bootstrap-servers: the broker list must not be empty; write host:port[,host:port]")
        }
    }
}
