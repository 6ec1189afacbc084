/// One command-line option as a table row: its spellings, its value, its help, and what it
/// sets. The parser, `--help`, the completion scripts and the man page are all read from
/// these rows (`EmitCommand.groups`), so they cannot disagree.
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
    let set: @Sendable (inout EmitCommand, String) throws(FlagError) -> Void

    /// An option with a value.
    static func value(_ names: [String], _ valueName: String, _ help: String, dash: Bool = false, completion: Completion = .none,
                      _ set: @escaping @Sendable (inout EmitCommand, String) throws(FlagError) -> Void) -> OptionSpec {
        OptionSpec(names: names, valueName: valueName, help: help, acceptsDashValue: dash, completion: completion,
                   display: nil, hiddenInHelp: false, set: set)
    }

    /// A flag (no value).
    static func flag(_ names: [String], _ help: String, display: String? = nil, hidden: Bool = false,
                     _ set: @escaping @Sendable (inout EmitCommand) -> Void) -> OptionSpec {
        OptionSpec(names: names, valueName: nil, help: help, acceptsDashValue: false, completion: .none,
                   display: display, hiddenInHelp: hidden, set: { command, _ in set(&command) })
    }

    var takesValue: Bool { valueName != nil }

    /// `-b, --bootstrap-servers <list>` as help and errors show it.
    var shown: String {
        (display ?? names.joined(separator: ", ")) + (valueName.map { " <\($0)>" } ?? "")
    }
}

/// A titled group of options (`CONNECTION:` in `--help`).
struct OptionGroupSpec: Sendable {
    let title: String
    let options: [OptionSpec]
}

/// The positional argument (`FILE...`).
struct PositionalSpec: Sendable {
    let valueName: String
    let help: String
    /// The group it is listed with in `--help`.
    let group: String
}
