import Why403Core

/// One test of an expression (a comparison, a Boolean field, a function) and how it came out for the
/// request: the part of the expression a report shows as the reason a rule matched or did not.
public struct Leaf: Sendable {
    /// The test's text as written in the rule.
    public var text: String
    /// The value the test looked at (the left-hand side), as the request has it.
    public var subject: String
    /// The text of the left-hand side.
    public var subjectText: String
    /// true, false or nil (unknown).
    public var result: Bool?
    /// Whether the test sits under an odd number of `not`.
    public var negated: Bool
    /// The fields it reads.
    public var fields: [Fields.Field]
    /// 1-based column in the expression.
    public var column: Int
    /// The `$lists` it reads whose items were not given (or that Cloudflare manages).
    public var unknownLists: [String] = []
}

/// Finds the tests that made an expression true, false or unknown for a request.
public enum Explain {
    /// The leaves that decide `expression`'s value for `fields`.
    public static func leaves(_ expression: CompiledExpression, _ fields: FieldValues) -> [Leaf] {
        var out: [Leaf] = []
        walk(expression.root, expression, fields, negated: false, &out)
        return out
    }

    static func walk(_ node: Node, _ e: CompiledExpression, _ fields: FieldValues, negated: Bool, _ out: inout [Leaf]) {
        let r = Evaluator.evaluate(node, fields).truth
        switch node.kind {
        case .not(let inner):
            walk(inner, e, fields, negated: !negated, &out)
        case .and(let a, let b), .or(let a, let b):
            let isAnd: Bool = { if case .and = node.kind { return true } else { return false } }()
            let ra = Evaluator.evaluate(a, fields).truth, rb = Evaluator.evaluate(b, fields).truth
            let decisive: Bool? = isAnd ? false : true
            if r == decisive {
                // The first child with the deciding value explains it.
                walk(ra == decisive ? a : b, e, fields, negated: negated, &out)
            } else if r == nil {
                if ra == nil { walk(a, e, fields, negated: negated, &out) }
                if rb == nil { walk(b, e, fields, negated: negated, &out) }
            } else {
                walk(a, e, fields, negated: negated, &out)
                walk(b, e, fields, negated: negated, &out)
            }
        case .xor(let a, let b):
            walk(a, e, fields, negated: negated, &out)
            walk(b, e, fields, negated: negated, &out)
        default:
            let subjectNode = subject(of: node)
            let sv = Evaluator.evaluate(subjectNode, fields)
            var lists: [String] = []
            if case .inList(_, let name) = node.kind, fields.lists[name] == nil { lists.append(name) }
            out.append(Leaf(text: e.text(node), subject: sv.description, subjectText: e.text(subjectNode), result: r,
                            negated: negated, fields: node.fields, column: node.start + 1, unknownLists: lists))
        }
    }

    static func subject(of node: Node) -> Node {
        switch node.kind {
        case .compare(_, let l, _), .contains(let l, _), .matches(let l, _), .wildcard(let l, _), .inSet(let l, _), .inList(let l, _):
            return l
        case .call(.any, let args), .call(.all, let args):
            return args.first.map(subject(of:)) ?? node
        case .call(_, let args) where node.type == .bool:
            return args.first ?? node
        default:
            return node
        }
    }

    /// The cause a set of matched tests points at (report-v1, edge rules): bot signals or the
    /// User-Agent, then the country, then the address; anything else is `waf.rule`.
    public static func cause(_ leaves: [Leaf]) -> Cause {
        let signals = Set(leaves.flatMap { $0.fields.map(\.signal) } + leaves.filter { $0.subjectText.lowercased().contains("\"user-agent\"") }.map { _ in Fields.Signal.bot })
        if signals.contains(.bot) { return .botBlock }
        if signals.contains(.geo) { return .geoBlock }
        if signals.contains(.address) { return .accessIP }
        return .wafRule
    }

    /// How a leaf reads in a report.
    public static func describe(_ l: Leaf) -> String {
        let holds: String
        switch l.result {
        case .some(true): holds = l.negated ? "is true, so its `not` is false" : "is true"
        case .some(false): holds = l.negated ? "is false, so its `not` holds" : "is false"
        case .none: holds = "is unknown"
        }
        let subject = l.subjectText == l.text ? "" : "; the request's \(l.subjectText) is \(l.subject)"
        return "`\(l.text)` \(holds)\(subject)"
    }

    /// For the unknown leaves of one rule: "matches if `a` and `not b` hold (give --x, --y to decide)".
    public static func wouldMatchAll(_ leaves: [Leaf]) -> String {
        guard leaves.count > 1 else { return leaves.first.map(wouldMatch) ?? "" }
        let wants = leaves.map { $0.negated ? "`not \($0.text)`" : "`\($0.text)`" }
        var flags: [String] = [], computed: [String] = []
        for l in leaves {
            for f in l.fields {
                switch f.source {
                case .flag(let flag): if !flags.contains(flag) { flags.append(flag) }
                case .cloudflare: if !computed.contains(f.name) { computed.append(f.name) }
                case .request: if f.name == "ip.src" && l.subject == "unknown" && !flags.contains("--client-ip") { flags.append("--client-ip") }
                }
            }
        }
        var s = "matches if " + wants.dropLast().joined(separator: ", ") + " and " + wants.last! + " hold"
        if !flags.isEmpty { s += " (give \(flags.joined(separator: ", ")) to decide)" }
        if !computed.isEmpty { s += " (\(computed.joined(separator: ", ")) is computed by Cloudflare and cannot be known offline)" }
        for l in leaves { for n in l.unknownLists where !s.contains("$\(n) ") { s += " (\(listNote(n)))" } }
        return s
    }

    /// For an unknown leaf: what would make the rule match, and which flag decides it.
    public static func wouldMatch(_ l: Leaf) -> String {
        let want = l.negated ? "`not \(l.text)`" : "`\(l.text)`"
        var flags: [String] = []
        var computed: [String] = []
        for f in l.fields {
            switch f.source {
            case .flag(let flag): if !flags.contains(flag) { flags.append(flag) }
            case .cloudflare: if !computed.contains(f.name) { computed.append(f.name) }
            case .request: if f.name == "ip.src" && l.subject == "unknown" && !flags.contains("--client-ip") { flags.append("--client-ip") }
            }
        }
        var s = "matches if \(want) holds"
        if !flags.isEmpty { s += " (give \(flags.joined(separator: ", ")) to decide)" }
        if !computed.isEmpty { s += " (\(computed.joined(separator: ", ")) is computed by Cloudflare and cannot be known offline)" }
        for n in l.unknownLists { s += " (\(listNote(n)))" }
        return s
    }

    /// Why a list's items are unknown: a managed list (named, with what it holds) or one not given.
    public static func listNote(_ name: String) -> String {
        if let what = ListReader.managed[name] {
            return "$\(name) is a Cloudflare managed list of \(what): its contents are not published, so it cannot be known offline"
        }
        return "the items of $\(name) were not given: --list \(name)=FILE, or --list FILE with the export that declares it"
    }
}
