/// Headers of one record laid out in one reused arena: names and values are appended, then
/// `headers` lends views of them, valid until the next `removeAll`.
package final class HeaderList {
    private let arena = ByteBuffer()
    /// name offset, name length, value offset, value length (-1: null value)
    private var spans: [(Int, Int, Int, Int)] = []
    private var views: UnsafeMutablePointer<RecordHeaderView>
    private var capacity = 8

    package init() { views = .allocate(capacity: capacity) }
    deinit { views.deallocate() }

    var isEmpty: Bool { spans.isEmpty }

    package func removeAll() {
        arena.removeAll()
        spans.removeAll(keepingCapacity: true)
    }

    package func append(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        let n = arena.count
        arena.append(name)
        let v = arena.count
        if let value { arena.append(value) }
        spans.append((n, name.count, v, value?.count ?? -1))
    }

    func append(name: [UInt8], value: [UInt8]?) {
        name.withUnsafeBytes { n in
            if let value { value.withUnsafeBytes { append(name: n, value: $0) } } else { append(name: n, value: nil) }
        }
    }

    /// Views of every header appended since `removeAll` (the arena no longer moves).
    package var headers: UnsafeBufferPointer<RecordHeaderView> {
        if spans.count > capacity {
            views.deallocate()
            capacity = spans.count
            views = .allocate(capacity: capacity)
        }
        let base = arena.base
        for (k, s) in spans.enumerated() {
            views[k] = RecordHeaderView(name: UnsafeRawBufferPointer(start: base + s.0, count: s.1),
                                        value: s.3 < 0 ? nil : UnsafeRawBufferPointer(start: base + s.2, count: s.3))
        }
        return UnsafeBufferPointer(start: views, count: spans.count)
    }
}
