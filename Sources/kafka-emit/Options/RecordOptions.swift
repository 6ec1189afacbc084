import ArgumentParser

/// What each record holds: key, value, headers, partition, correlation.
struct RecordOptions: ParsableArguments {
    @Option(name: [.customShort("k"), .long], help: ArgumentHelp("Key template. Default: {i} (generate), null (lines), {key} (with -K).", valueName: "template"))
    var key: String?

    @Option(help: ArgumentHelp("Value template. Default: event-{i} (generate), {line} (lines).", valueName: "template"))
    var value: String?

    @Option(name: [.customShort("H"), .long], help: ArgumentHelp("Header NAME=TEMPLATE, repeatable; -H NAME alone is a null value (as kcat).", valueName: "name=template"))
    var header: [String] = []

    @Option(name: [.customShort("p"), .long], parsing: .unconditional,
            help: ArgumentHelp("Send every record to partition N (-1 or unset: librdkafka's partitioner).", valueName: "n"),
            transform: Numbers.partition)
    var partition: Int32?

    @Option(help: ArgumentHelp("Correlation id carried to each result line (never sent, unless --correlation-header).", valueName: "template"))
    var correlation: String = "{i}"

    @Option(help: ArgumentHelp("Also send the correlation id as header NAME.", valueName: "name"))
    var correlationHeader: String?

    @Flag(name: [.customShort("Z"), .long], help: "Send an empty value as NULL (a tombstone).")
    var nullEmpty = false

    @Option(help: ArgumentHelp("Record timestamp: epoch milliseconds or RFC 3339, rendered per record ({ts} = now). Default: the time of sending.", valueName: "template"))
    var timestamp: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Seed for {rand} and {uuid}, for repeatable runs.", valueName: "n"),
            transform: Numbers.seed)
    var seed: UInt64?
}
