import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// `-F`: a librdkafka properties file (`key=value` lines, `#` comments, blank lines).
enum ConfigFile {
    static func read(_ path: String) throws(EmitError) -> [ConfigProperty] {
        guard let f = fopen(path, "r") else {
            throw .cannotOpen("--config-file '\(path)': \(String(cString: strerror(errno))); check the path")
        }
        defer { fclose(f) }
        var props: [ConfigProperty] = []
        var lineNo = 0
        var linePtr: UnsafeMutablePointer<CChar>?
        var cap = 0
        defer { free(linePtr) }
        while getline(&linePtr, &cap, f) >= 0 {
            lineNo += 1
            let line = String(cString: linePtr!).trimmingCharactersInSet(" \t\r\n")
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                throw .usage("--config-file \(path):\(lineNo): expected key=value, found '\(line.prefix(60))'")
            }
            let k = String(line[..<eq]).trimmingCharactersInSet(" \t")
            let v = String(line[line.index(after: eq)...]).trimmingCharactersInSet(" \t")
            props.append(ConfigProperty(k, v, origin: "-F \(path):\(lineNo)"))
        }
        return props
    }
}

extension String {
    /// Trims any of the given ASCII characters from both ends (byte-wise, so "\r\n" counts as two).
    func trimmingCharactersInSet(_ set: String) -> String {
        let strip = Set(set.utf8)
        var bytes = Substring(self).utf8[...]
        while let f = bytes.first, strip.contains(f) { bytes = bytes.dropFirst() }
        while let l = bytes.last, strip.contains(l) { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
