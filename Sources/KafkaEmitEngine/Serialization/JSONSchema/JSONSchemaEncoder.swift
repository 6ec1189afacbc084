@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

/// JSON Schema's body (SPEC §2b): the record's JSON, checked against the compiled schema, then
/// written compact — no insignificant whitespace, strings and numbers byte for byte as given
/// (Confluent's JSON Schema serializers send the JSON text; readers parse it again).
///
/// One encoder per schema, reused record after record: a record that fits allocates nothing
/// (keys compared as bytes, strings unescaped into one scratch buffer). Each check runs in one
/// of two modes: `report` throws an `EncodeError` naming the path and the reason; without it
/// a check only answers whether the value fits — what anyOf/oneOf/not/if need when trying
/// schemas, where a failing branch is normal and must not cost a message.
final class JSONSchemaEncoder: SchemaBodyEncoder {
    let root: JSONSchemaNode
    private let tape = JSONTape()
    private let scratch = ByteBuffer(capacity: 64)
    /// Checks left for this record: a schema whose combinators share subschemas (through
    /// `$ref`) could otherwise make a record take exponential time.
    private var budget = 0
    static let maxChecks = 2_000_000

    init(_ root: JSONSchemaNode) { self.root = root }

    func encode(_ json: UnsafeRawBufferPointer, into output: ByteBuffer) throws(EncodeError) {
        do { try tape.parse(json) } catch { throw EncodeError("invalid JSON: \(error.message)") }
        budget = JSONSchemaEncoder.maxChecks
        _ = try check(root, 0, report: true)
        _ = write(0, output)
    }

    // MARK: writing

    /// Compact JSON of the value at token `i`; returns the index after it.
    private func write(_ i: Int, _ out: ByteBuffer) -> Int {
        let t = tape[i]
        switch t.kind {
        case .null, .bool, .number:
            out.append(tape.text(t))
        case .string:
            out.append(0x22)
            out.append(tape.text(t))
            out.append(0x22)
        case .array:
            out.append(0x5B)
            var k = i + 1
            while k < Int(t.next) {
                if k > i + 1 { out.append(0x2C) }
                k = write(k, out)
            }
            out.append(0x5D)
        case .object:
            out.append(0x7B)
            var k = i + 1
            while k < Int(t.next) {
                if k > i + 1 { out.append(0x2C) }
                k = write(k, out)
                out.append(0x3A)
                k = write(k, out)
            }
            out.append(0x7D)
        }
        return Int(t.next)
    }

    // MARK: checking

    /// A failed check: thrown with its reason when reporting, else just "does not fit".
    @inline(__always) private func fail(_ report: Bool, _ reason: () -> String) throws(EncodeError) -> Bool {
        if report { throw EncodeError(reason()) }
        return false
    }

    /// A check of a member or an item: its path part is added as the error unwinds.
    @inline(__always) private func child(_ n: JSONSchemaNode, _ k: Int, _ report: Bool, _ part: () -> String) throws(EncodeError) -> Bool {
        guard report else { return try check(n, k, report: false) }
        do { _ = try check(n, k, report: true) } catch { var e = error; e.path.append(part()); throw e }
        return true
    }

    private func check(_ n: JSONSchemaNode, _ i: Int, report: Bool) throws(EncodeError) -> Bool {
        budget -= 1
        if budget < 0 { throw EncodeError("the schema needs more than \(JSONSchemaEncoder.maxChecks) checks for this value") }
        if n.never { return try fail(report) { "\(got(i)) is not allowed here (the schema is false)" } }
        let t = tape[i]
        if !n.types.isEmpty && n.types.isDisjoint(with: types(i)) {
            return try fail(report) { "expected \(n.typeText), got \(got(i))" }
        }
        if let values = n.enumValues, !values.contains(where: { equal(i, $0) }) {
            return try fail(report) { "\(got(i)) is not one of \(n.enumText)" }
        }
        if let c = n.const, !equal(i, c) {
            return try fail(report) { "\(got(i)) is not the const \(n.constText)" }
        }
        switch t.kind {
        case .number where n.checksNumbers: if try !numberFits(n, i, report) { return false }
        case .string where n.checksStrings: if try !stringFits(n, i, report) { return false }
        case .object where n.checksObjects: if try !objectFits(n, i, report) { return false }
        case .array where n.checksArrays: if try !arrayFits(n, i, report) { return false }
        default: break
        }
        if let r = n.ref, try !check(r, i, report: report) { return false }
        if n.combines { return try combinationsFit(n, i, report) }
        return true
    }

    /// The value's JSON type as `Types` bits (a number without a fraction is also an integer).
    private func types(_ i: Int) -> JSONSchemaNode.Types {
        let t = tape[i]
        switch t.kind {
        case .null: return .null
        case .bool: return .boolean
        case .string: return .string
        case .object: return .object
        case .array: return .array
        case .number: return isIntegral(t) ? [.number, .integer] : .number
        }
    }

    private func isIntegral(_ t: JSONToken) -> Bool {
        let s = tape.text(t)
        if !s.contains(where: { $0 == 0x2E || $0 == 0x65 || $0 == 0x45 }) { return true }
        guard let d = JSONNumber.double(s) else { return false }
        return d.isFinite && d.rounded() == d
    }

    private func numberFits(_ n: JSONSchemaNode, _ i: Int, _ report: Bool) throws(EncodeError) -> Bool {
        // Doubles: exact for integers up to 2^53 and for the decimals records carry; bounds
        // are compared as most validators (Python's jsonschema among them) compare them.
        guard let d = JSONNumber.double(tape.text(tape[i])) else { return try fail(report) { "\(got(i)) is not a number kafka-emit can compare" } }
        if let m = n.minimum, d < m.0 { return try fail(report) { "\(got(i)) is less than minimum \(m.1)" } }
        if let m = n.maximum, d > m.0 { return try fail(report) { "\(got(i)) is greater than maximum \(m.1)" } }
        if let m = n.exclusiveMinimum, d <= m.0 { return try fail(report) { "\(got(i)) is not greater than exclusiveMinimum \(m.1)" } }
        if let m = n.exclusiveMaximum, d >= m.0 { return try fail(report) { "\(got(i)) is not less than exclusiveMaximum \(m.1)" } }
        if let m = n.multipleOf {
            // A quotient within rounding error of an integer counts (19.99 is a multiple of
            // 0.01 though 19.99 / 0.01 is 1998.9999999999998 in binary floating point).
            let q = d / m.0
            if !q.isFinite || abs(q - q.rounded()) > 1e-9 * max(1, abs(q)) { return try fail(report) { "\(got(i)) is not a multiple of \(m.1)" } }
        }
        return true
    }

    private func stringFits(_ n: JSONSchemaNode, _ i: Int, _ report: Bool) throws(EncodeError) -> Bool {
        let s = try stringBytes(tape[i])
        if n.minLength != nil || n.maxLength != nil {
            // Code points: every byte that does not continue a UTF-8 sequence starts one.
            var length = 0
            for b in s where b & 0xC0 != 0x80 { length += 1 }
            if let m = n.minLength, length < m { return try fail(report) { "\(got(i)) is shorter than minLength \(m)" } }
            if let m = n.maxLength, length > m { return try fail(report) { "\(got(i)) is longer than maxLength \(m)" } }
        }
        if let p = n.pattern, !p.matches(s) { return try fail(report) { "\(got(i)) does not match pattern \(p.source)" } }
        return true
    }

    private func objectFits(_ n: JSONSchemaNode, _ i: Int, _ report: Bool) throws(EncodeError) -> Bool {
        let t = tape[i]
        if n.requiredTable.count != n.required.count || n.propertyTable.count != n.properties.count { n.finalize() }
        let required = n.requiredTable
        for r in 0..<required.count where tape.member(i, required[r]) == nil {
            if report { var e = EncodeError("required"); e.path.append(AvroEncoder.pathKey(n.required[r].name)); throw e }
            return false
        }
        let properties = n.propertyTable
        if let m = n.minProperties, Int(t.count) < m { return try fail(report) { "has \(t.count) properties, fewer than minProperties \(m)" } }
        if let m = n.maxProperties, Int(t.count) > m { return try fail(report) { "has \(t.count) properties, more than maxProperties \(m)" } }
        var k = i + 1
        while k < Int(t.next) {
            var matched = false
            for p in 0..<properties.count where tape.keyIs(k, properties[p].name) {
                matched = true
                // The node without a retain: the root owns it for the encoder's life.
                var fits = true
                var failure: EncodeError? = nil
                properties[p].node._withUnsafeGuaranteedRef { node in
                    do throws(EncodeError) { fits = try child(node, k + 1, report, { AvroEncoder.pathKey(n.properties[p].name) }) } catch { failure = error }
                }
                if let failure { throw failure }
                if !fits { return false }
            }
            for (pattern, node) in n.patternProperties {
                guard pattern.matches(try keyBytes(k)) else { continue }
                matched = true
                if try !child(node, k + 1, report, { AvroEncoder.pathKey(tape.string(k)) }) { return false }
            }
            if !matched, let extra = n.additionalProperties {
                if extra.never {
                    if report { var e = EncodeError("not allowed (additionalProperties is false)"); e.path.append(AvroEncoder.pathKey(tape.string(k))); throw e }
                    return false
                }
                if try !child(extra, k + 1, report, { AvroEncoder.pathKey(tape.string(k)) }) { return false }
            }
            k = Int(tape[k + 1].next)
        }
        return true
    }

    private func arrayFits(_ n: JSONSchemaNode, _ i: Int, _ report: Bool) throws(EncodeError) -> Bool {
        let t = tape[i]
        if let m = n.minItems, Int(t.count) < m { return try fail(report) { "has \(t.count) items, fewer than minItems \(m)" } }
        if let m = n.maxItems, Int(t.count) > m { return try fail(report) { "has \(t.count) items, more than maxItems \(m)" } }
        var k = i + 1
        var index = 0
        while k < Int(t.next) {
            if let node = index < n.prefixItems.count ? n.prefixItems[index] : n.rest {
                if node.never {
                    if report { var e = EncodeError("not allowed (the array may have \(n.prefixItems.count) items at most)"); e.path.append("[\(index)]"); throw e }
                    return false
                }
                let at = index
                if try !child(node, k, report, { "[\(at)]" }) { return false }
            }
            k = Int(tape[k].next)
            index += 1
        }
        return true
    }

    private func combinationsFit(_ n: JSONSchemaNode, _ i: Int, _ report: Bool) throws(EncodeError) -> Bool {
        for s in n.allOf { if try !check(s, i, report: report) { return false } }
        if !n.anyOf.isEmpty {
            var fits = false
            for s in n.anyOf { if try check(s, i, report: false) { fits = true; break } }
            if !fits { return try fail(report) { "fits none of the \(n.anyOf.count) schemas of anyOf (\(closest(n.anyOf, i)))" } }
        }
        if !n.oneOf.isEmpty {
            // The first two schemas that fit (no array: this runs for records that fit).
            var first = -1, second = -1
            for (k, s) in n.oneOf.enumerated() {
                guard try check(s, i, report: false) else { continue }
                if first < 0 { first = k } else { second = k; break }
            }
            if first < 0 { return try fail(report) { "fits none of the \(n.oneOf.count) schemas of oneOf (\(closest(n.oneOf, i)))" } }
            if second >= 0 { return try fail(report) { "fits more than one schema of oneOf (#\(first + 1) and #\(second + 1)); exactly one must fit" } }
        }
        if let s = n.not, try check(s, i, report: false) {
            return try fail(report) { "\(got(i)) must not fit the schema under \"not\"" }
        }
        if let s = n.ifSchema {
            if try check(s, i, report: false) {
                if let then = n.thenSchema { return try check(then, i, report: report) }
            } else if let otherwise = n.elseSchema {
                return try check(otherwise, i, report: report)
            }
        }
        return true
    }

    /// Why the first schema that admits the value's type (else the first) does not fit it:
    /// for `anyOf: [null, {object…}]` and an object, the object schema's reason is the useful one.
    private func closest(_ list: [JSONSchemaNode], _ i: Int) -> String {
        let k = list.firstIndex { $0.types.isEmpty || !$0.types.isDisjoint(with: types(i)) } ?? 0
        return "#\(k + 1) says: " + reason(list[k], i)
    }

    /// Why `n` does not fit the value at `i`, relative path first (for anyOf/oneOf messages).
    private func reason(_ n: JSONSchemaNode, _ i: Int) -> String {
        do { _ = try check(n, i, report: true) } catch {
            return error.path.isEmpty ? error.reason : error.path.reversed().joined() + ": " + error.reason
        }
        return "it fits"
    }

    // MARK: reading the tape

    private func got(_ i: Int) -> String { tape.shown(i) }

    /// A string token's UTF-8: the tape's bytes when unescaped, else decoded into scratch
    /// (valid until the next call).
    @inline(__always) private func stringBytes(_ t: JSONToken) throws(EncodeError) -> UnsafeRawBufferPointer {
        if !t.flag { return tape.text(t) }
        scratch.removeAll()
        do { try JSONTape.unescapeChecked(tape.text(t), into: scratch) } catch { throw EncodeError(error.message) }
        return scratch.bytes
    }

    private func keyBytes(_ k: Int) throws(EncodeError) -> UnsafeRawBufferPointer { try stringBytes(tape[k]) }

    /// JSON equality (enum, const): numbers by value, objects whatever their members' order.
    private func equal(_ i: Int, _ c: JSONConst) -> Bool {
        let t = tape[i]
        switch (t.kind, c) {
        case (.null, .null): return true
        case (.bool, .bool(let b)): return t.flag == b
        case (.number, .number(let d)): return JSONNumber.double(tape.text(t)) == d
        case (.string, .string(let s)): return (try? stringBytes(t))?.elementsEqual(s) ?? false
        case (.array, .array(let items)):
            guard Int(t.count) == items.count else { return false }
            var k = i + 1
            for item in items {
                guard equal(k, item) else { return false }
                k = Int(tape[k].next)
            }
            return true
        case (.object, .object(let members)):
            guard Int(t.count) == members.count else { return false }
            for (name, value) in members {
                guard let v = tape.member(i, name), equal(v, value) else { return false }
            }
            return true
        default: return false
        }
    }
}
