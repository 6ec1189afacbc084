import Foundation
import Testing
@testable import KafkaEmitEngine

/// Every input in fuzz/corpus (seeds, and any crash a fuzzing run found) goes through its
/// parser again: a crash here is a regression.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz/corpus")

    @Test(arguments: FuzzTargets.names)
    func corpusReplays(target: String) throws {
        let dir = Self.corpus.appendingPathComponent(target)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!files.isEmpty, "no seeds for \(target)")
        for name in files {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            data.withUnsafeBytes { FuzzTargets.run(target, $0) }
        }
    }
}
