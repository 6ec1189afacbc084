/// Where the cluster is and how librdkafka is configured.
package struct ConnectionOptions {
    var bootstrapServers: String?
    var mock = false
    var mockBrokers: Int?
    var mockPartitions: Int?
    var connectTimeout = DurationArg(nanos: 10_000_000_000, text: "10s")
    package var property: [PropertyArg] = []
    package var configFile: String?
    var debug: String?

    static let specs: [OptionSpec] = [
        .value(["-b", "--bootstrap-servers", "--bootstrap-server", "--brokers"], "list",
               "Brokers, host:port[,host:port]. Default: $KAFKA_BOOTSTRAP_SERVERS, else localhost:9092.") { c, v throws(FlagError) in
            c.connection.bootstrapServers = v
        },
        .flag(["--mock"], "Run against an embedded librdkafka mock cluster (no Kafka needed).") { $0.connection.mock = true },
        .value(["--mock-brokers"], "n", "Brokers in the --mock cluster (default 3).", dash: true) { c, v throws(FlagError) in
            c.connection.mockBrokers = try Numbers.inRange("--mock-brokers", v, 1...32)
        },
        .value(["--mock-partitions"], "n", "Partitions of the -t topic in the --mock cluster (default: created on first use with 4).",
               dash: true) { c, v throws(FlagError) in
            c.connection.mockPartitions = try Numbers.inRange("--mock-partitions", v, 1...10_000)
        },
        .value(["--connect-timeout"], "duration", "Exit 69 if no broker answers within DURATION (default 10s).") { c, v throws(FlagError) in
            c.connection.connectTimeout = try DurationArg.parse("--connect-timeout", v)
        },
        .value(["-X", "--property"], "key=value", "Any librdkafka property, repeatable, applied last.", repeats: .accumulates) { c, v throws(FlagError) in
            c.connection.property.append(try PropertyArg.parse(v, number: c.connection.property.count + 1))
        },
        .value(["-F", "--config-file"], "path", "librdkafka properties file (key=value, # comments).", completion: .file) { c, v throws(FlagError) in
            c.connection.configFile = v
        },
        .value(["-d", "--debug"], "contexts", "librdkafka debug contexts, e.g. broker,msg (as kcat -d).") { c, v throws(FlagError) in
            c.connection.debug = v
        },
    ]

    func validate() throws(FlagError) {
        if mockBrokers != nil && !mock { throw FlagError("--mock-brokers sizes the embedded cluster; add --mock") }
        if mockPartitions != nil && !mock { throw FlagError("--mock-partitions sizes a topic of the embedded cluster; add --mock") }
        if mock, bootstrapServers != nil { throw FlagError("--mock runs its own cluster and -b names another; drop one of them") }
        if let b = bootstrapServers, b.isEmpty {
            throw FlagError("--bootstrap-servers: the broker list must not be empty; write host:port[,host:port]")
        }
    }
}
