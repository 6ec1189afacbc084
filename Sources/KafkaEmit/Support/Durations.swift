/// Parses SPEC durations: an integer or decimal with a unit `us`, `ms`, `s`, `m`, `h`.
package enum DurationParser {
    static let units: [(String, Double)] = [("us", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]

    /// Nanoseconds, always > 0. `flag` names the option in the error message.
    package static func parse(_ text: String, flag: String) throws(EmitError) -> UInt64 {
        let t = text.trimmingSpaces()
        var numberEnd = t.startIndex
        var sawDigit = false, sawDot = false
        while numberEnd < t.endIndex {
            let c = t[numberEnd]
            if c.isASCII && c.isNumber { sawDigit = true } else if c == "." && !sawDot { sawDot = true } else { break }
            numberEnd = t.index(after: numberEnd)
        }
        let numberPart = String(t[..<numberEnd])
        let unit = String(t[numberEnd...])
        guard sawDigit, let number = Double(numberPart) else {
            throw .usage("\(flag): '\(text)' is not a duration; use a number with a unit, e.g. 100ms, 1.5s, 2m")
        }
        if unit.isEmpty {
            throw .usage("\(flag): '\(text)' has no unit; write \(numberPart)ms or \(numberPart)s (units: us, ms, s, m, h)")
        }
        guard let scale = units.first(where: { $0.0 == unit })?.1 else {
            throw .usage("\(flag): unknown unit '\(unit)' in '\(text)'; use us, ms, s, m or h")
        }
        let nanos = number * scale
        guard nanos >= 1 else {
            throw .usage("\(flag): '\(text)' must be positive")
        }
        guard nanos < 9.2e18 else {
            throw .usage("\(flag): '\(text)' is too long")
        }
        return UInt64(nanos.rounded())
    }

    /// A compact human form: 1.5s, 100ms, 250us.
    package static func format(nanos: UInt64) -> String {
        if nanos % 1_000_000_000 == 0 { return "\(nanos / 1_000_000_000)s" }
        if nanos % 1_000_000 == 0 { return "\(nanos / 1_000_000)ms" }
        if nanos % 1_000 == 0 { return "\(nanos / 1_000)us" }
        return "\(Double(nanos) / 1e9)s"
    }
}

extension String {
    package func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
