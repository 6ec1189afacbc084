import KafkaEmit
import KafkaEmitEngine

/// A flag value the parser refused, with our own message (which names the flag and the fix).
struct FlagError: Error, CustomStringConvertible {
    let description: String

    init(_ message: String) {
        description = message
    }

    /// Turns a library usage error into a flag error.
    static func from(_ body: () throws(EmitError) -> Void) throws(FlagError) {
        do { try body() } catch { throw FlagError(error.message) }
    }
}

/// A duration such as `100ms`, `1.5s` or `2m` (SPEC §2: a bare number is refused).
struct DurationArg: Equatable {
    let nanos: UInt64
    /// As the user wrote it, for messages.
    let text: String

    static func parse(_ flag: String, _ text: String) throws(FlagError) -> DurationArg {
        var n: UInt64 = 0
        try FlagError.from { () throws(EmitError) in n = try DurationParser.parse(text, flag: flag) }
        return DurationArg(nanos: n, text: text)
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
enum InputFormatArg: Equatable {
    case lines, json, format(String)
    static func parse(_ text: String) throws(FlagError) -> InputFormatArg {
        switch text {
        case "lines": return .lines
        case "json": return .json
        default:
            guard text.contains("%") else {
                throw FlagError("--input-format: '\(text)' is not a format; use lines, json, or an rpk format such as '%k %v\\n'")
            }
            try FlagError.from { () throws(EmitError) in _ = try InputLayout.checked(text) }
            return .format(text)
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
