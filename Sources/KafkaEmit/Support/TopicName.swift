/// Kafka's rule for topic names: `[a-zA-Z0-9._-]`, at most 249, not `.` or `..`.
package func topicNameProblem(_ topic: String) -> String? {
    if topic.isEmpty { return "the topic name must not be empty" }
    if topic.utf8.count > 249 { return "'\(topic.prefix(40))…' is longer than Kafka's 249-character limit" }
    if topic == "." || topic == ".." { return "'\(topic)' is not a topic name Kafka allows" }
    if !topic.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }) {
        return "'\(topic)' has characters Kafka does not allow; use letters, digits, '.', '_' and '-'"
    }
    return nil
}
