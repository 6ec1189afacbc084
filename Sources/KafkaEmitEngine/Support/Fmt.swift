/// Fixed-point formatting without Foundation.
package enum Fmt {
    package static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "0" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let v = (abs(x) * scale).rounded()
        guard v < 9e18 else { return "\(x)" }
        let n = UInt64(v)
        let whole = n / UInt64(scale)
        let frac = n % UInt64(scale)
        var s = (x < 0 && n != 0 ? "-" : "") + String(whole)
        if digits > 0 {
            var f = String(frac)
            while f.count < digits { f = "0" + f }
            s += "." + f
        }
        return s
    }

    /// Microseconds as milliseconds with adaptive precision.
    package static func millis(micros: UInt64) -> String {
        let ms = Double(micros) / 1000
        return ms < 10 ? fixed(ms, 2) : ms < 100 ? fixed(ms, 1) : fixed(ms, 0)
    }

    package static func seconds(nanos: UInt64) -> String {
        fixed(Double(nanos) / 1e9, Double(nanos) < 10e9 ? 3 : 1) + "s"
    }
}
