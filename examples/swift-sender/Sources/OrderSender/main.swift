// Sends 20 orders through KafkaSender and matches each SenderResult to its order by the
// correlation metadata that came back with it. Uses an in-process mock cluster unless
// KAFKA_BOOTSTRAP_SERVERS is set.
import Foundation
import KafkaEmit
import Synchronization

struct Order: Sendable {
    let id: String
    let amountCents: Int
}

let mock: MockCluster?
let bootstrap: String
if let env = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] {
    mock = nil
    bootstrap = env
} else {
    mock = try MockCluster(brokers: 3)
    mock!.createTopic("orders", partitions: 3)
    bootstrap = mock!.bootstrapServers
}

let orders = (1...20).map { Order(id: "order-\($0)", amountCents: $0 * 250) }
let records = orders.map { order in
    SenderRecord(topic: "orders", key: Array(order.id.utf8),
                 value: Array(#"{"id":"\#(order.id)","amount_cents":\#(order.amountCents)}"#.utf8),
                 headers: [RecordHeader("source", Array("swift-sender".utf8))],
                 correlationMetadata: order)
}

let sender = try KafkaSender(options: SenderOptions(bootstrapServers: bootstrap))
let confirmed = Mutex<[String: RecordMetadata]>([:])
let summary = sender.send(records) { (result: SenderResult<Order>) in
    switch result.result {
    case .success(let meta):
        confirmed.withLock { $0[result.correlationMetadata.id] = meta }
        print("\(result.correlationMetadata.id) (\(result.correlationMetadata.amountCents)c) -> \(meta.topic)[\(meta.partition)]@\(meta.offset)")
    case .failure(let error):
        print("\(result.correlationMetadata.id) failed: \(error.name): \(error.message)")
    }
}

// The AsyncStream face of the same sender.
let more = (21...25).map { SenderRecord(topic: "orders", key: nil, value: Array("late-\($0)".utf8), correlationMetadata: $0) }
var streamed = 0
for await result in sender.results(for: more) where result.error == nil { streamed += 1 }

let matched = confirmed.withLock { $0.count }
print("delivered \(summary.delivered), failed \(summary.failed), matched \(matched) of \(orders.count); streamed \(streamed) of \(more.count)")
withExtendedLifetime(mock) {}
if summary.delivered != orders.count || matched != orders.count || streamed != more.count { exit(1) }

