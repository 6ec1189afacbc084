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
        // `make docs`: the library's documentation (swift package generate-documentation).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
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
        // libcurl for the Schema Registry client, loaded with dlopen on first use (no curl
        // headers to build, no libcurl at start-up): one non-variadic request function.
        .target(name: "CCurlShim"),
        // The library product: the sender face (KafkaSender) and the send path it runs on.
        .target(
            name: "KafkaEmit",
            dependencies: ["Crdkafka"]
        ),
        // The CLI's engine — plans, input sources, result formats, statistics, histogram logs,
        // dry run — in no product: the library does not ship it.
        .target(
            name: "KafkaEmitEngine",
            dependencies: [
                "KafkaEmit",
                "Czlib",
                "CCurlShim",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        // The command line: the option table, its parser, help, man page and completion
        // scripts, and flags → EmitPlan. A target of its own (not a product) so the tests and
        // the argv fuzz target can drive the parser in process; kafka-emit is its main.swift.
        .target(
            name: "KafkaEmitCLI",
            dependencies: ["KafkaEmit", "KafkaEmitEngine"]
        ),
        .executableTarget(
            name: "kafka-emit",
            dependencies: ["KafkaEmit", "KafkaEmitEngine", "KafkaEmitCLI"]
        ),
        .executableTarget(
            name: "kafka-mock-cluster",
            dependencies: ["KafkaEmit"]
        ),
        // libFuzzer targets for every parser of outside input (`make fuzz`); not a product.
        .executableTarget(
            name: "kafka-emit-fuzz",
            dependencies: ["KafkaEmit", "KafkaEmitEngine", "KafkaEmitCLI"]
        ),
        // The library's benchmark (bench/sender.sh, `make bench`): uses only the public face.
        .executableTarget(
            name: "kafka-sender-bench",
            dependencies: ["KafkaEmit"],
            path: "bench/sender"
        ),
        .testTarget(name: "KafkaEmitTests", dependencies: ["KafkaEmit", "KafkaEmitEngine"]),
        .testTarget(name: "CLITests", dependencies: ["KafkaEmit", "KafkaEmitEngine", "KafkaEmitCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
