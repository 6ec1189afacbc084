#if canImport(Glibc)
import Glibc
#endif

/// `{zipf:N:S}`: rank k in 1...N drawn with probability (1/k^S) / H(N,S), printed as k − 1,
/// so key 0 is the most frequent.
///
/// Rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to generate
/// variates from monotone discrete distributions", ACM TOMACS 6(3), 1996), for every N:
/// memory is five doubles whatever N is (a CDF table would take 8·N bytes — 8 GB for a
/// billion keys — and a binary search of log2 N steps per draw), and a draw costs about one
/// uniform, one exp and one log, with an expected number of rounds below 1.1 for any S.
/// It is exact: the rank frequencies are those of the Zipf law, not an approximation
/// (TemplateDataTests compares 100k draws with 1/k^S / H(N,S)).
struct ZipfSampler: Equatable {
    let n: Double
    let exponent: Double
    private let hIntegralX1: Double
    private let hIntegralN: Double
    private let squeeze: Double

    init(n: UInt64, exponent: Double) {
        self.n = Double(n)
        self.exponent = exponent
        hIntegralX1 = Self.hIntegral(1.5, exponent) - 1
        hIntegralN = Self.hIntegral(Double(n) + 0.5, exponent)
        squeeze = 2 - Self.hIntegralInverse(Self.hIntegral(2.5, exponent) - Self.h(2, exponent), exponent)
    }

    /// A rank in 1...N.
    @inline(__always) func next(_ rng: inout SeededRandom) -> UInt64 {
        while true {
            let u = hIntegralN + rng.nextUnit() * (hIntegralX1 - hIntegralN)
            let x = Self.hIntegralInverse(u, exponent)
            var k = (x + 0.5).rounded(.down)
            if k < 1 { k = 1 } else if k > n { k = n }
            if k - x <= squeeze || u >= Self.hIntegral(k + 0.5, exponent) - Self.h(k, exponent) {
                return UInt64(k)
            }
        }
    }

    /// H(x) = ∫ h, with h(x) = x^−S; written through log1p/expm1 so S near 1 stays exact.
    private static func hIntegral(_ x: Double, _ s: Double) -> Double {
        let logX = log(x)
        return helper2((1 - s) * logX) * logX
    }

    private static func h(_ x: Double, _ s: Double) -> Double { exp(-s * log(x)) }

    private static func hIntegralInverse(_ x: Double, _ s: Double) -> Double {
        var t = x * (1 - s)
        if t < -1 { t = -1 }  // rounding can push it below; log1p(-1) is the limit
        return exp(helper1(t) * x)
    }

    /// log1p(x)/x, and its series near 0.
    private static func helper1(_ x: Double) -> Double {
        abs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x))
    }

    /// expm1(x)/x, and its series near 0.
    private static func helper2(_ x: Double) -> Double {
        abs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x))
    }
}

extension SeededRandom {
    /// Uniform in [0, 1), 53 random bits.
    @inline(__always) mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}
