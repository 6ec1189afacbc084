@_spi(Engine) import KafkaEmit

/// `-F`: a librdkafka properties file — `key=value` lines, `#` comments, blank lines, spaces
/// around keys and values trimmed. A file that cannot be opened or read is exit 66; a bad
/// line is named by its number and never echoed (it may hold a secret).
package enum ConfigFile {
    /// Longest line accepted: real property values are far shorter; anything longer (a
    /// binary file, /dev/zero) is refused without reading it all.
    package static let maxLine = 64 << 10

    package static func read(_ path: String) throws(EmitError) -> [ConfigProperty] {
        let stream = try InputStream.open(path: path, wakeFD: -1, flag: "--config-file")
        let reader = LineReader(stream: stream, delimiter: [0x0A], stripCR: true, maxRecordBytes: maxLine)
        return try parse(path: path) { () throws(EmitError) -> LineReader.Next in
            do throws(EmitError) { return try reader.next() } catch {
                throw .cannotOpen("--config-file '\(path)': \(error.message); check the file")
            }
        }
    }

    /// The properties in the lines `next` hands out (split out for tests and fuzzing).
    static func parse(path: String, _ next: () throws(EmitError) -> LineReader.Next) throws(EmitError) -> [ConfigProperty] {
        var props: [ConfigProperty] = []
        var lineNo = 0
        while true {
            lineNo += 1
            switch try next() {
            case .end: return props
            case .oversized:
                throw .usage("--config-file \(path):\(lineNo): the line is longer than \(maxLine) bytes; is this a properties file?")
            case .record(let raw):
                let line = trimmed(raw)
                if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
                guard let eq = line.firstIndex(of: UInt8(ascii: "=")), eq != line.startIndex else {
                    throw .usage("--config-file \(path):\(lineNo): expected key=value (the line is not shown: it may hold a secret)")
                }
                let key = String(decoding: trimmed(UnsafeRawBufferPointer(rebasing: line[..<eq])), as: UTF8.self)
                let value = String(decoding: trimmed(UnsafeRawBufferPointer(rebasing: line[(eq + 1)...])), as: UTF8.self)
                props.append(ConfigProperty(key, value, origin: "-F \(path):\(lineNo)"))
            }
        }
    }

    private static func trimmed(_ b: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer> {
        var s = b[...]
        while let f = s.first, f == 0x20 || f == 0x09 || f == 0x0D { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 || l == 0x0D { s = s.dropLast() }
        return s
    }

    private static func trimmed(_ s: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        trimmed(UnsafeRawBufferPointer(rebasing: s))
    }
}
