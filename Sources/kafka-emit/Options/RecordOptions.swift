/// What each record holds: key, value, headers, partition, correlation.
struct RecordOptions {
    var key: String?
    var value: String?
    var header: [String] = []
    var partition: Int32?
    var correlation = "{i}"
    var correlationHeader: String?
    var nullEmpty = false
    var timestamp: String?
    var seed: UInt64?

    static let specs: [OptionSpec] = [
        .value(["-k", "--key"], "template", "Key template. Default: {i} (generate), null (lines), {key} (with -K).", dash: true) { c, v throws(FlagError) in
            c.record.key = v
        },
        .value(["--value"], "template", "Value template. Default: event-{i} (generate), {line} (lines).", dash: true) { c, v throws(FlagError) in
            c.record.value = v
        },
        .value(["-H", "--header"], "name=template", "Header NAME=TEMPLATE, repeatable; -H NAME alone is a null value (as kcat).",
               repeats: .accumulates) { c, v throws(FlagError) in
            c.record.header.append(v)
        },
        .value(["-p", "--partition"], "n", "Send every record to partition N (-1 or unset: librdkafka's partitioner).", dash: true) { c, v throws(FlagError) in
            c.record.partition = try Numbers.partition(v)
        },
        .value(["--correlation"], "template", "Correlation id carried to each result line (never sent, unless --correlation-header). Default {i}.",
               dash: true) { c, v throws(FlagError) in
            c.record.correlation = v
        },
        .value(["--correlation-header"], "name", "Also send the correlation id as header NAME.") { c, v throws(FlagError) in
            c.record.correlationHeader = v
        },
        .flag(["-Z", "--null-empty"], "Send an empty value as NULL (a tombstone).") { $0.record.nullEmpty = true },
        .value(["--timestamp"], "template",
               "Record timestamp: epoch milliseconds or RFC 3339, rendered per record ({ts} = now). Default: the time of sending.") { c, v throws(FlagError) in
            c.record.timestamp = v
        },
        .value(["--seed"], "n", "Seed for {rand} and {uuid}, for repeatable runs.", dash: true) { c, v throws(FlagError) in
            c.record.seed = try Numbers.seed(v)
        },
    ]
}
