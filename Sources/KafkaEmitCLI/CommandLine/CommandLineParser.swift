/// What the command line asks for.
package enum ParsedCommandLine {
    case run(EmitCommand)
    case help
    case completionScript(Shell)
    case manual
}

package enum Shell: String, CaseIterable, Sendable {
    case bash, zsh, fish
}

/// Parses argv against the option table (`EmitCommand.groups`), the way getopt_long users
/// expect: `--name value`, `--name=value`, `-x value`, `-xvalue` (kcat's `-K:`, `-c3`),
/// clustered short flags (`-qv`), `--` ending the options, `-` as a file name.
///
/// In order: the arguments are read into uses of rows (an unknown option, a missing value or
/// an option about kafka-emit itself ends the reading there); then the rows' rules across
/// uses — options that contradict each other, a single-valued option given twice — are
/// checked; then each row's setter checks and stores its value; then `EmitCommand.validate()`
/// checks flags that depend on each other. Every problem is a `FlagError` naming the flag.
package enum CommandLineParser {
    /// Every row of the table, `--help` and the other meta options included.
    static let rows: [OptionSpec] = EmitCommand.groups.flatMap(\.options)

    /// Every spelling, to its row.
    private static let byName: [String: OptionSpec] = {
        var m: [String: OptionSpec] = [:]
        for spec in rows {
            for name in spec.names { m[name] = spec }
        }
        return m
    }()

    private typealias Use = (spec: OptionSpec, given: OptionSpec.Given)

    package static func parse(_ args: [String]) throws(FlagError) -> ParsedCommandLine {
        var command = EmitCommand()
        var uses: [Use] = []
        // Where reading stopped early: a mistake, or an answer such as --generate-manual.
        var stop: Result<ParsedCommandLine, FlagError>?
        do {
            stop = try read(args, into: &uses, files: &command.input.files)
        } catch {
            stop = .failure(error)
        }
        try checkContradictions(uses)
        try checkRepeats(uses)
        var wantsHelp = false
        for use in uses {
            switch use.spec.action {
            case .set(let set): try set(&command, use.given.value)
            case .help: wantsHelp = true
            case .answer: break
            }
        }
        if let stop { return try stop.get() }
        if wantsHelp { return .help }
        try command.validate()
        return .run(command)
    }

    /// Reads the arguments into uses of rows and file names. Returns the answer when a meta
    /// option (`--generate-manual`) ends the reading.
    private static func read(_ args: [String], into uses: inout [Use], files: inout [String]) throws(FlagError)
        -> Result<ParsedCommandLine, FlagError>? {
        var onlyFiles = false
        var i = 0

        func value(for spec: OptionSpec, spelled name: String) throws(FlagError) -> String {
            guard i < args.count else { throw FlagError("Missing value for '\(name) <\(spec.valueName ?? "value")>'") }
            let v = args[i]
            // `-t --value x`: the topic was forgotten, not named "--value".
            if !spec.acceptsDashValue && v.count > 1 && v.hasPrefix("-") && isOption(v) {
                throw FlagError("Missing value for '\(name) <\(spec.valueName ?? "value")>' (got the option '\(v)')")
            }
            i += 1
            return v
        }

        while i < args.count {
            let a = args[i]
            i += 1
            if onlyFiles || a == "-" || !a.hasPrefix("-") {
                files.append(a)
                continue
            }
            if a == "--" { onlyFiles = true; continue }
            if a.hasPrefix("--") {
                let parts = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                let attached = parts.count == 2 ? String(parts[1]) : nil
                guard let spec = byName[name] else { throw FlagError(ForeignFlags.unknown(name)) }
                if !spec.takesValue, attached != nil { throw FlagError("\(name) takes no value; write \(name) alone") }
                if case .answer(let answer) = spec.action {
                    // Lenient: a missing shell is named as "'' is not a shell".
                    return Result { () throws(FlagError) in try answer(attached ?? (spec.takesValue && i < args.count ? args[i] : "")) }
                }
                var v = attached ?? ""
                if spec.valueIsOptional {
                    if attached == nil, i < args.count, Double(args[i]) != nil { v = args[i]; i += 1 }
                } else if spec.takesValue && attached == nil {
                    v = try value(for: spec, spelled: name)
                }
                uses.append((spec, OptionSpec.Given(spelling: name, value: v)))
                continue
            }
            // Short options: a flag cluster (`-qv`), or one option with its value (`-t x`, `-tx`).
            let letters = Array(a.dropFirst())
            var k = 0
            while k < letters.count {
                let name = "-\(letters[k])"
                guard let spec = byName[name] else {
                    throw FlagError(k == 0 && letters.count == 1 ? ForeignFlags.unknown(name)
                                    : k == 0 ? ForeignFlags.unknown(a) : ForeignFlags.unknown(name, in: a))
                }
                k += 1
                let v = !spec.takesValue ? "" : k < letters.count ? String(letters[k...]) : try value(for: spec, spelled: name)
                if case .answer(let answer) = spec.action { return Result { () throws(FlagError) in try answer(v) } }
                uses.append((spec, OptionSpec.Given(spelling: name, value: v)))
                if spec.takesValue { break }
            }
        }
        return nil
    }

    /// Options that say opposite things (`--idempotent` and `--no-idempotent`), in table order.
    private static func checkContradictions(_ uses: [Use]) throws(FlagError) {
        for spec in rows {
            guard let other = spec.contradicts, uses.contains(where: { $0.spec.names == spec.names }),
                  uses.contains(where: { $0.spec.names.contains(other) }) else { continue }
            throw FlagError("\(other) and \(spec.canonical) contradict each other; give one of them")
        }
    }

    /// A single-valued option given twice, named as typed both times.
    private static func checkRepeats(_ uses: [Use]) throws(FlagError) {
        var first: [String: OptionSpec.Given] = [:]
        for use in uses {
            if let earlier = first[use.spec.canonical] {
                if let message = use.spec.repeatError(first: earlier, again: use.given) { throw FlagError(message) }
            } else {
                first[use.spec.canonical] = use.given
            }
        }
    }

    /// One of our own spellings (`--value`, `-q`, `-qv`), as opposed to a value such as `-1`
    /// or `-{i}`.
    private static func isOption(_ s: String) -> Bool {
        if s.hasPrefix("--") {
            return byName[String(s.split(separator: "=", maxSplits: 1)[0])] != nil
        }
        guard let first = s.dropFirst().first else { return false }
        return byName["-\(first)"] != nil
    }
}
