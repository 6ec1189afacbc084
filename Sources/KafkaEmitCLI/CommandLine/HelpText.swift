/// `kafka-emit --help`, from the option table: an overview, the discussion, usage, then each
/// group's options with their help wrapped at 80 columns.
package enum HelpText {
    static let width = 79
    /// Where help text starts; longer option spellings put it on the next line.
    static let column = 26

    package static func render() -> String {
        var out = "OVERVIEW: " + wrap(EmitCommand.abstract, width: width, indent: 0, first: "OVERVIEW: ".count) + "\n\n"
        out += EmitCommand.discussion + "\n\n"
        out += "USAGE: \(EmitCommand.name) [<options>] [<file> ...]\n"
        let file = InputOptions.filesArgument
        for group in EmitCommand.groups {
            out += "\n\(group.title.uppercased()):\n"
            for spec in group.options where !spec.hiddenInHelp {
                out += entry(spec.shown, spec.help)
            }
            if group.title == file.group { out += entry("<\(file.valueName)>", file.help) }
        }
        return out + "\n"
    }

    /// `  -t, --topic <name>      Topic ...`, the help wrapped under column 26.
    private static func entry(_ names: String, _ help: String) -> String {
        let head = "  " + names
        let pad = String(repeating: " ", count: column)
        if head.count < column {
            return head + String(repeating: " ", count: column - head.count) + wrap(help, width: width, indent: column, first: column) + "\n"
        }
        return head + "\n" + pad + wrap(help, width: width, indent: column, first: column) + "\n"
    }

    /// Words of `text` in lines of at most `width` columns; the first line starts at column
    /// `first`, the others are indented by `indent`.
    static func wrap(_ text: String, width: Int, indent: Int, first: Int) -> String {
        var lines: [String] = []
        var line = ""
        var used = first
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if !line.isEmpty && used + 1 + word.count > width {
                lines.append(line)
                line = ""
                used = indent
            }
            if !line.isEmpty { line += " "; used += 1 }
            line += word
            used += word.count
        }
        lines.append(line)
        return lines.joined(separator: "\n" + String(repeating: " ", count: indent))
    }
}
