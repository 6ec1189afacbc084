// Sends orders through KafkaSender three ways — one awaited record per task, a stream of
// records with correlation metadata, and the blocking call — and matches each result back
// to its order. Uses an in-process mock cluster unless KAFKA_BOOTSTRAP_SERVERS is set.
import Foundation
import KafkaEmit
import Synchronization

struct Order: Sendable {
    let id: String
    let amountCents: Int
    var json: String { #"{"id":"\#(id)","amount_cents":\#(amountCents)}"# }
}

let mock: MockCluster?
let bootstrap: String
if let env = ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"] {
    mock = nil
    bootstrap = env
} else {
    mock = try MockCluster(brokers: 3)
    _ = mock!.createTopic("orders", partitions: 3)
    bootstrap = mock!.bootstrapServers
}

let sender = try KafkaSender(options: SenderOptions(bootstrapServers: bootstrap))
let orders = (1...20).map { Order(id: "order-\($0)", amountCents: $0 * 250) }

// 1. Twenty tasks at once, each awaiting its own record; they share the producer's batches.
let placed = try await withThrowingTaskGroup(of: (String, RecordMetadata).self) { group in
    for order in orders {
        group.addTask {
            let meta = try await sender.send(SenderRecord(topic: "orders", key: order.id.utf8, value: order.json.utf8,
                                                          headers: [RecordHeader("source", Array("swift-sender".utf8))]))
            return (order.id, meta)
        }
    }
    var placed: [String: RecordMetadata] = [:]
    for try await (id, meta) in group { placed[id] = meta }
    return placed
}
for order in orders { if let m = placed[order.id] { print("\(order.id) (\(order.amountCents)c) -> \(m.topic)[\(m.partition)]@\(m.offset)") } }

// 2. A stream of records in, a stream of results out, each carrying its order.
let late = (21...25).map { Order(id: "order-\($0)", amountCents: $0 * 100) }
var streamed = 0
for try await result in sender.send(late.map { SenderRecord(topic: "orders", key: $0.id.utf8, value: $0.json.utf8, correlationMetadata: $0) }) {
    switch result.result {
    case .success: streamed += 1
    case .failure(let error): print("\(result.correlationMetadata.id) failed: \(error.cause): \(error.message)")
    }
}

await sender.close()
print("delivered \(placed.count), streamed \(streamed) of \(late.count)")
withExtendedLifetime(mock) {}
if placed.count != orders.count || streamed != late.count { exit(1) }
