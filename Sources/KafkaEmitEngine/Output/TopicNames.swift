@_spi(Engine) import KafkaEmit
import Synchronization

/// The topics results name, numbered in the order the producing thread first sends to them;
/// the serving thread looks them up by number. Adding is rare (once per topic), so it takes a
/// lock, and the reader keeps a snapshot that it refreshes only for a number it has not seen.
///
/// `@unchecked Sendable` — invariant: `index(of:)` runs on the producing thread only and
/// `name(_:)` under the report server's sink lock (one thread at a time); the shared list is
/// behind a Mutex.
final class TopicNames: @unchecked Sendable {
    private let shared = Mutex<[[UInt8]]>([])
    @exclusivity(unchecked) private var lastName: [UInt8] = []          // producing thread
    @exclusivity(unchecked) private var lastIndex = -1
    private var indexByName: [[UInt8]: Int] = [:]
    // Serving thread: names copied out of `shared` once each. Read once per result, by one
    // thread at a time: no dynamic exclusivity checks.
    @exclusivity(unchecked) private var stable = UnsafeMutablePointer<UnsafeRawBufferPointer>.allocate(capacity: 4)
    @exclusivity(unchecked) private var stableCapacity = 4
    @exclusivity(unchecked) private var stableCount = 0

    /// `defaultTopic` is number 0.
    init(defaultTopic: String?) {
        _ = index(of: Array((defaultTopic ?? "").utf8))
    }

    /// The number of a topic name (producing thread).
    @inline(__always) func index(of name: UnsafeRawBufferPointer?) -> Int {
        guard let name else { return 0 }
        if lastIndex >= 0 && lastName.elementsEqual(name) { return lastIndex }
        return index(of: Array(name))
    }

    private func index(of name: [UInt8]) -> Int {
        let i: Int
        if let known = indexByName[name] {
            i = known
        } else {
            i = shared.withLock { list in list.append(name); return list.count - 1 }
            indexByName[name] = i
        }
        lastName = name
        lastIndex = i
        return i
    }

    /// The name of topic number `i` (serving thread): bytes that stay valid as long as this
    /// object (each name is copied once into storage that is never moved or freed before it).
    @inline(__always) func name(_ i: Int) -> UnsafeRawBufferPointer {
        if i >= stableCount { refresh() }
        return stable[i]
    }

    @inline(never) private func refresh() {
        let list = shared.withLock { $0 }
        if list.count > stableCapacity {
            let bigger = UnsafeMutablePointer<UnsafeRawBufferPointer>.allocate(capacity: max(list.count, stableCapacity * 2))
            bigger.update(from: stable, count: stableCount)
            stable.deallocate()
            stable = bigger
            stableCapacity = max(list.count, stableCapacity * 2)
        }
        for k in stableCount..<list.count {
            let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, list[k].count), alignment: 1)
            list[k].withUnsafeBytes { bytes.copyMemory(from: $0) }
            stable[k] = UnsafeRawBufferPointer(start: bytes.baseAddress, count: list[k].count)
        }
        stableCount = list.count
    }

    deinit {
        for k in 0..<stableCount { stable[k].deallocate() }
        stable.deallocate()
    }
}
