import Synchronization

/// Objects deliberately never destroyed: tearing down librdkafka handles waits for in-flight
/// requests (an abandoned run must not) or for an I/O thread's poll timeout (up to a second
/// at the end of a `--mock` run), and process exit reclaims them anyway.
package enum KeptUntilExit {
    private static let objects = Mutex<[AnyObject & Sendable]>([])

    package static func keep(_ object: AnyObject & Sendable) { objects.withLock { $0.append(object) } }
}
