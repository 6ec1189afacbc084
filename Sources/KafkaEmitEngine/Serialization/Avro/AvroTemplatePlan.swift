@_spi(Engine) import KafkaEmit

/// One step of an `AvroTemplateEncoder`: constant bytes, or a slot's rendered value encoded
/// as a schema type. A flat value read through a pointer per record (no reference counting).
struct AvroTemplateStep {
    enum Kind: UInt8 {
        /// `count` bytes of the constants from `at`.
        case bytes
        /// A number slot (no text): as a long, as an int.
        case long, int
        /// A text slot that must be a JSON number: as a long, an int, a double, a float.
        case longText, intText, double, float
        /// A string slot: as a string, a uuid string, an enum symbol (`count` symbols from
        /// `at`), a date/time/timestamp (`logicalNodes[at]`) as a long or an int.
        case string, uuid, enumeration, logicalLong, logicalInt
        /// A union: the `count` steps after it are its branches that may fit, in order; the
        /// first whose value fits is written, after its branch index.
        case union
    }
    var kind: Kind
    var slot = 0
    var at = 0
    var count = 0
    /// A union's branch step: the branch's index.
    var branch = 0
}

/// How a slot is rendered per record, in the template's order: a number drawn as its
/// placeholder draws it (`{i}`, `{rand:N}`, `{int:MIN:MAX}`), or text from its parts (the
/// plan's `slotParts`; kept apart so that reading a slot per record retains nothing).
struct AvroTemplateSlot {
    enum Kind: UInt8 { case index, rand, int, text }
    var kind: Kind
    var arg: UInt64 = 0
    var low: Int64 = 0
}

/// A template's shape and a schema compiled together, once per run (see `AvroTemplateEncoder`
/// for why). A shape that does not fit the schema for every record, or that needs what the
/// steps do not do (bytes, fixed, decimals from placeholders; a union whose branch depends on
/// a container's rendered content), gives no plan: the records go the general way.
struct AvroTemplatePlan {
    private(set) var steps: [AvroTemplateStep] = []
    private(set) var constants: [UInt8] = []
    private(set) var symbols: [UnsafeRawBufferPointer] = []
    private(set) var logicalNodes: [AvroNode] = []
    private(set) var slots: [AvroTemplateSlot]
    let slotParts: [[Template.Part]]

    init?(_ template: Template, root: AvroNode) {
        guard !(root.kind == .bytes && root.logical == .none), let (shape, slotParts) = TemplateShape.of(template) else { return nil }
        self.slotParts = slotParts
        slots = slotParts.map { _ in AvroTemplateSlot(kind: .text) }
        guard compile(shape, root) else { return nil }
    }

    private mutating func emit(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if let last = steps.last, last.kind == .bytes, last.at + last.count == constants.count {
            steps[steps.count - 1].count += bytes.count
        } else {
            steps.append(AvroTemplateStep(kind: .bytes, at: constants.count, count: bytes.count))
        }
        constants += bytes
    }

    private mutating func emitLong(_ v: Int) {
        emit(AvroTemplatePlan.zigzag(Int64(v)))
    }

    static func zigzag(_ v: Int64) -> [UInt8] {
        let b = ByteBuffer(capacity: 10)
        b.appendVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
        return b.array
    }

    private mutating func compile(_ shape: TemplateShape, _ n: AvroNode) -> Bool {
        switch shape {
        case .constant(let text):
            // Encoded as the general encoder encodes it for every record; one that does not fit
            // fails every record, which the general way reports.
            guard let bytes = try? AvroEncoder.encodeFragment(text, n) else { return false }
            emit(bytes)
            return true
        case .hole(let slot, let part):
            return scalar(.number, slot, n, part: part)
        case .string(let slot, _):
            return scalar(.string, slot, n, part: nil)
        case .object(let members):
            if n.kind == .union {
                if members.count == 1, let k = AvroEncoder.wrappedBranch(n, { $0 == members[0].key }) {
                    emitLong(k)
                    return compile(members[0].value, n.branches[k])
                }
                return onlyBranch(shape, n, .object)
            }
            if n.kind == .map {
                emitLong(members.count)
                for m in members {
                    emitLong(m.key.count)
                    emit(m.key)
                    guard compile(m.value, n.items!) else { return false }
                }
                emit([0])
                return true
            }
            guard n.kind == .record else { return false }
            // Each member names exactly one field and each field has at most one member: then
            // the general encoder's matching (name, then aliases) finds the same pairs.
            var byField = [Int](repeating: -1, count: n.fields.count)
            for (m, member) in members.enumerated() {
                let named = n.fields.indices.filter { n.fields[$0].nameBytes == member.key || n.fields[$0].aliases.contains(member.key) }
                guard named.count == 1, byField[named[0]] < 0 else { return false }
                byField[named[0]] = m
            }
            for (k, f) in n.fields.enumerated() {
                if byField[k] >= 0 {
                    guard compile(members[byField[k]].value, f.node) else { return false }
                } else if let d = f.defaultBytes {
                    emit(d)
                } else {
                    return false
                }
            }
            return true
        case .array(let items):
            if n.kind == .union { return onlyBranch(shape, n, .array) }
            guard n.kind == .array else { return false }
            emitLong(items.count)
            for item in items { guard compile(item, n.items!) else { return false } }
            emit([0])
            return true
        }
    }

    /// A container in a union as natural JSON: the general encoder tries each branch it may
    /// fit; with one such branch that is the branch, else it depends on the content (no plan).
    private mutating func onlyBranch(_ shape: TemplateShape, _ n: AvroNode, _ kind: JSONToken.Kind) -> Bool {
        let fitting = n.branches.indices.filter { AvroEncoder.mayFit(n.branches[$0], kind) }
        guard fitting.count == 1 else { return false }
        emitLong(fitting[0])
        return compile(shape, n.branches[fitting[0]])
    }

    /// A slot's value as `n`: a whole-value placeholder read as a number, or a string.
    private mutating func scalar(_ kind: JSONToken.Kind, _ slot: Int, _ n: AvroNode, part: Template.Part?) -> Bool {
        let targets = n.kind == .union ? n.branches.indices.filter { AvroEncoder.mayFit(n.branches[$0], kind) } : [-1]
        guard !targets.isEmpty else { return false }
        let node = { (t: Int) in t < 0 ? n : n.branches[t] }
        // A number placeholder read as integers only: its number, not its text.
        if kind == .number, let part, targets.allSatisfy({ node($0).kind == .int || node($0).kind == .long }) {
            switch part {
            case .index(width: 0): slots[slot].kind = .index
            case .rand(let bound): (slots[slot].kind, slots[slot].arg) = (.rand, bound)
            case .int(let lo, let hi): (slots[slot].kind, slots[slot].arg, slots[slot].low) = (.int, UInt64(bitPattern: hi &- lo) &+ 1, lo)
            default: break
            }
        }
        if n.kind == .union { steps.append(AvroTemplateStep(kind: .union, count: targets.count)) }
        for t in targets {
            guard var step = scalarStep(kind, slots[slot].kind != .text, node(t)) else { return false }
            step.slot = slot
            step.branch = max(t, 0)
            steps.append(step)
        }
        return true
    }

    private mutating func scalarStep(_ kind: JSONToken.Kind, _ numeric: Bool, _ n: AvroNode) -> AvroTemplateStep? {
        switch (kind, n.kind) {
        case (.number, .long): return AvroTemplateStep(kind: numeric ? .long : .longText)
        case (.number, .int): return AvroTemplateStep(kind: numeric ? .int : .intText)
        case (.number, .double): return AvroTemplateStep(kind: .double)
        case (.number, .float): return AvroTemplateStep(kind: .float)
        case (.string, .string): return AvroTemplateStep(kind: n.logical == .uuid ? .uuid : .string)
        case (.string, .enumeration):
            symbols += n.symbolSpans
            return AvroTemplateStep(kind: .enumeration, at: symbols.count - n.symbolSpans.count, count: n.symbolSpans.count)
        case (.string, .long), (.string, .int):
            guard n.logical != .none else { return nil }
            logicalNodes.append(n)
            return AvroTemplateStep(kind: n.kind == .long ? .logicalLong : .logicalInt, at: logicalNodes.count - 1)
        default: return nil
        }
    }
}
