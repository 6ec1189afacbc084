/// Load testing: payload size, warm-up, sharding, statistics files.
package struct LoadOptions {
    var recordSize: Int?
    var warmup: Int?
    var shard: Shard?
    var histogramLog: String?
    var statsFile: String?
    package var summaryFile: String?

    static let specs: [OptionSpec] = [
        .value(["--record-size"], "n", "Values of exactly N random letters (as kafka-producer-perf-test), instead of --value.",
               dash: true) { c, v throws(FlagError) in
            c.load.recordSize = try Numbers.inRange("--record-size", v, 0...100_000_000)
        },
        .value(["--warmup"], "n", "The first N records are sent but kept out of the latency figures.", dash: true) { c, v throws(FlagError) in
            c.load.warmup = try Numbers.inRange("--warmup", v, 0...Int.max)
        },
        .value(["--shard"], "k/n",
               "Send only records i with i mod N = K (K from 0): N processes or machines split one workload; {i}, correlations and --count stay global.") { c, v throws(FlagError) in
            c.load.shard = try Shard.parse(v)
        },
        .value(["--histogram-log"], "file",
               "Write an HdrHistogram interval log of delivery latency (microseconds), one interval per --stats-interval (default 5s).",
               completion: .file) { c, v throws(FlagError) in
            c.load.histogramLog = v
        },
        .value(["--stats-file"], "file", "Write librdkafka's statistics JSON, one object per line, every --stats-interval (default 5s).",
               completion: .file) { c, v throws(FlagError) in
            c.load.statsFile = v
        },
        .value(["--summary-file"], "file", "Also write the end summary as one JSON object to FILE, whatever -o and -q say (one per shard, to merge).",
               completion: .file) { c, v throws(FlagError) in
            c.load.summaryFile = v
        },
    ]
}

/// `--shard K/N`.
struct Shard {
    let index: UInt64
    let count: UInt64
    static func parse(_ text: String) throws(FlagError) -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = UInt64(parts[0]), let n = UInt64(parts[1]), n >= 1, k < n else {
            throw FlagError("--shard: '\(text)' is not K/N with 0 ≤ K < N; e.g. --shard 0/4 … --shard 3/4")
        }
        return Shard(index: k, count: n)
    }
}
