// swift-tools-version: 6.0
// An example client of the KafkaEmit library: sends orders with correlation metadata and
// matches each result back to its order. It depends on KafkaEmit the way any package would:
// by URL and version. `examples/swift-sender.sh` (run by `make test`) points the URL at a
// tagged git copy of this checkout, so the check is the same one a user's resolver makes.
import Foundation
import PackageDescription

let kafkaEmit = ProcessInfo.processInfo.environment["KAFKA_EMIT_PACKAGE_URL"] ?? "https://github.com/kafka-emit/kafka-emit.git"

let package = Package(
    name: "swift-sender",
    dependencies: [.package(url: kafkaEmit, from: "0.4.0")],
    targets: [
        .executableTarget(name: "OrderSender", dependencies: [.product(name: "KafkaEmit", package: "kafka-emit")]),
    ],
    swiftLanguageModes: [.v6]
)
