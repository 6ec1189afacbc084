/// kcat habits the argument parser does not know, applied to argv before it parses:
/// attached short values (`-K:`, `-c3`, `-tname`, `-f'%k %v\n'`); and a single-value flag
/// given twice, which would otherwise silently
/// keep the last value, is refused naming both spellings as the user typed them.
enum ArgvPrepass {
    /// Short options that take a value, and the long name that names them in messages.
    static let shortValued: [Character: String] = [
        "b": "--bootstrap-servers", "t": "--topic", "i": "--input", "l": "--input", "n": "--count", "c": "--count",
        "D": "--delimiter", "K": "--key-delimiter", "k": "--key", "H": "--header", "p": "--partition",
        "X": "--property", "F": "--config-file", "o": "--output", "z": "--compression", "d": "--debug",
        "f": "--input-format",
    ]

    /// Long spellings of the single-value options, with their canonical name.
    static let singleValued: [String: String] = {
        var m: [String: String] = [:]
        for name in ["--topic", "--input", "--count", "--delimiter", "--key-delimiter", "--key", "--value", "--partition",
                     "--correlation", "--correlation-header", "--seed", "--every", "--rate", "--duration", "--acks",
                     "--compression", "--linger", "--max-in-flight", "--delivery-timeout", "--connect-timeout",
                     "--config-file", "--output", "--output-format", "--stats-interval", "--debug", "--input-format",
                     "--mock-brokers", "--mock-partitions", "--timestamp", "--transactional-id", "--transaction-records",
                     "--transaction-every", "--record-size", "--shard", "--warmup", "--histogram-log", "--stats-file",
                     "--summary-file"] {
            m[name] = name
        }
        m["--bootstrap-servers"] = "--bootstrap-servers"
        m["--bootstrap-server"] = "--bootstrap-servers"
        m["--brokers"] = "--bootstrap-servers"
        m["--format"] = "--input-format"   // rpk's -f/--format is the input format
        return m
    }()

    /// Flags that say opposite things.
    static let opposites: [(String, String)] = [("--idempotent", "--no-idempotent"), ("--stop-on-error", "--continue-on-error")]

    /// The rewritten arguments (without the program name).
    static func rewrite(_ args: [String]) throws(FlagError) -> [String] {
        for (a, b) in opposites where args.contains(a) && args.contains(b) {
            throw FlagError("\(a) and \(b) contradict each other; give one of them")
        }
        var out: [String] = []
        var seen: [String: (spelling: String, value: String)] = [:]
        var i = 0
        func note(_ canonical: String, _ spelling: String, _ value: String?) throws(FlagError) {
            guard let value else { return }
            if let first = seen[canonical] {
                if canonical == "--input" {
                    throw FlagError("two inputs (\(first.spelling) '\(first.value)' and \(spelling) '\(value)'); give one --input, or send whole files as FILE arguments, or cat them into -i -")
                }
                if first.spelling != spelling {
                    throw FlagError("\(first.spelling) '\(first.value)' and \(spelling) '\(value)' both set \(canonical); give it once")
                }
                throw FlagError("\(first.spelling) given twice ('\(first.value)' and '\(value)'); give \(canonical) once")
            }
            seen[canonical] = (spelling, value)
        }
        while i < args.count {
            let a = args[i]
            i += 1
            if a == "--" { out += args[(i - 1)...]; break }
            if a.hasPrefix("--") {
                let name = a.split(separator: "=", maxSplits: 1).first.map(String.init) ?? a
                if let canonical = singleValued[name] {
                    let value = a.contains("=") ? String(a[a.index(after: a.firstIndex(of: "=")!)...]) : (i < args.count ? args[i] : nil)
                    try note(canonical, name, value)
                }
                out.append(a)
                continue
            }
            guard a.count >= 2, a.first == "-", let letter = a.dropFirst().first, let long = shortValued[letter] else {
                out.append(a)
                continue
            }
            // -K: → -K :   (a value attached to its short option, as kcat users write it)
            let spelling = "-\(letter)"
            let value: String?
            if a.count > 2 {
                value = String(a.dropFirst(2))
            } else {
                value = i < args.count ? args[i] : nil
                if i < args.count { i += 1 }
            }
            out.append(spelling)
            if let value { out.append(value) }
            if long != "--header" && long != "--property" { try note(long, spelling, value) }
        }
        return out
    }
}
