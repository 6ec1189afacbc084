@_spi(Engine) import KafkaEmit
#if canImport(Glibc)
import Glibc
#endif

// Unions of the Avro encoder (AvroEncoder.swift holds the walk over the tape).

extension AvroEncoder {
    // MARK: unions

    func encodeUnion(_ n: AvroNode, _ i: Int, _ t: JSONToken) throws(EncodeError) {
        if t.kind == .null {
            guard n.nullBranch >= 0 else {
                throw EncodeError("null is not allowed (the union has no null branch: \(unionList(n)))")
            }
            writeLong(Int64(n.nullBranch))
            return
        }
        // Avro's JSON encoding: {"branch name": value}.
        if t.kind == .object, t.count == 1, let k = wrappedBranch(n, i + 1) {
            writeLong(Int64(k))
            do { try encode(n.branches[k], i + 2) } catch { var e = error; e.path.append(AvroEncoder.pathKey(tape.string(i + 1))); throw e }
            return
        }
        // Natural JSON: the first branch the value fits (the nodes read without a retain: the
        // union owns them for the encoder's life).
        let mark = out.count
        var firstError: EncodeError? = nil
        let plan = n.branchPlan
        for k in 0..<plan.count {
            var failure: EncodeError? = nil
            var done = false
            plan[k]._withUnsafeGuaranteedRef { b in
                guard AvroEncoder.mayFit(b, t.kind) else { return }
                writeLong(Int64(k))
                do throws(EncodeError) {
                    try encode(b, i)
                    done = true
                } catch {
                    out.truncate(to: mark)
                    failure = error
                }
            }
            if done { return }
            if firstError == nil, let failure { firstError = failure }
        }
        if let firstError, n.branches.filter({ AvroEncoder.mayFit($0, t.kind) }).count == 1 { throw firstError }
        throw EncodeError("\(got(i)) fits no branch of the union \(unionList(n))")
    }

    func unionList(_ n: AvroNode) -> String {
        "[" + n.branches.map(\.shownName).joined(separator: ", ") + "]"
    }

    /// The branch a one-member object's key names (full name, short name, alias, a primitive's
    /// name or a logical type's), or nil.
    func wrappedBranch(_ n: AvroNode, _ key: Int) -> Int? {
        AvroEncoder.wrappedBranch(n) { tape.keyIs(key, $0) }
    }

    /// The first branch one of whose names `keyIs` takes.
    static func wrappedBranch(_ n: AvroNode, _ keyIs: ([UInt8]) -> Bool) -> Int? {
        for (k, b) in n.branches.enumerated() {
            if b.unionNames.isEmpty {
                if keyIs(Array(b.name.utf8)) || (b.logical != .none && keyIs(Array(b.shownName.utf8))) { return k }
            } else if b.unionNames.contains(where: keyIs) {
                return k
            }
        }
        return nil
    }

    static func mayFit(_ b: AvroNode, _ kind: JSONToken.Kind) -> Bool {
        switch b.kind {
        case .null: return kind == .null
        case .boolean: return kind == .bool
        case .int, .long: return kind == .number || (kind == .string && b.logical != .none)
        case .float, .double: return kind == .number
        case .string, .enumeration: return kind == .string
        case .bytes, .fixed: return kind == .string || (kind == .number && b.logical != .none)
        case .record, .map: return kind == .object
        case .array: return kind == .array
        case .union: return false
        }
    }
}
