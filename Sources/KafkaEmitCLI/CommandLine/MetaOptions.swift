/// The options that print something about kafka-emit itself instead of a run: rows like any
/// other (the last group of the table), so --help, the man page and the completion scripts
/// list them, and the parser knows them, from the same place.
enum MetaOptions {
    static let specs: [OptionSpec] = [
        .meta(["--generate-completion-script"], value: "shell", "Print a completion script for bash, zsh or fish.",
              values: Shell.allCases.map(\.rawValue), .answer({ text throws(FlagError) in
                  guard let shell = Shell(rawValue: text) else {
                      throw FlagError("--generate-completion-script: '\(text)' is not a shell; use bash, zsh or fish")
                  }
                  return .completionScript(shell)
              })),
        .meta(["--generate-manual"], "Print the man page (mdoc) and exit.", .answer({ _ throws(FlagError) in .manual })),
        .meta(["-h", "--help"], "Show help information.", .help),
    ]
}
