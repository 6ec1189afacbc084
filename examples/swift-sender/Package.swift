// swift-tools-version: 6.0
// An example client of the KafkaEmit library: sends orders with correlation metadata and
// matches each result back to its order. Built and run by `make test` (examples/swift-sender.sh).
import Foundation
import PackageDescription

// A path dependency is known by its folder's name, which is whatever the clone is called.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let package = Package(
    name: "swift-sender",
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(name: "OrderSender", dependencies: [.product(name: "KafkaEmit", package: root.lastPathComponent)]),
    ],
    swiftLanguageModes: [.v6]
)
