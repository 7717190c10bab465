import Why403Core

/// A rule expression parsed and type-checked once: the tree the evaluator runs for every request.
public struct CompiledExpression: Sendable {
    /// The expression as written.
    public let source: String
    /// The root (a Boolean).
    public let root: Node
    let scalars: [Unicode.Scalar]

    /// Parses and type-checks `source` as a filter expression of `phase` (functions allowed only in
    /// rewrite expressions are refused in the WAF phases). Errors carry the 1-based column.
    /// `allowResponseFields` lets a rate limiting rule's `counting_expression` read `http.response.*`.
    public init(_ source: String, phase: String = "http_request_firewall_custom", allowResponseFields: Bool = false) throws(ExpressionError) {
        self.source = source
        var lexer = Lexer(source)
        let tokens = try lexer.tokens()
        var parser = Parser(tokens: tokens, phase: phase)
        parser.allowResponseFields = allowResponseFields
        let root = try parser.parseExpression()
        guard parser.peek.kind == .end else {
            throw ExpressionError(column: parser.peek.start + 1, message: "expected an operator (and, or, xor) or the end, found \(InputError.quote(parser.peek.text))")
        }
        guard root.type == .bool, !root.mapped else {
            throw ExpressionError(column: root.start + 1, message: root.mapped
                ? "an expression with [*] yields an array of Booleans: wrap it in any(...) or all(...)"
                : "expected a Boolean expression, found a value of type \(root.type)")
        }
        self.root = root
        self.scalars = lexer.scalars
    }

    /// The source text of a node.
    public func text(_ node: Node) -> String {
        String(String.UnicodeScalarView(scalars[node.start..<min(node.end, scalars.count)]))
            .split(whereSeparator: \.isNewline).map { $0.trimmingScalars(" \t") }.joined(separator: " ")
    }
}


struct Parser {
    /// Phases whose expressions may use rewrite-only functions.
    static let rewritePhases: Set<String> = ["http_request_transform", "http_request_late_transform",
                                            "http_response_headers_transform", "http_request_dynamic_redirect"]
    let tokens: [Token]
    var pos = 0
    let phase: String
    var allowResponseFields = false

    init(tokens: [Token], phase: String) {
        self.tokens = tokens
        self.phase = phase
    }

    var peek: Token { tokens[pos] }
    mutating func advance() -> Token { let t = tokens[pos]; if pos < tokens.count - 1 { pos += 1 }; return t }

    func isWord(_ t: Token, _ words: String...) -> Bool { t.kind == .word && words.contains(t.text) }
    func isSym(_ t: Token, _ syms: String...) -> Bool { t.kind == .symbol && syms.contains(t.text) }

    func err(_ t: Token, _ message: String) -> ExpressionError { ExpressionError(column: t.start + 1, message: message) }
    func found(_ t: Token) -> String { t.kind == .end ? "the end of the expression" : InputError.quote(t.text) }

    func requireBool(_ n: Node, _ op: String) throws(ExpressionError) {
        guard n.type == .bool else {
            throw ExpressionError(column: n.start + 1, message: "\(op) needs a Boolean, found a value of type \(n.type)")
        }
    }

    mutating func parseExpression() throws(ExpressionError) -> Node { try parseOr() }

    mutating func parseOr() throws(ExpressionError) -> Node {
        var left = try parseXor()
        while isWord(peek, "or") || isSym(peek, "||") {
            _ = advance()
            let right = try parseXor()
            try requireBool(left, "or"); try requireBool(right, "or")
            left = Node(.or(left, right), type: .bool, mapped: left.mapped || right.mapped, start: left.start, end: right.end)
        }
        return left
    }

    mutating func parseXor() throws(ExpressionError) -> Node {
        var left = try parseAnd()
        while isWord(peek, "xor") || isSym(peek, "^^") {
            _ = advance()
            let right = try parseAnd()
            try requireBool(left, "xor"); try requireBool(right, "xor")
            left = Node(.xor(left, right), type: .bool, mapped: left.mapped || right.mapped, start: left.start, end: right.end)
        }
        return left
    }

    mutating func parseAnd() throws(ExpressionError) -> Node {
        var left = try parseNot()
        while isWord(peek, "and") || isSym(peek, "&&") {
            _ = advance()
            let right = try parseNot()
            try requireBool(left, "and"); try requireBool(right, "and")
            left = Node(.and(left, right), type: .bool, mapped: left.mapped || right.mapped, start: left.start, end: right.end)
        }
        return left
    }

    mutating func parseNot() throws(ExpressionError) -> Node {
        if isWord(peek, "not") || isSym(peek, "!") {
            let t = advance()
            let inner = try parseNot()
            try requireBool(inner, "not")
            return Node(.not(inner), type: .bool, mapped: inner.mapped, start: t.start, end: inner.end)
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(ExpressionError) -> Node {
        if isSym(peek, "(") {
            let open = advance()
            let inner = try parseOr()
            guard isSym(peek, ")") else { throw err(peek, "expected ), found \(found(peek))") }
            let close = advance()
            return Node(inner.kind, type: inner.type, mapped: inner.mapped, start: open.start, end: close.end)
        }
        let lhs = try parseOperand()
        return try parseComparison(lhs)
    }

    static let comparisonWords: Set<String> = ["eq", "ne", "lt", "le", "gt", "ge", "contains", "matches", "wildcard", "strict", "in"]

    mutating func parseComparison(_ lhs: Node) throws(ExpressionError) -> Node {
        let t = peek
        let op: String
        if t.kind == .word, Parser.comparisonWords.contains(t.text) { op = t.text }
        else if t.kind == .symbol, ["==", "!=", "<", "<=", ">", ">=", "~"].contains(t.text) { op = t.text }
        else { return lhs }
        _ = advance()
        let elem = lhs.type
        switch op {
        case "eq", "==", "ne", "!=", "lt", "<", "le", "<=", "gt", ">", "ge", ">=":
            let cmp: CompareOp = switch op {
            case "eq", "==": .eq
            case "ne", "!=": .ne
            case "lt", "<": .lt
            case "le", "<=": .le
            case "gt", ">": .gt
            default: .ge
            }
            let (v, end) = try parseLiteral(for: elem, what: "\(op)")
            if case .ip = v, cmp != .eq && cmp != .ne {} // ordering IPs is allowed
            return Node(.compare(cmp, lhs, v), type: .bool, mapped: lhs.mapped, start: lhs.start, end: end)
        case "contains":
            guard elem == .string else { throw typeErr(lhs, "contains", "String") }
            let s = try parseString("contains")
            return Node(.contains(lhs, s.text), type: .bool, mapped: lhs.mapped, start: lhs.start, end: s.end)
        case "matches", "~":
            guard elem == .string else { throw typeErr(lhs, "matches", "String") }
            let s = try parseString("matches")
            let re: CompiledRegex
            do { re = try CompiledRegex(s.text) } catch { throw ExpressionError(column: s.start + 1, message: error.message) }
            return Node(.matches(lhs, re), type: .bool, mapped: lhs.mapped, start: lhs.start, end: s.end)
        case "wildcard", "strict":
            var strict = false
            if op == "strict" {
                guard isWord(peek, "wildcard") else { throw err(peek, "expected wildcard after strict, found \(found(peek))") }
                _ = advance()
                strict = true
            }
            guard elem == .string else { throw typeErr(lhs, "wildcard", "String") }
            let s = try parseString("wildcard")
            let w: WildcardPattern
            do { w = try WildcardPattern(s.text, strict: strict) } catch { throw ExpressionError(column: s.start + 1, message: error.message) }
            return Node(.wildcard(lhs, w), type: .bool, mapped: lhs.mapped, start: lhs.start, end: s.end)
        default: // in
            if peek.kind == .list {
                let l = advance()
                guard elem == .ip || elem == .string || elem == .int else { throw typeErr(lhs, "in $list", "IP address, String or Integer") }
                return Node(.inList(lhs, l.text), type: .bool, mapped: lhs.mapped, start: lhs.start, end: l.end)
            }
            guard isSym(peek, "{") else { throw err(peek, "expected { or $list after in, found \(found(peek))") }
            _ = advance()
            var set = SetMatcher()
            guard elem == .string || elem == .int || elem == .ip else { throw typeErr(lhs, "in", "String, Integer or IP address") }
            while !isSym(peek, "}") {
                let t = peek
                if t.kind == .end { throw err(t, "expected } to close the set") }
                if isSym(t, ",") { throw err(t, "set items are separated by spaces, not commas") }
                switch elem {
                case .string:
                    guard t.kind == .string else { throw err(t, "expected a string in a set of strings, found \(found(t))") }
                    set.strings.insert(advance().text)
                case .int:
                    guard t.kind == .word else { throw err(t, "expected an integer or a range a..b, found \(found(t))") }
                    _ = advance()
                    if let r = t.text.range(of: "..") {
                        guard let a = Int(t.text[..<r.lowerBound]), let b = Int(t.text[r.upperBound...]), a <= b else {
                            throw err(t, "expected an integer range a..b with a <= b, found \(found(t))")
                        }
                        set.intRanges.append(a...b)
                    } else {
                        guard let i = Int(t.text) else { throw err(t, "expected an integer, found \(found(t))") }
                        set.ints.insert(i)
                    }
                default:
                    guard t.kind == .word else { throw err(t, "expected an IP address, network or range, found \(found(t))") }
                    _ = advance()
                    if let r = t.text.range(of: "..") {
                        guard let a = IPAddress(t.text[..<r.lowerBound]), let b = IPAddress(t.text[r.upperBound...]),
                              a.bytes.count == b.bytes.count, !b.bytes.lexicographicallyPrecedes(a.bytes) else {
                            throw err(t, "expected an IP range a..b of one family with a <= b, found \(found(t))")
                        }
                        set.ipRanges.append((a, b))
                    } else if t.text.contains("/") {
                        guard let n = IPNetwork(t.text) else { throw err(t, "expected an IP network such as 192.0.2.0/24, found \(found(t))") }
                        set.networks.append(n)
                    } else {
                        guard let a = IPAddress(t.text) else { throw err(t, "expected an IP address, found \(found(t))") }
                        set.networks.append(IPNetwork(address: a, prefixLength: a.bytes.count * 8)!)
                    }
                }
            }
            let close = advance()
            return Node(.inSet(lhs, set), type: .bool, mapped: lhs.mapped, start: lhs.start, end: close.end)
        }
    }

    func typeErr(_ lhs: Node, _ op: String, _ want: String) -> ExpressionError {
        ExpressionError(column: lhs.start + 1, message: "\(op) needs a \(want) on its left, found a value of type \(lhs.type)")
    }

    mutating func parseString(_ op: String) throws(ExpressionError) -> Token {
        guard peek.kind == .string else { throw err(peek, "expected a string after \(op), found \(found(peek))") }
        return advance()
    }

    /// A literal of the type `type` (the right-hand side of a comparison).
    mutating func parseLiteral(for type: ValueType, what: String) throws(ExpressionError) -> (Value, Int) {
        let t = peek
        switch type {
        case .string:
            guard t.kind == .string else { throw err(t, "expected a string after \(what) (the field is a String), found \(found(t))") }
            _ = advance(); return (.string(t.text), t.end)
        case .int:
            guard t.kind == .word, let i = Int(t.text) else { throw err(t, "expected an integer after \(what) (the field is an Integer), found \(found(t))") }
            _ = advance(); return (.int(i), t.end)
        case .ip:
            guard t.kind == .word, let a = IPAddress(t.text) else {
                throw err(t, t.text.contains("/") ? "\(what) takes one address; for a network use in {\(t.text)}"
                                                  : "expected an IP address after \(what), found \(found(t))")
            }
            _ = advance(); return (.ip(a), t.end)
        default:
            throw err(t, "\(what) cannot compare a value of type \(type)")
        }
    }

    mutating func parseOperand() throws(ExpressionError) -> Node {
        let t = peek
        guard t.kind == .word else {
            throw err(t, t.kind == .string ? "a string cannot start a comparison: put the field on the left" : "expected a field or a function, found \(found(t))")
        }
        _ = advance()
        if t.text == "true" || t.text == "false" {
            // The literal Cloudflare writes for "every request" (managed ruleset deployments).
            return Node(.literal(.bool(t.text == "true")), type: .bool, start: t.start, end: t.end)
        }
        var node: Node
        if isSym(peek, "(") {
            node = try parseCall(t)
        } else {
            guard let f = Fields.all[t.text] else {
                if Parser.comparisonWords.contains(t.text) || ["and", "or", "not", "xor"].contains(t.text) {
                    throw err(t, "expected a field or a function, found the operator \(found(t))")
                }
                throw err(t, "unknown field \(found(t))")
            }
            if case .only(_, let what) = f.availability, !f.availability.allows(phase),
               !(allowResponseFields && f.availability == Fields.response) {
                throw err(t, "the field \(f.name) exists only in \(what), not in phase \(phase)")
            }
            node = Node(.field(f), type: f.type, start: t.start, end: t.end)
        }
        return try parsePostfix(node)
    }

    mutating func parsePostfix(_ start: Node) throws(ExpressionError) -> Node {
        var node = start
        while isSym(peek, "[") {
            _ = advance()
            let k = peek
            if isSym(k, "*") {
                _ = advance()
                guard isSym(peek, "]") else { throw err(peek, "expected ] after [*") }
                let close = advance()
                if node.mapped, node.kind.isCall {
                    // f(x[*])[*]: the function already yields one value per element (wirefilter's
                    // function-over-array form); the second [*] iterates that array.
                    node = Node(node.kind, type: node.type, mapped: true, start: node.start, end: close.end)
                    continue
                }
                let elem: ValueType
                switch node.type {
                case .array(let e), .map(let e): elem = e
                default: throw ExpressionError(column: k.start + 1, message: "[*] needs an Array or a Map, found a value of type \(node.type)")
                }
                if node.mapped { throw ExpressionError(column: k.start + 1, message: "only one [*] is allowed in a value") }
                node = Node(.star(node), type: elem, mapped: true, start: node.start, end: close.end)
                continue
            }
            let key: Value
            let elem: ValueType
            switch node.type {
            case .map(let e):
                guard k.kind == .string else { throw err(k, "a Map is indexed by a string, found \(found(k))") }
                key = .string(k.text); elem = e
            case .array(let e):
                guard k.kind == .word, let i = Int(k.text), i >= 0 else { throw err(k, "an Array is indexed by a non-negative integer, found \(found(k))") }
                key = .int(i); elem = e
            default:
                throw err(k, "only an Array or a Map can be indexed, this is a value of type \(node.type)")
            }
            _ = advance()
            guard isSym(peek, "]") else { throw err(peek, "expected ], found \(found(peek))") }
            let close = advance()
            node = Node(.index(node, key), type: elem, mapped: node.mapped, start: node.start, end: close.end)
        }
        return node
    }

    mutating func parseArgument() throws(ExpressionError) -> Node {
        let t = peek
        if t.kind == .string {
            _ = advance()
            return Node(.literal(.string(t.text)), type: .string, start: t.start, end: t.end)
        }
        if t.kind == .word, let i = Int(t.text) {
            _ = advance()
            return Node(.literal(.int(i)), type: .int, start: t.start, end: t.end)
        }
        return try parseOr()
    }

    mutating func parseCall(_ name: Token) throws(ExpressionError) -> Node {
        guard let fn = Function(rawValue: name.text) else { throw err(name, "unknown function \(found(name))") }
        if !fn.allowed(in: phase), let a = fn.allowedPhases {
            throw err(name, "the function \(name.text)() is not allowed in phase \(phase) (Cloudflare allows it only in \(a.products)"
                + (a.phases.isEmpty ? ")" : ": \(a.phases.sorted().joined(separator: ", ")))"))
        }
        _ = advance() // (
        var args: [Node] = []
        while !isSym(peek, ")") {
            if peek.kind == .end { throw err(peek, "expected ) to close \(name.text)(") }
            args.append(try parseArgument())
            if isSym(peek, ",") { _ = advance(); continue }
            guard isSym(peek, ")") else { throw err(peek, "expected , or ) in the arguments of \(name.text)(), found \(found(peek))") }
        }
        let close = advance()
        let (type, mapped) = try typeOfCall(fn, args, name)
        return Node(.call(fn, args), type: type, mapped: mapped, start: name.start, end: close.end)
    }

    func typeOfCall(_ fn: Function, _ args: [Node], _ at: Token) throws(ExpressionError) -> (ValueType, Bool) {
        func count(_ range: ClosedRange<Int>) throws(ExpressionError) {
            guard range.contains(args.count) else {
                let n = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw err(at, "\(fn.rawValue)() takes \(n) argument\(range.upperBound == 1 ? "" : "s"), found \(args.count)")
            }
        }
        func want(_ i: Int, _ types: [ValueType], literal: Bool = false) throws(ExpressionError) {
            let a = args[i]
            guard types.contains(a.type) || types.contains(where: { if case .array = $0, case .array = a.type { return true } else { return false } }) else {
                throw ExpressionError(column: a.start + 1, message: "argument \(i + 1) of \(fn.rawValue)() must be \(types.map(\.description).joined(separator: " or ")), found \(a.type)")
            }
            if literal, case .literal = a.kind {} else if literal {
                throw ExpressionError(column: a.start + 1, message: "argument \(i + 1) of \(fn.rawValue)() must be a literal")
            }
            if i > 0, a.mapped { throw ExpressionError(column: a.start + 1, message: "only the first argument of \(fn.rawValue)() may use [*]") }
        }
        let m = args.first?.mapped ?? false
        switch fn {
        case .lower, .upper, .decodeBase64:
            try count(1...1); try want(0, [.string]); return (.string, m)
        case .len:
            try count(1...1); try want(0, [.string, .array(.string)]); return (.int, m)
        case .startsWith, .endsWith:
            try count(2...2); try want(0, [.string]); try want(1, [.string], literal: true); return (.bool, m)
        case .any, .all:
            try count(1...1)
            let a = args[0]
            if a.mapped, a.type == .bool { return (.bool, false) }
            if a.type == .array(.bool), !a.mapped { return (.bool, false) }
            throw ExpressionError(column: a.start + 1, message: "\(fn.rawValue)() takes an Array<Boolean> such as any(http.request.headers.names[*] == \"x\"), found \(a.type)")
        case .concat:
            guard !args.isEmpty else { throw err(at, "concat() takes at least one argument") }
            for i in args.indices { try want(i, [.string, .int]) }
            return (.string, m)
        case .encodeBase64:
            try count(1...2); try want(0, [.string]); if args.count == 2 { try want(1, [.string], literal: true) }
            return (.string, m)
        case .sha256, .uuidv4:
            try count(1...1); try want(0, [.string]); return (.string, m)
        case .split:
            try count(2...2); try want(0, [.string]); try want(1, [.string], literal: true); return (.array(.string), m)
        case .join:
            try count(2...2)
            guard args[0].type == .array(.string) else {
                throw ExpressionError(column: args[0].start + 1, message: "argument 1 of join() must be Array<String>, found \(args[0].type)")
            }
            try want(1, [.string], literal: true); return (.string, m)
        case .hasKey:
            try count(2...2)
            guard case .map = args[0].type else {
                throw ExpressionError(column: args[0].start + 1, message: "argument 1 of has_key() must be a Map, found \(args[0].type)")
            }
            try want(1, [.string]); return (.bool, m)
        case .hasValue:
            try count(2...2)
            let elem: ValueType
            switch args[0].type {
            case .map(let e), .array(let e): elem = e
            default: throw ExpressionError(column: args[0].start + 1, message: "argument 1 of has_value() must be an Array or a Map, found \(args[0].type)")
            }
            try want(1, [elem]); return (.bool, m)
        case .substring:
            try count(2...3); try want(0, [.string]); try want(1, [.int], literal: true)
            if args.count == 3 { try want(2, [.int], literal: true) }
            return (.string, m)
        case .removeQueryArgs:
            guard args.count >= 2 else { throw err(at, "remove_query_args() takes a field and at least one parameter name") }
            try want(0, [.string])
            for i in 1..<args.count { try want(i, [.string], literal: true) }
            return (.string, m)
        case .bitSlice:
            try count(3...3); try want(0, [.string]); try want(1, [.int], literal: true); try want(2, [.int], literal: true)
            return (.int, m)
        case .isTimedHMACValidV0:
            try count(4...6)
            try want(0, [.string], literal: true); try want(1, [.string]); try want(2, [.int], literal: true); try want(3, [.int])
            if args.count >= 5 { try want(4, [.int], literal: true) }
            if args.count == 6 { try want(5, [.string], literal: true) }
            if args[0].mapped || args[1].mapped { throw ExpressionError(column: args[0].start + 1, message: "is_timed_hmac_valid_v0() does not take [*]") }
            return (.bool, false)
        case .urlDecode:
            try count(1...2); try want(0, [.string]); if args.count == 2 { try want(1, [.string], literal: true) }
            return (.string, m)
        case .removeBytes:
            try count(2...2); try want(0, [.string]); try want(1, [.string], literal: true); return (.string, m)
        case .lookupJSONString, .lookupJSONInteger:
            guard args.count >= 2 else { throw err(at, "\(fn.rawValue)() takes a field and at least one key") }
            try want(0, [.string])
            for i in 1..<args.count { try want(i, [.string, .int], literal: true) }
            return (fn == .lookupJSONString ? .string : .int, m)
        case .regexReplace:
            try count(3...3); try want(0, [.string]); try want(1, [.string], literal: true); try want(2, [.string], literal: true)
            if case .literal(.string(let p)) = args[1].kind {
                do { _ = try CompiledRegex(p) } catch { throw ExpressionError(column: args[1].start + 1, message: error.message) }
            }
            return (.string, m)
        case .wildcardReplace:
            try count(3...4); try want(0, [.string]); try want(1, [.string], literal: true); try want(2, [.string], literal: true)
            if args.count == 4 { try want(3, [.string], literal: true) }
            return (.string, m)
        case .toString:
            try count(1...1); try want(0, [.int, .bool, .ip]); return (.string, m)
        case .cidr:
            try count(3...3); try want(0, [.ip]); try want(1, [.int], literal: true); try want(2, [.int], literal: true); return (.ip, m)
        case .cidr6:
            try count(2...2); try want(0, [.ip]); try want(1, [.int], literal: true); return (.ip, m)
        }
    }
}
