/// `--record-size N`: values of exactly N random letters A–Z, as kafka-producer-perf-test sends.
/// The letters are drawn once (N + 64 KiB of them, seeded) and each record takes the N bytes at
/// an offset that moves with its number — no allocation and no random draw per record, and
/// consecutive records differ (so compression is not flattered by identical values).
final class RandomLetters {
    private let letters: UnsafeMutablePointer<UInt8>
    private let size: Int
    private static let span = 64 << 10

    init(size: Int, seed: UInt64) {
        self.size = size
        var rng = SeededRandom(seed: seed)
        letters = .allocate(capacity: size + Self.span)
        for i in 0..<(size + Self.span) { letters[i] = UInt8(ascii: "A") + UInt8(rng.next(below: 26)) }
    }

    deinit { letters.deallocate() }

    @inline(__always) func value(_ index: UInt64) -> UnsafeRawBufferPointer {
        // 7919 is prime: offsets cycle through the whole span before repeating.
        let offset = Int((index &* 7919) % UInt64(Self.span))
        return UnsafeRawBufferPointer(start: letters + offset, count: size)
    }
}
