/// What the command line asks for.
enum ParsedCommandLine {
    case run(EmitCommand)
    case help
    case completionScript(Shell)
    case manual
}

enum Shell: String, CaseIterable, Sendable {
    case bash, zsh, fish
}

/// Parses argv (after `ArgvPrepass`) against `EmitCommand.groups`, the way getopt_long users
/// expect: `--name value`, `--name=value`, `-x value`, `-xvalue`, clustered short flags
/// (`-qv`), `--` ending the options, `-` as a file name. Values are checked by each row's
/// setter, and the groups' cross-flag rules by `EmitCommand.validate()`; every problem is a
/// `FlagError` naming the flag.
enum CommandLineParser {
    /// Every spelling, to its row.
    private static let byName: [String: OptionSpec] = {
        var m: [String: OptionSpec] = [:]
        for group in EmitCommand.groups {
            for spec in group.options {
                for name in spec.names { m[name] = spec }
            }
        }
        return m
    }()

    static func parse(_ args: [String]) throws(FlagError) -> ParsedCommandLine {
        var command = EmitCommand()
        var wantsHelp = false
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
                command.input.files.append(a)
                continue
            }
            if a == "--" { onlyFiles = true; continue }
            if a == "-h" || a == "--help" { wantsHelp = true; continue }
            if a == "--generate-manual" { return .manual }
            if a == "--generate-completion-script" || a.hasPrefix("--generate-completion-script=") {
                let text = a.contains("=") ? String(a.split(separator: "=", maxSplits: 1)[1]) : (i < args.count ? args[i] : "")
                guard let shell = Shell(rawValue: text) else {
                    throw FlagError("--generate-completion-script: '\(text)' is not a shell; use bash, zsh or fish")
                }
                return .completionScript(shell)
            }
            if a.hasPrefix("--") {
                let parts = a.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0])
                guard let spec = byName[name] else { throw FlagError(ForeignFlags.unknown(name)) }
                if spec.takesValue {
                    try spec.set(&command, parts.count == 2 ? String(parts[1]) : try value(for: spec, spelled: name))
                } else {
                    if parts.count == 2 { throw FlagError("\(name) takes no value; write \(name) alone") }
                    try spec.set(&command, "")
                }
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
                if !spec.takesValue {
                    try spec.set(&command, "")
                    continue
                }
                try spec.set(&command, k < letters.count ? String(letters[k...]) : try value(for: spec, spelled: name))
                break
            }
        }
        if wantsHelp { return .help }
        try command.validate()
        return .run(command)
    }

    /// One of our own spellings (`--value`, `-q`, `-qv`), as opposed to a value such as `-1`
    /// or `-{i}`.
    private static func isOption(_ s: String) -> Bool {
        if s.hasPrefix("--") {
            return byName[String(s.split(separator: "=", maxSplits: 1)[0])] != nil || s == "--help"
        }
        guard let first = s.dropFirst().first else { return false }
        return byName["-\(first)"] != nil || s == "-h"
    }
}
