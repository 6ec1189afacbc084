// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "kafka-emit",
    products: [
        .executable(name: "kafka-emit", targets: ["kafka-emit"]),
        .executable(name: "kafka-mock-cluster", targets: ["kafka-mock-cluster"]),
        .library(name: "KafkaEmit", targets: ["KafkaEmit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .systemLibrary(
            name: "Crdkafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        // zlib, for HdrHistogram's compressed log format (--histogram-log).
        .systemLibrary(
            name: "Czlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "KafkaEmit",
            dependencies: [
                "Crdkafka",
                "Czlib",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The command line: the option table, its parser, help, man page and completion
        // scripts, and flags → EmitPlan. A target of its own (not a product) so the tests and
        // the argv fuzz target can drive the parser in process; kafka-emit is its main.swift.
        .target(
            name: "KafkaEmitCLI",
            dependencies: ["KafkaEmit"]
        ),
        .executableTarget(
            name: "kafka-emit",
            dependencies: ["KafkaEmit", "KafkaEmitCLI"]
        ),
        .executableTarget(
            name: "kafka-mock-cluster",
            dependencies: ["KafkaEmit"]
        ),
        // libFuzzer targets for every parser of outside input (`make fuzz`); not a product.
        .executableTarget(
            name: "kafka-emit-fuzz",
            dependencies: ["KafkaEmit", "KafkaEmitCLI"]
        ),
        .testTarget(name: "KafkaEmitTests", dependencies: ["KafkaEmit"]),
        .testTarget(name: "CLITests", dependencies: ["KafkaEmit", "KafkaEmitCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
