import ArgumentParser

/// The producer's guarantees and limits.
struct ProducerOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp("Acknowledgements: all (= -1), 1 or 0. Default all.", valueName: "all|-1|1|0"),
            completion: .list(Acks.allValueStrings), transform: Acks.parse)
    var acks: Acks?

    @Option(name: [.customShort("z"), .long], help: ArgumentHelp("Compression: none, gzip, snappy, lz4, zstd.", valueName: "codec"),
            completion: .list(Compression.allValueStrings), transform: Compression.parse)
    var compression: Compression?

    @Option(help: ArgumentHelp("linger.ms as a duration (0ms for lowest latency).", valueName: "duration"),
            transform: { text in text == "0" || text == "0ms" || text == "0s" ? DurationArg(nanos: 0, text: text) : try DurationArg.parser("--linger")(text) })
    var linger: DurationArg?

    @Flag(inversion: .prefixedNo, help: "Idempotent producer: no duplicates, order kept across retries. Default on (off with --acks 0/1).")
    var idempotent: Bool?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Most records sent but not yet reported; the source waits beyond it (default 100000).", valueName: "n"),
            transform: Numbers.inRange("--max-in-flight", 1...10_000_000))
    var maxInFlight: Int?

    @Option(help: ArgumentHelp("Give up on a record after DURATION (message.timeout.ms). Default 30s.", valueName: "duration"),
            transform: DurationArg.parser("--delivery-timeout"))
    var deliveryTimeout: DurationArg?

    @Flag(help: "What the first failed delivery does (in-flight records still get their lines). Default: stop.")
    var errorPolicy: ErrorPolicy?

    @Option(help: ArgumentHelp("Send in transactions with this transactional.id; a record's result line comes when its transaction committed (txn=K), or fails when it aborted.", valueName: "id"))
    var transactionalID: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("With --transactional-id: commit after N records (default 1000).", valueName: "n"),
            transform: Numbers.inRange("--transaction-records", 1...10_000_000))
    var transactionRecords: Int?

    @Option(help: ArgumentHelp("With --transactional-id: commit DURATION after a transaction began, if --transaction-records did not close it first.", valueName: "duration"),
            transform: DurationArg.parser("--transaction-every"))
    var transactionEvery: DurationArg?

    enum ErrorPolicy: EnumerableFlag {
        case stopOnError, continueOnError
        static func help(for value: ErrorPolicy) -> ArgumentHelp? {
            switch value {
            case .stopOnError: "Stop the source at the first failed delivery (default)."
            case .continueOnError: "Keep sending after failed deliveries."
            }
        }
    }

    func validate() throws {
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
        if let l = linger, l.nanos > 900_000_000_000 { throw FlagError("--linger: '\(l.text)' is too long; librdkafka allows up to 900s") }
        if let d = deliveryTimeout, d.nanos > 2_147_483_647 * 1_000_000 {
            throw FlagError("--delivery-timeout: '\(d.text)' is too long; librdkafka allows up to 2147483647ms (about 24 days)")
        }
    }
}
