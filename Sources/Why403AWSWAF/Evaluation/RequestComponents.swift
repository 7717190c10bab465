import Why403Core

/// One value a statement inspects: where it comes from (`header User-Agent`) and its bytes.
public struct ComponentValue: Sendable {
    /// What part of the request this is, for evidence.
    public var label: String
    /// The bytes as the request carries them (before text transformations).
    public var bytes: [UInt8]
}

/// What AWS WAF reads of a `FieldToMatch` in a request.
enum ComponentRead {
    /// The values to inspect. `possibleWhy` is set when a match is only possible (a JSON body AWS WAF
    /// would parse only up to its first error, inspected here as text).
    case values([ComponentValue], possibleWhy: String? = nil)
    /// The component is absent (a missing header): AWS WAF's statement then does not match.
    case absent
    /// AWS WAF decides without inspecting (OversizeHandling or InvalidFallbackBehavior MATCH/NO_MATCH).
    case decided(MatchState, String)
}

/// The values of a `FieldToMatch` in a request, as AWS WAF reads them.
enum RequestComponents {
    /// The most header (and cookie) content AWS WAF is forwarded: 8 KB and 200 headers (or cookies)
    /// (AWS WAF Developer Guide, "Oversize web request components").
    static let headerBytesLimit = 8192
    /// See `headerBytesLimit`.
    static let headerCountLimit = 200

    /// What AWS WAF inspects of `field`. `bodyLimit` is the number of body bytes the protected resource
    /// forwards (nil: the whole body).
    static func read(_ field: FieldToMatch, in request: Request, bodyLimit: Int?) -> ComponentRead {
        switch field {
        case .uriPath:
            return .values([ComponentValue(label: "URI path", bytes: Array(request.target.path.utf8))])
        case .queryString:
            return .values([ComponentValue(label: "query string", bytes: Array((request.target.query ?? "").utf8))])
        case .method:
            return .values([ComponentValue(label: "method", bytes: Array(request.method.utf8))])
        case .singleHeader(let name):
            guard let v = header(name, in: request) else { return .absent }
            return .values([ComponentValue(label: "header \(name)", bytes: Array(v.utf8))])
        case .headers(let pattern, let scope, let oversize):
            let pairs: [(name: String, value: String)]
            switch forwarded(headerPairs(request), overhead: 4, what: "headers", oversize: oversize) {
            case .success(let kept): pairs = kept
            case .failure(let decided): return decided.read
            }
            var out: [ComponentValue] = []
            for (name, value) in pairs where selected(name, pattern) {
                if scope != .value { out.append(ComponentValue(label: "header name \(name)", bytes: Array(name.utf8))) }
                if scope != .key { out.append(ComponentValue(label: "header \(name)", bytes: Array(value.utf8))) }
            }
            return .values(out)
        case .cookies(let pattern, let scope, let oversize):
            let list: [(name: String, value: String)]
            switch forwarded(cookies(request), overhead: 1, what: "cookies", oversize: oversize) {
            case .success(let kept): list = kept
            case .failure(let decided): return decided.read
            }
            var out: [ComponentValue] = []
            for (name, value) in list where selected(name, pattern, caseSensitive: true) {
                if scope != .value { out.append(ComponentValue(label: "cookie name \(name)", bytes: Array(name.utf8))) }
                if scope != .key { out.append(ComponentValue(label: "cookie \(name)", bytes: Array(value.utf8))) }
            }
            return .values(out)
        case .body(let oversize):
            let body = request.body ?? []
            if let limit = bodyLimit, body.count > limit {
                switch oversize {
                case .match: return .decided(.yes, "the body is \(body.count) bytes, over the \(limit)-byte inspection limit: OversizeHandling MATCH")
                case .noMatch: return .decided(.no, "the body is \(body.count) bytes, over the \(limit)-byte inspection limit: OversizeHandling NO_MATCH")
                case .continue:
                    return .values([ComponentValue(label: "body (its first \(limit) of \(body.count) bytes: OversizeHandling CONTINUE)", bytes: Array(body.prefix(limit)))])
                }
            }
            return .values([ComponentValue(label: "body", bytes: body)])
        case .jsonBody(let pattern, let scope, let fallback, let oversize):
            guard var body = request.body, !body.isEmpty else { return .values([]) }
            var cut = ""
            if let limit = bodyLimit, body.count > limit {
                switch oversize {
                case .match: return .decided(.yes, "the body is \(body.count) bytes, over the \(limit)-byte inspection limit: OversizeHandling MATCH")
                case .noMatch: return .decided(.no, "the body is \(body.count) bytes, over the \(limit)-byte inspection limit: OversizeHandling NO_MATCH")
                case .continue:
                    cut = " (its first \(limit) of \(body.count) bytes: OversizeHandling CONTINUE)"
                    body = Array(body.prefix(limit))
                }
            }
            guard let json = try? WAFJSON.parse(body, file: "body") else {
                switch fallback {
                case "NO_MATCH": return .decided(.no, "the body\(cut) is not valid JSON: InvalidFallbackBehavior NO_MATCH")
                case "MATCH": return .decided(.yes, "the body\(cut) is not valid JSON: InvalidFallbackBehavior MATCH")
                case "EVALUATE_AS_STRING":
                    return .values([ComponentValue(label: "body\(cut) (not valid JSON: InvalidFallbackBehavior EVALUATE_AS_STRING)", bytes: body)])
                default:
                    // Without InvalidFallbackBehavior AWS WAF evaluates what it parsed up to the first error
                    // (JsonBody in the API reference); that partial parse is not reproduced: the text stands in,
                    // and a match is only possible.
                    return .values([ComponentValue(label: "body\(cut) (not valid JSON, inspected as text)", bytes: body)],
                                   possibleWhy: "the body is not valid JSON and no InvalidFallbackBehavior is set: AWS WAF inspects only what it parsed before the first error")
                }
            }
            var out: [ComponentValue] = []
            collect(json, pointer: "", pattern: pattern, scope: scope, into: &out)
            if !cut.isEmpty { out = out.map { ComponentValue(label: $0.label + cut, bytes: $0.bytes) } }
            return .values(out)
        case .singleQueryArgument(let name):
            let args = queryArguments(request).filter { $0.name.lowercased() == name.lowercased() }
            guard !args.isEmpty else { return .absent }
            return .values(args.map { ComponentValue(label: "query argument \($0.name)", bytes: Array($0.value.utf8)) })
        case .allQueryArguments:
            return .values(queryArguments(request).map { ComponentValue(label: "query argument \($0.name)", bytes: Array($0.value.utf8)) })
        case .unavailable:
            return .absent
        }
    }

    /// Every request AWS WAF sees has a Host header; a request described on the command line without
    /// `-H 'Host: …'` gets the URL's authority, as curl sends it.
    /// A decision `forwarded` reached without inspecting (OversizeHandling MATCH or NO_MATCH).
    struct Decided: Error { let read: ComponentRead }

    /// The name/value pairs AWS WAF is forwarded for inspection: the first `headerCountLimit` of them and
    /// at most `headerBytesLimit` bytes (each pair counted with `overhead` bytes of punctuation). Past the
    /// limits `oversize` decides: MATCH and NO_MATCH give the decision, CONTINUE the pairs that fit.
    static func forwarded(_ pairs: [(name: String, value: String)], overhead: Int, what: String,
                          oversize: OversizeHandling) -> Result<[(name: String, value: String)], Decided> {
        let size = pairs.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + overhead }
        guard size > headerBytesLimit || pairs.count > headerCountLimit else { return .success(pairs) }
        let why = "the request has \(pairs.count) \(what), \(size) bytes: over what AWS WAF is forwarded (\(headerCountLimit) \(what), \(headerBytesLimit) bytes)"
        switch oversize {
        case .match: return .failure(Decided(read: .decided(.yes, why + ": OversizeHandling MATCH")))
        case .noMatch: return .failure(Decided(read: .decided(.no, why + ": OversizeHandling NO_MATCH")))
        case .continue:
            var kept: [(name: String, value: String)] = []
            var used = 0
            for p in pairs {
                let n = p.name.utf8.count + p.value.utf8.count + overhead
                if kept.count == headerCountLimit || used + n > headerBytesLimit { break }
                kept.append(p); used += n
            }
            return .success(kept)
        }
    }

    static func hostHeader(_ request: Request) -> String {
        request.target.hasExplicitPort ? "\(request.target.host):\(request.target.port)" : request.target.host
    }

    /// The value of a header, with the implied Host header.
    static func header(_ name: String, in request: Request) -> String? {
        if let v = request.header(name) { return v }
        return name.lowercased() == "host" ? hostHeader(request) : nil
    }

    /// The header fields in order, the implied Host header first when the request has none.
    static func headerPairs(_ request: Request) -> [(name: String, value: String)] {
        request.header("Host") == nil ? [("Host", hostHeader(request))] + request.headerPairs : request.headerPairs
    }

    static func selected(_ name: String, _ pattern: MatchPattern, caseSensitive: Bool = false) -> Bool {
        let eq: (String) -> Bool = { caseSensitive ? $0 == name : $0.lowercased() == name.lowercased() }
        switch pattern {
        case .all: return true
        case .included(let names): return names.contains(where: eq)
        case .excluded(let names): return !names.contains(where: eq)
        }
    }

    static func cookies(_ request: Request) -> [(name: String, value: String)] {
        guard let header = request.header("Cookie") else { return [] }
        return header.split(separator: ";").map { part in
            let p = part.trimmingCharacters(in: " ")
            if let eq = p.firstIndex(of: "=") { return (String(p[..<eq]), String(p[p.index(after: eq)...])) }
            return (p, "")
        }
    }

    static func queryArguments(_ request: Request) -> [(name: String, value: String)] {
        guard let q = request.target.query, !q.isEmpty else { return [] }
        return q.split(separator: "&").map { part in
            if let eq = part.firstIndex(of: "=") { return (String(part[..<eq]), String(part[part.index(after: eq)...])) }
            return (String(part), "")
        }
    }

    static func collect(_ n: WAFJSON, pointer: String, pattern: MatchPattern, scope: MatchScope, into out: inout [ComponentValue]) {
        func included(_ p: String) -> Bool {
            guard case .included(let paths) = pattern else { return true }
            return paths.contains { p == $0 || p.hasPrefix($0 + "/") || $0.isEmpty }
        }
        switch n.kind {
        case .object(let members):
            for (k, v) in members {
                let p = pointer + "/" + k.replacingOccurrences("~", "~0").replacingOccurrences("/", "~1")
                if scope != .value, included(p) { out.append(ComponentValue(label: "JSON key \(p)", bytes: Array(k.utf8))) }
                collect(v, pointer: p, pattern: pattern, scope: scope, into: &out)
            }
        case .array(let items):
            for (i, v) in items.enumerated() { collect(v, pointer: pointer + "/\(i)", pattern: pattern, scope: scope, into: &out) }
        default:
            guard scope != .key, included(pointer) else { return }
            let text: String
            switch n.kind {
            case .string(let s): text = s
            case .number(let s): text = s
            case .bool(let b): text = b ? "true" : "false"
            default: text = "null"
            }
            out.append(ComponentValue(label: "JSON value \(pointer.isEmpty ? "/" : pointer)", bytes: Array(text.utf8)))
        }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
