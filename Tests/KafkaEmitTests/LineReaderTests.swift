import Foundation
import Testing
@_spi(Engine) @testable import KafkaEmit
@testable import KafkaEmitEngine

@Suite struct LineReaderTests {
    /// Reads `input` through a pipe with a reader whose first block is `blockSize` bytes.
    func reader(_ input: [UInt8], delimiter: [UInt8], stripCR: Bool = false, blockSize: Int, max: Int = Int.max / 2) throws -> LineReader {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lr-\(UUID().uuidString)").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(input)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fd = open(path, O_RDONLY)
        let stream = InputStream(fd: fd, ownsFD: true, wakeFD: -1, blockSize: blockSize)
        return LineReader(stream: stream, delimiter: delimiter, stripCR: stripCR, maxRecordBytes: max)
    }

    func records(_ input: [UInt8], delimiter: [UInt8], stripCR: Bool = false, blockSize: Int) throws -> [[UInt8]] {
        let r = try reader(input, delimiter: delimiter, stripCR: stripCR, blockSize: blockSize)
        var out: [[UInt8]] = []
        while case .record(let line) = try r.next() { out.append(Array(line)) }
        return out
    }

    /// Records longer than the limit are reported once and skipped whole; memory stays within
    /// the limit plus a block, whatever the record's length.
    @Test func oversizedRecordsAreSkippedToTheNextDelimiter() throws {
        for block in [1, 3, 7, 64, 4096] {
            let input = Array("ok\n".utf8) + [UInt8](repeating: 0x41, count: 50_000) + Array("\nfine\n".utf8)
                + [UInt8](repeating: 0x42, count: 11) + Array("\nexactly10!\n".utf8) + [UInt8](repeating: 0x43, count: 30)
            let r = try reader(input, delimiter: [0x0A], blockSize: block, max: 10)
            var got: [String] = []
            loop: while true {
                switch try r.next() {
                case .record(let l): got.append(String(decoding: l, as: UTF8.self))
                case .oversized: got.append("<too large>")
                case .end: break loop
                }
            }
            #expect(got == ["ok", "<too large>", "fine", "<too large>", "exactly10!", "<too large>"], "block \(block)")
            #expect(r.stream.capacity <= 10 + 1 + (64 << 10) + block, "buffer grew to \(r.stream.capacity)")
        }
    }

    /// What splitting should give: the pieces between delimiters, the last one kept if non-empty.
    func reference(_ input: [UInt8], _ d: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var current: [UInt8] = []
        var i = 0
        while i < input.count {
            if i + d.count <= input.count && Array(input[i..<(i + d.count)]) == d {
                out.append(current); current = []; i += d.count
            } else {
                current.append(input[i]); i += 1
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    @Test(arguments: [[0x0A], Array("||".utf8), Array("abc".utf8), [0x00]] as [[UInt8]])
    func everyBlockSizeSplitsTheSame(delimiter: [UInt8]) throws {
        // Records of many lengths (0 to 40 bytes), so delimiters land across every block edge.
        var input: [UInt8] = []
        for n in 0..<41 {
            input += (0..<n).map { UInt8(ascii: "a") + UInt8(($0 * 7 + n) % 26) }.filter { !delimiter.contains($0) || delimiter.count > 1 }
            input += delimiter
        }
        input += Array("tail-without-delimiter".utf8)
        let want = reference(input, delimiter)
        for block in 1...64 {
            let got = try records(input, delimiter: delimiter, blockSize: block)
            #expect(got == want, "block size \(block), delimiter \(delimiter)")
        }
    }

    @Test func trailingCarriageReturnIsStrippedOnlyBeforeNewline() throws {
        let input = Array("a\r\nb\r\r\nc\rd\n\r\n".utf8)
        for block in 1...8 {
            let got = try records(input, delimiter: [0x0A], stripCR: true, blockSize: block).map { String(decoding: $0, as: UTF8.self) }
            #expect(got == ["a", "b\r", "c\rd", ""], "block size \(block)")
        }
    }

    @Test func aLongLineGrowsTheBuffer() throws {
        let long = [UInt8](repeating: 0x41, count: 100_000)
        let got = try records(long + [0x0A] + Array("x".utf8), delimiter: [0x0A], blockSize: 16)
        #expect(got == [long, Array("x".utf8)])
    }

    @Test func emptyInputHasNoRecords() throws {
        #expect(try records([], delimiter: [0x0A], blockSize: 4).isEmpty)
        #expect(try records([0x0A], delimiter: [0x0A], blockSize: 4) == [[]])
    }
}

@Suite struct CorrelationStoreTests {
    func stored(_ store: CorrelationStore, _ slot: Int) -> String {
        let scratch = ByteBuffer()
        return withExtendedLifetime(scratch) { String(decoding: store.correlation(slot: slot, scratch: scratch), as: UTF8.self) }
    }

    @Test func shortLongAndReusedSlots() {
        let store = CorrelationStore(slots: 4, indexOnly: false)
        let short = "req-1"
        let long = String(repeating: "x", count: 49) + "-end"          // past the 48-byte inline size
        let longer = String(repeating: "y", count: 500)
        for (slot, text) in [(0, short), (1, long), (2, ""), (3, longer)] {
            Array(text.utf8).withUnsafeBytes { store.store(slot: slot, index: UInt64(slot), correlation: $0) }
        }
        #expect(stored(store, 0) == short)
        #expect(stored(store, 1) == long)
        #expect(stored(store, 2) == "")
        #expect(stored(store, 3) == longer)
        // A slot reused: long → short → long again, each read back exactly.
        for text in [short, longer, long, String(repeating: "z", count: 1000)] {
            Array(text.utf8).withUnsafeBytes { store.store(slot: 1, index: 9, correlation: $0) }
            #expect(stored(store, 1) == text)
        }
    }

    @Test func indexOnlyKeepsTheNumber() {
        let store = CorrelationStore(slots: 2, indexOnly: true)
        store.store(slot: 1, index: 1234567, correlation: RecordView.noBytes)
        #expect(stored(store, 1) == "1234567")
    }
}
