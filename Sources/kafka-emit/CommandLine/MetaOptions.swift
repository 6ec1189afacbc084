/// The options that print something about kafka-emit itself and exit, handled before the
/// table's parse: one list, read by --help, the man page and the completion scripts alike.
enum MetaOptions {
    struct Row {
        let names: [String]
        let valueName: String?
        let values: [String]
        let help: String
    }

    static let rows: [Row] = [
        Row(names: ["--generate-completion-script"], valueName: "shell", values: Shell.allCases.map(\.rawValue),
            help: "Print a completion script for bash, zsh or fish."),
        Row(names: ["--generate-manual"], valueName: nil, values: [], help: "Print the man page (mdoc) and exit."),
        Row(names: ["-h", "--help"], valueName: nil, values: [], help: "Show help information."),
    ]
}
