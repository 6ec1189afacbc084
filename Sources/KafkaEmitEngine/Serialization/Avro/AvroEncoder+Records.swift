@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

// Records of the Avro encoder: fields in schema order, found in the JSON object by name.

extension AvroEncoder {
    func encodeRecord(_ n: AvroNode, _ i: Int, _ t: JSONToken) throws(EncodeError) {
        // Members usually come in the schema's order: look at the next one first.
        var cursor = i + 1
        let end = Int(t.next)
        var found = 0
        let fields = n.plan
        for k in 0..<fields.count {
            let f = fields[k]
            var v: Int? = nil
            if cursor < end, tape.keyIs(cursor, f.name) {
                v = cursor + 1
                cursor = Int(tape[cursor + 1].next)
            } else {
                v = findMember(i, n.fields[k])
            }
            if let v {
                found += 1
                // The node without a retain: the schema owns it for the encoder's life.
                var failure: EncodeError? = nil
                f.node._withUnsafeGuaranteedRef { node in
                    do throws(EncodeError) { try encode(node, v) } catch { failure = error }
                }
                if var e = failure { e.path.append(AvroEncoder.pathKey(n.fields[k].name)); throw e }
            } else if let d = f.defaultBytes {
                out.append(d)
            } else {
                var e = EncodeError("missing, and record \(n.name) has no default for it")
                e.path.append(AvroEncoder.pathKey(n.fields[k].name))
                throw e
            }
        }
        if found < Int(t.count) { throw unknownField(n, i) }
    }

    func findMember(_ object: Int, _ f: AvroField) -> Int? {
        var k = object + 1
        let end = Int(tape[object].next)
        while k < end {
            if tape.keyIs(k, f.nameBytes) || f.aliases.contains(where: { tape.keyIs(k, $0) }) { return k + 1 }
            k = Int(tape[k + 1].next)
        }
        return nil
    }

    @inline(never) func unknownField(_ n: AvroNode, _ i: Int) -> EncodeError {
        var k = i + 1
        while k < Int(tape[i].next) {
            let name = tape.string(k)
            if !n.fields.contains(where: { $0.name == name || $0.aliases.contains(where: { $0.elementsEqual(name.utf8) }) }) {
                var e = EncodeError("unknown field: record \(n.name) has no field \"\(name)\" (its fields: \(n.fields.map(\.name).joined(separator: ", ")))")
                e.path.append(AvroEncoder.pathKey(name))
                return e
            }
            k = Int(tape[k + 1].next)
        }
        return EncodeError("record \(n.name): a field is given twice")
    }

    static func pathKey(_ name: String) -> String {
        let plain = !name.isEmpty && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F }
        return plain ? "." + name : "[\"" + name + "\"]"
    }
}
