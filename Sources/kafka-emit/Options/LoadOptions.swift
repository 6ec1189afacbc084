import ArgumentParser

/// Load testing: payload size, warm-up, sharding, statistics files.
struct LoadOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Values of exactly N random letters (as kafka-producer-perf-test), instead of --value.", valueName: "n"),
            transform: Numbers.inRange("--record-size", 0...100_000_000))
    var recordSize: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("The first N records are sent but kept out of the latency figures.", valueName: "n"),
            transform: Numbers.inRange("--warmup", 0...Int.max))
    var warmup: Int?

    @Option(help: ArgumentHelp("Send only records i with i mod N = K (K from 0): N processes or machines split one workload; {i}, correlations and --count stay global.", valueName: "k/n"),
            transform: Shard.parse)
    var shard: Shard?

    @Option(help: ArgumentHelp("Write an HdrHistogram interval log of delivery latency (microseconds), one interval per --stats-interval (default 5s).", valueName: "file"),
            completion: .file())
    var histogramLog: String?

    @Option(help: ArgumentHelp("Write librdkafka's statistics JSON, one object per line, every --stats-interval (default 5s).", valueName: "file"),
            completion: .file())
    var statsFile: String?

    @Option(help: ArgumentHelp("Also write the end summary as one JSON object to FILE, whatever -o and -q say (one per shard, to merge).", valueName: "file"),
            completion: .file())
    var summaryFile: String?
}

/// `--shard K/N`.
struct Shard {
    let index: UInt64
    let count: UInt64
    static func parse(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = UInt64(parts[0]), let n = UInt64(parts[1]), n >= 1, k < n else {
            throw FlagError("--shard: '\(text)' is not K/N with 0 ≤ K < N; e.g. --shard 0/4 … --shard 3/4")
        }
        return Shard(index: k, count: n)
    }
}
