@_spi(Engine) import KafkaEmit
import KafkaEmitEngine

/// A flag value the parser refused, with our own message (which names the flag and the fix).
package struct FlagError: Error, CustomStringConvertible {
    package let description: String
    /// The message ends with "(see kafka-emit --help)". Not for the template, header, escape
    /// and -X parsers' own messages, which say the fix themselves.
    package let seeHelp: Bool

    init(_ message: String, seeHelp: Bool = true) {
        description = message
        self.seeHelp = seeHelp
    }

    /// Turns a library usage error into a flag error.
    static func from<T>(seeHelp: Bool = true, _ body: () throws(EmitError) -> T) throws(FlagError) -> T {
        do { return try body() } catch { throw FlagError(error.message, seeHelp: seeHelp) }
    }
}

extension Template {
    /// A template option's value (`--key`, `--value`, `--correlation`, `--timestamp`), parsed.
    static func flag(_ flag: String, _ text: String) throws(FlagError) -> Template {
        try FlagError.from(seeHelp: false) { () throws(EmitError) in try Template.parse(text, flag: flag) }
    }
}

/// `-H, --header NAME=TEMPLATE`, or `-H NAME` alone: a header with a null value, as kcat.
enum HeaderArg {
    static func parse(_ h: String) throws(FlagError) -> HeaderTemplate {
        guard let eq = h.firstIndex(of: "=") else {
            guard !h.isEmpty else { throw FlagError("--header: the header name must not be empty; write NAME=TEMPLATE or NAME", seeHelp: false) }
            return HeaderTemplate(name: h, value: nil)
        }
        guard eq != h.startIndex else {
            throw FlagError("--header '\(h)': the name is missing; write NAME=TEMPLATE, e.g. -H source=kafka-emit", seeHelp: false)
        }
        let name = String(h[..<eq])
        return HeaderTemplate(name: name, value: try Template.flag("--header \(name)", String(h[h.index(after: eq)...])))
    }
}

/// `--let NAME=TEMPLATE`.
enum LetArg {
    static func parse(_ l: String) throws(FlagError) -> LetTemplate {
        guard let eq = l.firstIndex(of: "="), Template.isName(String(l[..<eq])) else {
            throw FlagError("--let '\(l)': write NAME=TEMPLATE with NAME of letters, digits and _, e.g. --let cid={int:1:500}", seeHelp: false)
        }
        let name = String(l[..<eq])
        return LetTemplate(name: name, template: try Template.flag("--let \(name)", String(l[l.index(after: eq)...])))
    }
}

/// `-D` and `-K`: a delimiter with `\n`, `\t`, `\0`, `\xNN` escapes, as bytes.
enum DelimiterArg {
    static func parse(_ flag: String, _ text: String) throws(FlagError) -> [UInt8] {
        try FlagError.from(seeHelp: false) { () throws(EmitError) in try EscapeParser.parse(text, flag: flag) }
    }
}

/// `-X, --property KEY=VALUE`, or kcat's `-X list` and `-X dump`.
package enum PropertyArg: Equatable {
    case list, dump
    case set(key: String, value: String)

    /// `number`: which -X this is (1 for the first), to name it without echoing it.
    static func parse(_ p: String, number: Int) throws(FlagError) -> PropertyArg {
        if p == "list" { return .list }
        if p == "dump" { return .dump }
        guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
            // Never echoed: a mistyped `sasl.password:secret` is still a secret.
            throw FlagError("-X argument \(number): write KEY=VALUE, e.g. -X linger.ms=5 (or -X list, -X dump)", seeHelp: false)
        }
        let key = String(p[..<eq]), value = String(p[p.index(after: eq)...])
        if let instead = consoleProducerProperties[key] {
            throw FlagError("--property/-X \(key) is a kafka-console-producer reader property, not a librdkafka one; here use \(instead)",
                            seeHelp: false)
        }
        return .set(key: key, value: value)
    }

    /// kafka-console-producer's `--property` names, and what does their job here.
    static let consoleProducerProperties: [String: String] = [
        "parse.key": "-K SEP to split a key off each line (console-producer's default separator is a tab: -K '\\t')",
        "key.separator": "-K SEP",
        "parse.headers": "an rpk input format with headers, e.g. --input-format '%H %h{%k:%v,}%v\\n', or --input-format json",
        "headers.delimiter": "an rpk input format, e.g. --input-format '%H %h{%k:%v,}%v\\n'",
        "headers.separator": "an rpk input format, e.g. --input-format '%H %h{%k:%v,}%v\\n'",
        "headers.key.separator": "an rpk input format, e.g. --input-format '%H %h{%k:%v,}%v\\n'",
        "null.marker": "-Z (an empty value is sent as NULL)",
        "ignore.error": "--continue-on-error",
    ]
}

/// A duration such as `100ms`, `1.5s` or `2m` (SPEC §2: a bare number is refused).
struct DurationArg: Equatable {
    let nanos: UInt64
    /// As the user wrote it, for messages.
    let text: String

    static func parse(_ flag: String, _ text: String) throws(FlagError) -> DurationArg {
        DurationArg(nanos: try FlagError.from { () throws(EmitError) in try DurationParser.parse(text, flag: flag) }, text: text)
    }
}

/// `--acks`: how many replicas acknowledge a record.
enum Acks: String, CaseIterable {
    case all, minusOne = "-1", one = "1", zero = "0"
    /// librdkafka's value.
    var property: String { self == .minusOne ? "all" : rawValue }
    static func parse(_ text: String) throws(FlagError) -> Acks {
        guard let a = Acks(rawValue: text.lowercased()) else {
            throw FlagError("--acks: '\(text)' is not valid; use all, -1, 1 or 0")
        }
        return a
    }
}

/// `-z, --compression`.
enum Compression: String, CaseIterable {
    case none, gzip, snappy, lz4, zstd
    static func parse(_ text: String) throws(FlagError) -> Compression {
        guard let c = Compression(rawValue: text) else {
            throw FlagError("--compression: '\(text)' is not a codec; use none, gzip, snappy, lz4 or zstd")
        }
        return c
    }
}

/// `-o, --output`.
enum OutputChoice: String, CaseIterable {
    case text, json, none
    static func parse(_ text: String) throws(FlagError) -> OutputChoice {
        guard let o = OutputChoice(rawValue: text) else {
            if text.contains("%") {
                throw FlagError("--output (-o): '\(text)' is a format string; -o is text, json or none here, and rpk's -o FMT is --output-format FMT")
            }
            throw FlagError("--output: '\(text)' is not a format; use text, json or none (or --output-format FMT)")
        }
        return o
    }
}

/// `--input-format`: `lines`, `json`, or an rpk input format (any text with a `%` token).
package enum InputFormatArg: Equatable {
    /// `format`: the rpk format, checked once, here; `text` as given.
    case lines, json, format(InputLayout, text: String)
    static func parse(_ text: String) throws(FlagError) -> InputFormatArg {
        switch text {
        case "lines": return .lines
        case "json": return .json
        default:
            guard text.contains("%") else {
                throw FlagError("--input-format: '\(text)' is not a format; use lines, json, or an rpk format such as '%k %v\\n'")
            }
            return .format(try FlagError.from { () throws(EmitError) in try InputLayout.checked(text) }, text: text)
        }
    }
}

/// Whole-number flags, each with its range and its own wording.
enum Numbers {
    static func positive(_ flag: String, _ text: String) throws(FlagError) -> UInt64 {
        guard let n = UInt64(text), n > 0 else { throw FlagError("\(flag): '\(text)' is not a positive whole number") }
        return n
    }

    static func inRange(_ flag: String, _ text: String, _ range: ClosedRange<Int>) throws(FlagError) -> Int {
        guard let n = Int(text), range.contains(n) else {
            throw FlagError("\(flag): '\(text)' is out of range; use \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    static func partition(_ text: String) throws(FlagError) -> Int32 {
        guard let p = Int32(text), p >= -1 else {
            throw FlagError("--partition: '\(text)' is not a partition number; use an integer ≥ 0 (or -1 for the partitioner)")
        }
        return p
    }

    static func seed(_ text: String) throws(FlagError) -> UInt64 {
        guard let s = UInt64(text) else { throw FlagError("--seed: '\(text)' is not a whole number from 0 to 18446744073709551615") }
        return s
    }

    static func rate(_ text: String) throws(FlagError) -> Double {
        if text == "-1" {
            throw FlagError("--rate: -1 is kafka-producer-perf-test's 'unthrottled'; here leave --rate out to send as fast as the broker takes records")
        }
        guard let r = Double(text), r.isFinite, r > 0 else {
            throw FlagError("--rate: '\(text)' is not a positive number of records per second, e.g. --rate 1000")
        }
        guard r >= 0.001 && r <= 10_000_000 else {
            throw FlagError("--rate: \(text) is out of range; use 0.001 to 10000000 records/s")
        }
        return r
    }
}
