import Crdkafka

/// How a transactional call ended, in librdkafka's classes (rdkafka.h: an error with neither
/// the retriable nor the abortable flag is to be treated as fatal).
enum TransactionResult: Equatable {
    case ok
    /// Call the same function again (commit, abort and init are resumable).
    case retriable(code: Int32, message: String)
    /// Abort the transaction, then begin a new one.
    case abortable(code: Int32, message: String)
    /// The producer can do no more (fenced, unauthorized, ...).
    case fatal(code: Int32, message: String)
}

extension ProducerHandle {
    func initTransactions(timeoutMs: Int32) -> TransactionResult { classify(rd_kafka_init_transactions(rk, timeoutMs)) }
    func beginTransaction() -> TransactionResult { classify(rd_kafka_begin_transaction(rk)) }
    /// Flushes the transaction's records (their reports are served meanwhile), then commits.
    func commitTransaction(timeoutMs: Int32) -> TransactionResult { classify(rd_kafka_commit_transaction(rk, timeoutMs)) }
    func abortTransaction(timeoutMs: Int32) -> TransactionResult { classify(rd_kafka_abort_transaction(rk, timeoutMs)) }

    /// How long a commit or abort may keep failing before the run gives up on it (SPEC §6):
    /// `transaction.timeout.ms` (the coordinator aborts an open transaction by then) plus
    /// `message.timeout.ms` (`--delivery-timeout`: the longest a record of it can be out).
    var transactionGiveUpNanos: UInt64 {
        let conf = rd_kafka_conf(rk)
        func millis(_ key: String, _ fallback: UInt64) -> UInt64 {
            var value = [CChar](repeating: 0, count: 32)
            var size = value.count
            guard rd_kafka_conf_get(conf, key, &value, &size) == RD_KAFKA_CONF_OK else { return fallback }
            return UInt64(cString(value)) ?? fallback
        }
        return (millis("transaction.timeout.ms", 60_000) + millis("message.timeout.ms", 300_000)) * 1_000_000
    }

    private func classify(_ error: OpaquePointer?) -> TransactionResult {
        guard let error else { return .ok }
        defer { rd_kafka_error_destroy(error) }
        var code = rd_kafka_error_code(error).rawValue
        var message = String(cString: rd_kafka_error_string(error))
        if rd_kafka_error_is_fatal(error) != 0 {
            // The original cause (e.g. _FENCED), not the generic _FATAL.
            var errstr = [CChar](repeating: 0, count: 512)
            let original = rd_kafka_fatal_error(rk, &errstr, errstr.count)
            if original != RD_KAFKA_RESP_ERR_NO_ERROR {
                code = original.rawValue
                message = cString(errstr)
            }
            return .fatal(code: code, message: message)
        }
        if rd_kafka_error_txn_requires_abort(error) != 0 { return .abortable(code: code, message: message) }
        if rd_kafka_error_is_retriable(error) != 0 { return .retriable(code: code, message: message) }
        return .fatal(code: code, message: message)
    }
}

extension LibrdkafkaInfo {
    static let fencedCode = RD_KAFKA_RESP_ERR__FENCED.rawValue
    static let timedOutCode = RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
}
