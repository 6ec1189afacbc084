/// The producer's guarantees and limits.
package struct ProducerOptions {
    var acks: Acks?
    var compression: Compression?
    var linger: DurationArg?
    var idempotent: Bool?
    var maxInFlight: Int?
    var deliveryTimeout: DurationArg?
    var stopOnError: Bool?
    var transactionalID: String?
    var transactionRecords: Int?
    var transactionEvery: DurationArg?

    static let specs: [OptionSpec] = [
        .value(["--acks"], "all|-1|1|0", "Acknowledgements: all (= -1), 1 or 0. Default all.", dash: true,
               completion: .list(Acks.allCases.map(\.rawValue))) { c, v throws(FlagError) in c.producer.acks = try Acks.parse(v) },
        .value(["-z", "--compression"], "codec", "Compression: none, gzip, snappy, lz4, zstd.",
               completion: .list(Compression.allCases.map(\.rawValue))) { c, v throws(FlagError) in
            c.producer.compression = try Compression.parse(v)
        },
        .value(["--linger"], "duration", "linger.ms as a duration (0ms for lowest latency).") { c, v throws(FlagError) in
            let l = v == "0" || v == "0ms" || v == "0s" ? DurationArg(nanos: 0, text: v) : try DurationArg.parse("--linger", v)
            if l.nanos > 900_000_000_000 { throw FlagError("--linger: '\(l.text)' is too long; librdkafka allows up to 900s") }
            c.producer.linger = l
        },
        .flag(["--idempotent"], "Idempotent producer: no duplicates, order kept across retries. Default on (off with --acks 0/1).",
              display: "--idempotent/--no-idempotent") { $0.producer.idempotent = true },
        .flag(["--no-idempotent"], "Turn the idempotent producer off.", hidden: true, contradicts: "--idempotent") { $0.producer.idempotent = false },
        .value(["--max-in-flight"], "n", "Most records sent but not yet reported; the source waits beyond it (default 50000).",
               dash: true) { c, v throws(FlagError) in
            c.producer.maxInFlight = try Numbers.inRange("--max-in-flight", v, 1...10_000_000)
        },
        .value(["--delivery-timeout"], "duration", "Give up on a record after DURATION (message.timeout.ms). Default 30s.") { c, v throws(FlagError) in
            let d = try DurationArg.parse("--delivery-timeout", v)
            if d.nanos > 2_147_483_647 * 1_000_000 {
                throw FlagError("--delivery-timeout: '\(d.text)' is too long; librdkafka allows up to 2147483647ms (about 24 days)")
            }
            c.producer.deliveryTimeout = d
        },
        .flag(["--stop-on-error"], "Stop the source at the first failed delivery (default).") { $0.producer.stopOnError = true },
        .flag(["--continue-on-error"], "Keep sending after failed deliveries.", contradicts: "--stop-on-error") { $0.producer.stopOnError = false },
        .value(["--transactional-id"], "id",
               "Send in transactions with this transactional.id; a record's result line comes when its transaction committed (txn=K), or fails when it aborted.") { c, v throws(FlagError) in
            c.producer.transactionalID = v
        },
        .value(["--transaction-records"], "n", "With --transactional-id: commit after N records (default 1000).", dash: true) { c, v throws(FlagError) in
            c.producer.transactionRecords = try Numbers.inRange("--transaction-records", v, 1...10_000_000)
        },
        .value(["--transaction-every"], "duration",
               "With --transactional-id: commit DURATION after a transaction began, if --transaction-records did not close it first.") { c, v throws(FlagError) in
            c.producer.transactionEvery = try DurationArg.parse("--transaction-every", v)
        },
    ]

    func validate() throws(FlagError) {
        if transactionalID == nil {
            if transactionRecords != nil { throw FlagError("--transaction-records sizes transactions; add --transactional-id ID") }
            if transactionEvery != nil { throw FlagError("--transaction-every times transactions; add --transactional-id ID") }
        } else {
            if transactionalID!.isEmpty { throw FlagError("--transactional-id: the id must not be empty") }
            if let acks, acks == .one || acks == .zero {
                throw FlagError("--acks \(acks.rawValue) conflicts with --transactional-id (a transactional producer needs acks=all); drop --acks")
            }
            if idempotent == false { throw FlagError("--no-idempotent conflicts with --transactional-id (transactions need the idempotent producer)") }
        }
        if let acks, acks == .one || acks == .zero, idempotent == true {
            throw FlagError("--acks \(acks.rawValue) conflicts with --idempotent (an idempotent producer needs acks=all); drop one of them")
        }
    }
}
