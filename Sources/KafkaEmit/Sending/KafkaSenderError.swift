/// Why a record was not delivered, or why a `KafkaSender` could not do what was asked.
///
/// Switch on ``cause`` to decide what to do; ``code`` and ``name`` are librdkafka's
/// (its error enum, e.g. `-192` / `_MSG_TIMED_OUT`) for logs and for the rare case
/// the cause does not settle, and ``message`` says it for a person.
///
/// ```swift
/// do {
///     let metadata = try await sender.send(record)
/// } catch let error {
///     switch error.cause {
///     case .timedOut where error.possiblyPersisted: // may be stored: re-sending may duplicate
///     case .recordTooLarge: // split it
///     default: throw error
///     }
/// }
/// ```
public struct KafkaSenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in terms a caller can act on.
    public enum Cause: Sendable, Hashable {
        /// No broker answered within ``SenderOptions/connectTimeout``.
        case brokerUnreachable
        /// A broker answered in a protocol this librdkafka cannot read (a newer librdkafka
        /// is the fix).
        case incompatibleBroker
        /// The topic or partition does not exist (and was not created).
        case topicMissing
        /// Larger than the producer's `message.max.bytes` or the broker's limit.
        case recordTooLarge
        /// Refused before it was sent: an invalid topic name, partition or argument.
        case invalidRecord
        /// Not delivered within the delivery timeout (`message.timeout.ms`).
        case timedOut
        /// The broker refused it (see ``KafkaSenderError/code`` and ``KafkaSenderError/name``).
        case rejected
        /// Its transaction aborted, or its commit could not complete.
        case transactionFailed
        /// The producer hit a fatal error (e.g. an idempotence sequence gap) and can send no more.
        case fatal
        /// The sender stopped before the record was sent: ``KafkaSender/requestStop()``,
        /// ``SenderOptions/stopOnError``, or a stopped results stream.
        case stopped
        /// ``KafkaSender/close()`` was called (or the sender went away) first.
        case closed
        /// The system refused a thread or a file descriptor the sender needs.
        case resourceExhausted
        /// librdkafka refused the ``SenderOptions`` (a property name or value).
        case invalidConfiguration
        /// A call this sender cannot make, e.g. a single-record `send` on a transactional sender.
        case invalidUsage
    }

    /// What went wrong.
    public var cause: Cause
    /// librdkafka's error code (a value of its error enum); 0 when the error is the sender's own.
    public var code: Int32
    /// librdkafka's name for ``code`` (`MSG_SIZE_TOO_LARGE`, `_MSG_TIMED_OUT`, ...).
    public var name: String
    /// What went wrong, for a person (librdkafka's words, or the sender's).
    public var message: String
    /// The record may have been stored all the same: it was in flight when it timed out or
    /// was purged, or its broker went away with the request out. Re-sending it may duplicate it.
    public var possiblyPersisted: Bool

    /// An error (for your own tests and fakes); `name` defaults to librdkafka's name for `code`.
    public init(cause: Cause, code: Int32 = 0, name: String? = nil, message: String, possiblyPersisted: Bool = false) {
        self.cause = cause
        self.code = code
        self.name = name ?? (code == 0 ? "" : LibrdkafkaInfo.errorName(code))
        self.message = message
        self.possiblyPersisted = possiblyPersisted
    }

    /// The cause, librdkafka's error name and the message, on one line.
    public var description: String { name.isEmpty ? "\(cause): \(message)" : "\(cause) (\(name)): \(message)" }
}
