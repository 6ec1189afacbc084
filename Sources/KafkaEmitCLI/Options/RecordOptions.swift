@_spi(Engine) import KafkaEmit
import KafkaEmitEngine

/// What each record holds: key, value, headers, partition, correlation.
package struct RecordOptions {
    var key: Template?
    var value: Template?
    var header: [HeaderTemplate] = []
    var lets: [LetTemplate] = []
    var partition: Int32?
    /// nil: the plan's default, {i}.
    var correlation: Template?
    var correlationHeader: String?
    var nullEmpty = false
    var timestamp: Template?
    var seed: UInt64?

    static let specs: [OptionSpec] = [
        .value(["-k", "--key"], "template", "Key template. Default: {i} (generate), null (lines), {key} (with -K).", dash: true) { c, v throws(FlagError) in
            c.record.key = try Template.flag("--key", v)
        },
        .value(["--value"], "template", "Value template. Default: event-{i} (generate), {line} (lines).", dash: true) { c, v throws(FlagError) in
            c.record.value = try Template.flag("--value", v)
        },
        .value(["-H", "--header"], "name=template", "Header NAME=TEMPLATE, repeatable; -H NAME alone is a null value (as kcat).",
               repeats: .accumulates) { c, v throws(FlagError) in
            c.record.header.append(try HeaderArg.parse(v))
        },
        .value(["--let"], "name=template",
               "A value rendered once per record and reused as {ref:NAME} in key, value and headers; repeatable, each may use earlier ones.",
               repeats: .accumulates) { c, v throws(FlagError) in
            c.record.lets.append(try LetArg.parse(v))
        },
        .value(["-p", "--partition"], "n", "Send every record to partition N (-1 or unset: librdkafka's partitioner).", dash: true) { c, v throws(FlagError) in
            c.record.partition = try Numbers.partition(v)
        },
        .value(["--correlation"], "template", "Correlation id carried to each result line (never sent, unless --correlation-header). Default {i}.",
               dash: true) { c, v throws(FlagError) in
            c.record.correlation = try Template.flag("--correlation", v)
        },
        .value(["--correlation-header"], "name", "Also send the correlation id as header NAME.") { c, v throws(FlagError) in
            c.record.correlationHeader = v
        },
        .flag(["-Z", "--null-empty"], "Send an empty value as NULL (a tombstone).") { $0.record.nullEmpty = true },
        .value(["--timestamp"], "template",
               "Record timestamp: epoch milliseconds or RFC 3339, rendered per record ({ts} = now). Default: the time of sending.") { c, v throws(FlagError) in
            c.record.timestamp = try Template.flag("--timestamp", v)
        },
        .value(["--seed"], "n", "Seed for {rand}, {uuid} and the realistic-data placeholders, for repeatable runs (same seed, same bytes).", dash: true) { c, v throws(FlagError) in
            c.record.seed = try Numbers.seed(v)
        },
    ]
}
