/// `kafka-emit --generate-completion-script bash|zsh|fish`, from the option table: every
/// spelling completes, and so do the values of typed options (`--acks`, `-z`, `-o`,
/// `--input-format`) and file names where an option takes a file.
package enum CompletionScripts {
    package static func render(_ shell: Shell) -> String {
        let specs = EmitCommand.groups.flatMap(\.options)
        switch shell {
        case .bash: return bash(specs)
        case .zsh: return zsh(specs)
        case .fish: return fish(specs)
        }
    }

    private static func bash(_ specs: [OptionSpec]) -> String {
        let all = specs.flatMap(\.names).joined(separator: " ")
        var cases = ""
        for spec in specs where spec.takesValue {
            let pattern = spec.names.joined(separator: "|")
            switch spec.completion {
            case .list(let values): cases += "        \(pattern)) COMPREPLY=($(compgen -W '\(values.joined(separator: " "))' -- \"$cur\")); return ;;\n"
            case .file: cases += "        \(pattern)) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
            case .none: cases += "        \(pattern)) return ;;\n"
            }
        }
        return """
            # bash completion for kafka-emit (kafka-emit --generate-completion-script bash)
            _kafka-emit() {
                local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
                COMPREPLY=()
                case "$prev" in
            \(cases)    esac
                if [[ "$cur" == -* ]]; then
                    COMPREPLY=($(compgen -W '\(all)' -- "$cur"))
                else
                    COMPREPLY=($(compgen -f -- "$cur"))
                fi
            }
            complete -o filenames -F _kafka-emit kafka-emit

            """
    }

    private static func zsh(_ specs: [OptionSpec]) -> String {
        func quoted(_ s: String) -> String {
            // Inside '...[help]...': brackets and colons would end the field, a quote the word.
            s.replacingAll("'", with: "'\\''").replacingAll("[", with: "\\[").replacingAll("]", with: "\\]").replacingAll(":", with: "\\:")
        }
        var lines: [String] = []
        for spec in specs {
            let exclusive = spec.names.count > 1 ? "(\(spec.names.joined(separator: " ")))" : ""
            let names = spec.names.count > 1 ? "{\(spec.names.joined(separator: ","))}" : spec.names[0]
            var action = ""
            if let v = spec.valueName {
                switch spec.completion {
                case .list(let values): action = ":\(quoted(v)):(\(values.joined(separator: " ")))"
                case .file: action = ":\(quoted(v)):_files"
                case .none: action = spec.valueIsOptional ? "::\(quoted(v)): " : ":\(quoted(v)): "
                }
            }
            let head = spec.isRepeatable ? "'*'" : exclusive.isEmpty ? "" : "'\(exclusive)'"
            lines.append("    \(head)\(names)'[\(quoted(spec.help))]\(action)'")
        }
        lines.append("    '*:file:_files'")
        return """
            #compdef kafka-emit
            # zsh completion for kafka-emit (kafka-emit --generate-completion-script zsh)
            _arguments -s -S \\
            \(lines.joined(separator: " \\\n"))

            """
    }

    private static func fish(_ specs: [OptionSpec]) -> String {
        func quoted(_ s: String) -> String { "'" + s.replacingAll("\\", with: "\\\\").replacingAll("'", with: "\\'") + "'" }
        var lines = ["# fish completion for kafka-emit (kafka-emit --generate-completion-script fish)"]
        for spec in specs {
            var line = "complete -c kafka-emit"
            for name in spec.names {
                line += name.hasPrefix("--") ? " -l \(name.dropFirst(2))" : " -s \(name.dropFirst())"
            }
            line += " -d \(quoted(spec.help))"
            if spec.takesValue {
                switch spec.completion {
                case .list(let values): line += " -x -a \(quoted(values.joined(separator: " ")))"
                case .file: line += " -r -F"
                case .none: line += " -x"
                }
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
