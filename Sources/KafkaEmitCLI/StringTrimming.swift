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
