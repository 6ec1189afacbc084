/// One command-line option as a table row: every fact about it — its spellings (foreign
/// aliases included), its value, how often it may be given, the option it contradicts, its
/// help and completion, and the typed setter that checks its value. The parser, `--help`, the
/// completion scripts and the man page all read these rows (`EmitCommand.groups`), so they
/// cannot disagree, and nothing about a flag is listed anywhere else.
///
/// A table instead of a reflection-based parser: reading ~60 options through Swift's runtime
/// reflection cost 5–6 ms and ~4 MB at every start (see the README's benchmark notes); a table
/// costs nothing measurable.
struct OptionSpec: Sendable {
    enum Completion: Sendable, Equatable {
        case none
        case file
        case list([String])
    }

    /// One use of an option on the command line, as typed.
    struct Given: Sendable {
        /// The spelling typed (`-t`, `--topic`; without an attached `=value`).
        let spelling: String
        let value: String
    }

    /// How often the option may be given.
    enum Repeats: Sendable {
        /// A flag: saying it twice says it once.
        case harmless
        /// Each value adds one more (`-H`, `-X`).
        case accumulates
        /// One value: a second is a usage error naming both spellings as typed (else the last
        /// would silently win).
        case once
        /// As `.once`, with the row's own message.
        case onceSaying(@Sendable (_ first: Given, _ again: Given) -> String)
    }

    /// What the option does.
    enum Action: Sendable {
        /// Sets the command's typed value; the setter checks the value (its range, its syntax).
        case set(@Sendable (inout EmitCommand, String) throws(FlagError) -> Void)
        /// `--help`: the rest of the command line is still read (a mistake there is still
        /// reported), then help instead of a run.
        case help
        /// Prints something about kafka-emit itself instead of a run, at once: what follows is
        /// not read. Takes the option's value ("" when there is none).
        case answer(@Sendable (String) throws(FlagError) -> ParsedCommandLine)
    }

    /// Spellings, short first (`-b`), then long ones (`--bootstrap-servers`, aliases).
    let names: [String]
    /// The value's name in help (`<list>`); nil for a flag.
    let valueName: String?
    let help: String
    /// The value may start with `-` (a number such as `-1`); otherwise a value that is one
    /// of our own option names means the value was forgotten.
    let acceptsDashValue: Bool
    let completion: Completion
    /// How `--help` shows the names, when not `names` joined (`--idempotent/--no-idempotent`).
    let display: String?
    /// Listed under another row's `display`: parsed and completed, not shown on its own.
    let hiddenInHelp: Bool
    let repeats: Repeats
    /// The option that says the opposite (`--idempotent` for `--no-idempotent`): giving both
    /// is a usage error naming both.
    let contradicts: String?
    /// The name messages use for the option: its first long spelling unless the row says.
    let canonical: String
    let action: Action
    /// The value may be left out (`--replay`, `--replay 10`): the next argument is the value
    /// only when it is a number; the setter gets "" otherwise.
    var valueIsOptional = false

    /// An option with a value; given once unless `repeats` says otherwise.
    static func value(_ names: [String], _ valueName: String, _ help: String, dash: Bool = false, completion: Completion = .none,
                      repeats: Repeats = .once, canonical: String? = nil,
                      _ set: @escaping @Sendable (inout EmitCommand, String) throws(FlagError) -> Void) -> OptionSpec {
        OptionSpec(names: names, valueName: valueName, help: help, acceptsDashValue: dash, completion: completion,
                   display: nil, hiddenInHelp: false, repeats: repeats, contradicts: nil,
                   canonical: canonical ?? longName(names), action: .set(set))
    }

    /// An option whose value, a number, may be left out (`--replay [SPEED]`).
    static func optionalNumber(_ names: [String], _ valueName: String, _ help: String,
                               _ set: @escaping @Sendable (inout EmitCommand, String) throws(FlagError) -> Void) -> OptionSpec {
        OptionSpec(names: names, valueName: valueName, help: help, acceptsDashValue: false, completion: .none,
                   display: nil, hiddenInHelp: false, repeats: .once, contradicts: nil,
                   canonical: longName(names), action: .set(set), valueIsOptional: true)
    }

    /// A flag (no value).
    static func flag(_ names: [String], _ help: String, display: String? = nil, hidden: Bool = false, contradicts: String? = nil,
                     _ set: @escaping @Sendable (inout EmitCommand) -> Void) -> OptionSpec {
        OptionSpec(names: names, valueName: nil, help: help, acceptsDashValue: false, completion: .none,
                   display: display, hiddenInHelp: hidden, repeats: .harmless, contradicts: contradicts,
                   canonical: longName(names), action: .set({ command, _ in set(&command) }))
    }

    /// An option about kafka-emit itself (`--help`, `--generate-manual`).
    static func meta(_ names: [String], value valueName: String? = nil, _ help: String, values: [String] = [], _ action: Action) -> OptionSpec {
        OptionSpec(names: names, valueName: valueName, help: help, acceptsDashValue: false,
                   completion: values.isEmpty ? .none : .list(values), display: nil, hiddenInHelp: false,
                   repeats: .harmless, contradicts: nil, canonical: longName(names), action: action)
    }

    private static func longName(_ names: [String]) -> String { names.first { $0.hasPrefix("--") } ?? names[0] }

    var takesValue: Bool { valueName != nil }

    /// `-H` and `-X`: each use adds a value.
    var isRepeatable: Bool {
        if case .accumulates = repeats { return true }
        return false
    }

    /// `-b, --bootstrap-servers <list>` as help and errors show it.
    var shown: String {
        (display ?? names.joined(separator: ", ")) + (valueName.map { valueIsOptional ? " [<\($0)>]" : " <\($0)>" } ?? "")
    }

    /// The usage error for a second use of a single-valued option; nil when it may repeat.
    func repeatError(first: Given, again: Given) -> String? {
        switch repeats {
        case .harmless, .accumulates: return nil
        case .onceSaying(let message): return message(first, again)
        case .once:
            if first.spelling != again.spelling {
                return "\(first.spelling) '\(first.value)' and \(again.spelling) '\(again.value)' both set \(canonical); give it once"
            }
            return "\(first.spelling) given twice ('\(first.value)' and '\(again.value)'); give \(canonical) once"
        }
    }
}

/// A titled group of options (`CONNECTION:` in `--help`).
struct OptionGroupSpec: Sendable {
    let title: String
    /// The man page's subsection, when not `title`.
    var manTitle: String? = nil
    let options: [OptionSpec]
}

/// The positional argument (`FILE...`).
struct PositionalSpec: Sendable {
    let valueName: String
    let help: String
    /// The group it is listed with in `--help`.
    let group: String
}
