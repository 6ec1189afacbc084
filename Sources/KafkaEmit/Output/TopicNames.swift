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
    private var lastName: [UInt8] = []          // producing thread
    private var lastIndex = -1
    private var indexByName: [[UInt8]: Int] = [:]
    private var snapshot: [[UInt8]] = []         // serving thread

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

    /// The name of topic number `i` (serving thread).
    @inline(__always) func name(_ i: Int) -> [UInt8] {
        if i >= snapshot.count { snapshot = shared.withLock { $0 } }
        return snapshot[i]
    }
}
