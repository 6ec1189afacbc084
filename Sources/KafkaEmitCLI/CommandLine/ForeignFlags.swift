/// Flags of the tools the README maps (kafka-producer-perf-test, kafka-console-producer, kcat,
/// rpk) that kafka-emit spells differently: an unknown option that is one of these gets the
/// kafka-emit spelling in its one-line error, and any other unknown long option the nearest
/// known one. A table of our own: the hints are about our flags, which no library knows.
enum ForeignFlags {
    static let hints: [String: String] = [
        // kafka-producer-perf-test
        "--num-records": "use -n/--count N (perf-test's --num-records)",
        "--throughput": "use --rate R (perf-test's --throughput; its -1, unthrottled, is no --rate at all)",
        "--producer-props": "use -X KEY=VALUE, once per property (perf-test's --producer-props)",
        "--payload-file": "use -i FILE: one record per line (perf-test's --payload-file); --value for templates",
        "--payload-delimiter": "use -D DELIM with -i FILE (perf-test's --payload-delimiter)",
        "--print-metrics": "use --stats-interval 5s for progress lines, --stats-file FILE for librdkafka's statistics",
        "--transaction-duration-ms": "use --transactional-id ID --transaction-every DURATION",
        "--warmup-records": "use --warmup N (perf-test's --warmup-records, KIP-1052)",
        // kafka-console-producer
        "--producer-property": "use -X KEY=VALUE (console-producer's --producer-property)",
        "--producer.config": "use -F FILE (console-producer's --producer.config)",
        "--request-required-acks": "use --acks all|1|0",
        "--compression-codec": "use -z/--compression CODEC",
        "--batch-size": "use -X batch.num.messages=N",
        "--message-send-max-retries": "use -X message.send.max.retries=N",
        "--timeout": "use --linger DURATION (console-producer's --timeout is its linger)",
        "--sync": "not needed: kafka-emit waits for every record's delivery report and prints it",
        "--line-reader": "use --input-format lines|json|FORMAT",
        "--reader-config": "use --input-format and -K/-D (reader properties are flags here)",
        // rpk topic produce
        "--max-message-bytes": "use -X message.max.bytes=N",
        "--allow-auto-topic-creation": "use -X allow.auto.create.topics=true (the broker decides)",
        "--tombstone": "use -Z/--null-empty: an empty value is sent as a tombstone",
        // kcat
        "-T": "not needed: every record's result line is on stdout already (--dry-run shows records unsent)",
        "-C": "kafka-emit only produces (kcat -C consumes)",
        "-L": "kafka-emit only produces (kcat -L lists metadata; -v shows the brokers it talks to)",
        "-Q": "kafka-emit only produces (kcat -Q queries offsets)",
        "-G": "kafka-emit only produces (kcat -G consumes)",
        "-J": "use -o json for JSON result lines, --input-format json to replay kcat -J output",
        "-e": "not needed: kafka-emit ends when its input or --count does",
    ]

    /// The message for an unknown option as typed.
    static func unknown(_ name: String, in cluster: String? = nil) -> String {
        let shown = cluster.map { "'\(name)' in '\($0)'" } ?? "'\(name)'"
        if let hint = hints[name] { return "Unknown option \(shown); \(hint)" }
        if name.hasPrefix("--"), let near = nearest(name) { return "Unknown option \(shown); did you mean \(near)?" }
        return "Unknown option \(shown)"
    }

    /// The known long option closest to `name` (edit distance at most a third of its length,
    /// and 3), if one is.
    static func nearest(_ name: String) -> String? {
        let known = EmitCommand.groups.flatMap { $0.options.flatMap(\.names) }.filter { $0.hasPrefix("--") }
        let limit = min(3, max(1, name.count / 3))
        var best: (String, Int)?
        for k in known {
            let d = distance(Array(name.utf8), Array(k.utf8))
            if d <= limit && d < (best?.1 ?? Int.max) { best = (k, d) }
        }
        return best?.0
    }

    /// Levenshtein distance.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var prev = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cur = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = cur
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}
