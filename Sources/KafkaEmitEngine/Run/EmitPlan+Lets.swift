@_spi(Engine) import KafkaEmit

extension EmitPlan {
    /// Every template with the flag that named it, `--let`s first, in the order they render.
    var namedTemplates: [(flag: String, template: Template)] {
        var all: [(String, Template)] = lets.map { ("--let \($0.name)", $0.template) }
        if let key { all.append(("--key", key)) }
        all.append(("--value", value))
        for h in headers { if let v = h.value { all.append(("--header \(h.name)", v)) } }
        all.append(("--correlation", correlation))
        if let timestamp { all.append(("--timestamp", timestamp)) }
        return all
    }

    /// Gives each `{ref:NAME}` its `--let` slot (a `--let` sees only the ones before it, so
    /// there is no cycle) and each `{line:FILE}` its entries, each FILE read once. Run once
    /// when the plan is made, before `validate`.
    package mutating func resolveTemplates() throws(EmitError) {
        let names = lets.map(\.name)
        for (k, name) in names.enumerated() where names[..<k].contains(name) {
            throw .usage("--let \(name) is given twice; give each name once")
        }
        var pools: [String: LinePool] = [:]
        func resolve(_ t: Template, flag: String, visible: Int) throws(EmitError) -> Template {
            try t.resolved(slot: { name throws(EmitError) in
                if let k = names[..<visible].firstIndex(of: name) { return k }
                let defined = visible == 0 ? "none" : names[..<visible].joined(separator: ", ")
                if flag == "--let \(name)" {
                    throw .usage("\(flag): {ref:\(name)} refers to itself; a --let may use only earlier ones (here: \(defined))")
                }
                if visible < names.count, names.contains(name) {
                    throw .usage("\(flag): {ref:\(name)} names a --let given after it (or itself); a --let may use only earlier ones (here: \(defined)); move --let \(name) before it")
                }
                throw .usage(visible == 0
                    ? "\(flag): {ref:\(name)} names no --let, and none is defined; add --let \(name)=TEMPLATE, e.g. --let \(name)={int:1:500}"
                    : "\(flag): {ref:\(name)} names no --let; defined: \(defined) (add --let \(name)=TEMPLATE)")
            }, pool: { path throws(EmitError) in
                if let p = pools[path] { return p }
                let p = try LinePool.load(path, flag: flag)
                pools[path] = p
                return p
            })
        }
        for k in lets.indices {
            lets[k].template = try resolve(lets[k].template, flag: "--let \(lets[k].name)", visible: k)
        }
        let all = lets.count
        if let t = key { key = try resolve(t, flag: "--key", visible: all) }
        value = try resolve(value, flag: "--value", visible: all)
        for h in headers.indices {
            if let v = headers[h].value { headers[h].value = try resolve(v, flag: "--header \(headers[h].name)", visible: all) }
        }
        correlation = try resolve(correlation, flag: "--correlation", visible: all)
        if let t = timestamp { timestamp = try resolve(t, flag: "--timestamp", visible: all) }
    }
}
