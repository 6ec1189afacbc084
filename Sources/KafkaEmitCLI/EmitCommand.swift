@_spi(Engine) import KafkaEmit
import KafkaEmitEngine

/// The command line: flags → a validated `EmitPlan`. No Kafka calls here. Options live in
/// typed groups; each group's table (`specs`) is what the parser, `--help`, the completion
/// scripts and the man page read.
package struct EmitCommand {
    static let version = "0.4.0"
    /// The man page's date (`.Dd`): the day this version's interface last changed.
    static let manualDate = "November 28, 2026"
    static let name = "kafka-emit"
    static let abstract = "Send records to Apache Kafka from a timer or from stdin, one result line per delivery."
    static let discussion = """
        MODES
          generate  no input: --count N records from templates, paced by
                    --every/--rate, or as fast as the broker takes them
          lines     -i FILE (- = stdin; -l as kcat): one record per unit,
                    read as --input-format says:
                      lines  -D delimiter (default \\n, a trailing \\r is
                             stripped), -K STR splits key and value
                      json   kcat -J envelopes or --dry-run -o json records
                             (key, payload|value, headers, partition, ts,
                             topic when no -t is given)
                      FMT    rpk's produce format, e.g. '%k %v\\n',
                             '%t %p %k %H %h{%k=%v;}%v\\n', '%k{hex} %v\\n'
          files     FILE...: each file one record, its content the value

        TEMPLATES (--key, --value, --header, --correlation, --timestamp, --let)
          {i} {i:WIDTH} {rand:N} {uuid} {ts} {now} {line} {key} {topic} {file}
          {int:MIN:MAX} (both included)  {float:MIN:MAX:DIGITS} (DIGITS 0-9,
          default 2)  {normal:MEAN:SD} (2 decimals; {normal:MEAN:SD:DIGITS})
          {choice:a|b|c}  {weighted:a=5|b=1}  {zipf:N:S} (Zipf rank in [0,N),
          exponent S, key 0 the most frequent)  {hot:N:PCT} (PCT % on key 0,
          the rest uniform over [0,N))
          realistic, JSON-safe: {first_name} {last_name} {name} {email}
          {phone} {street} {city} {country} {ipv4} {ipv6} {word} {sentence}
          {lat} {lon} {iban} (valid check digits) {user_agent}
          {line:FILE} a random line of FILE (read once)
          {ref:NAME} the value of --let NAME=TEMPLATE, rendered once per
          record: --let cid={int:1:500} -k '{ref:cid}' --value '{"c":{ref:cid}}'
          --seed N makes every random placeholder repeatable
          {{ is a literal {, and the }} closing it a literal }; any other
          brace is literal, so JSON works as written:
            --value '{"id":{i},"at":{ts}}'

        OUTPUT
          stdout, one line per record, in completion order:
            delivered topic=T partition=P offset=O correlation=C
            failed topic=T correlation=C error="NAME: message"
            unknown topic=T correlation=C error="NAME: message"
          (failed: certainly not stored; unknown: reported failed but possibly
          stored, e.g. timed out in flight: do not re-send it blindly;
          values outside [A-Za-z0-9._:/@+-] are quoted, so one record is
          one line; an offset the broker did not report is -1)
          -o json: one JSON object per line; -o none; --output-format FMT:
            %t topic %p partition %o offset %c correlation %k key %v value
            %h headers %T timestamp ms %l latency ms %e error %s status
            \\n \\t %% (bytes outside [A-Za-z0-9._:/@+-] in %k %v %c %h %e
            are quoted as in text)
          stderr: diagnostics and the summary (counts, rate, latency);
          -q hides the summary; -o none -q prints nothing on success

        COMING FROM kcat / rpk / kafka-console-producer
          kcat -P -t T -K: -l f   = kafka-emit -t T -K: -l f  (also -P, -c N,
          -p -1, -H name, -X list, -X dump, FILE...; kcat -J lines replay
          with --input-format json)
          rpk topic produce -f FMT = kafka-emit -f FMT (reads stdin);
            its -o FMT (result line) = --output-format FMT
          console-producer --property parse.key=true = kafka-emit -i - -K '\\t'
          kafka-producer-perf-test --num-records N --record-size S
            --throughput R --producer-props k=v --print-metrics
            = kafka-emit -n N --record-size S --rate R -X k=v -o none
              --stats-interval 5s --stats-file F  (--warmup N as KIP-1052)

        LOAD ACROSS MACHINES
          --shard K/N on N processes sends what one process would (record
          numbers, --rate's schedule and --warmup stay global); merge their
          --histogram-log files with examples/merge-histograms.py

        CONFIGURATION PRECEDENCE (highest first)
          -X KEY=VALUE > typed flags (--acks, -z, --linger, ...)
            > -F FILE > $KAFKA_BOOTSTRAP_SERVERS > defaults

        EXIT CODES
          0 all delivered      1 some failed/unknown  64 usage error
          65 bad input record or schema misfit  66 cannot open file, or no
          such schema/subject/id  69 no broker / topic / schema registry
          77 the schema registry refused the credentials
          71 out of threads, file descriptors or memory (ulimit -u/-n/-v)
          74 I/O error         129/130/143 SIGHUP/SIGINT/SIGTERM (a second
          one ends the run within 1 s); SIGUSR1 prints a progress line
          141 stdout closed before every record asked for was delivered

        EXAMPLES
          kafka-emit --mock -t order-events --every 100ms --count 100
          cat events.txt | kafka-emit -b broker:9092 -t events -i -
          kafka-emit -t load --rate 10000 --duration 30s -o none \\
            --value '{"id":"{uuid}","n":{i}}'
          kafka-emit -t smoke -n 10 -o json | jq -r .offset
          kcat -C -t src -e -J | kafka-emit -t copy -i - --input-format json
          kafka-emit -t load --rate-profile 'ramp 0..5000 30s, hold 5000 60s' \\
            --value '{"user":"{name}","zone":{zipf:100:1.1}}' -o none
          kafka-emit -t copy -i dump.jsonl --input-format json --replay 10
        """

    package var connection = ConnectionOptions()
    package var input = InputOptions()
    package var record = RecordOptions()
    package var pacing = PacingOptions()
    package var producer = ProducerOptions()
    package var load = LoadOptions()
    package var output = OutputOptions()
    package var schema = SchemaOptions()

    /// Every option, in the order `--help` lists them; the meta options (`--help`) last.
    static let groups: [OptionGroupSpec] = [
        OptionGroupSpec(title: "Connection", options: ConnectionOptions.specs),
        OptionGroupSpec(title: "Records", options: InputOptions.specs),
        OptionGroupSpec(title: "Record content", options: RecordOptions.specs),
        OptionGroupSpec(title: "Pacing", options: PacingOptions.specs),
        OptionGroupSpec(title: "Producer", options: ProducerOptions.specs),
        OptionGroupSpec(title: "Load testing", options: LoadOptions.specs),
        OptionGroupSpec(title: "Output", options: OutputOptions.specs),
        OptionGroupSpec(title: "Schema Registry", options: SchemaOptions.specs),
        OptionGroupSpec(title: "Options", manTitle: "Other", options: MetaOptions.specs),
    ]

    /// Each group's rules, then flags from different groups that contradict each other.
    func validate() throws(FlagError) {
        try connection.validate()
        try input.validate()
        try pacing.validate()
        try producer.validate()
        try output.validate()
        try schema.validate()
        if record.key != nil && input.keyDelimiter != nil {
            throw FlagError("--key sets every key and --key-delimiter (-K) splits keys off lines; use one of them")
        }
        if load.recordSize != nil && record.value != nil {
            throw FlagError("--record-size sends random values and --value templates them; use one of them")
        }
        if output.format != nil && output.output == .json {
            throw FlagError("--output-format writes its own result lines and -o json writes JSON ones; use one of them")
        }
    }

    package static var versionText: String {
        "kafka-emit \(version)\nlibrdkafka \(LibrdkafkaInfo.version) (builtin features: \(LibrdkafkaInfo.builtinFeatures))"
    }
}
