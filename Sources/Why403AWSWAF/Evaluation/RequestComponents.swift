import Why403Core

/// One value a statement inspects: where it comes from (`header User-Agent`) and its bytes.
public struct ComponentValue: Sendable {
    /// What part of the request this is, for evidence.
    public var label: String
    /// The bytes as the request carries them (before text transformations).
    public var bytes: [UInt8]
}

/// The values of a `FieldToMatch` in a request, as AWS WAF reads them.
enum RequestComponents {
    /// nil when the component is absent (a missing header): AWS WAF's statement then does not match.
    static func values(_ field: FieldToMatch, in request: Request) -> [ComponentValue]? {
        switch field {
        case .uriPath:
            return [ComponentValue(label: "URI path", bytes: Array(request.target.path.utf8))]
        case .queryString:
            return [ComponentValue(label: "query string", bytes: Array((request.target.query ?? "").utf8))]
        case .method:
            return [ComponentValue(label: "method", bytes: Array(request.method.utf8))]
        case .singleHeader(let name):
            guard let v = header(name, in: request) else { return nil }
            return [ComponentValue(label: "header \(name)", bytes: Array(v.utf8))]
        case .headers(let pattern, let scope):
            var out: [ComponentValue] = []
            for (name, value) in headerPairs(request) where selected(name, pattern) {
                if scope != .value { out.append(ComponentValue(label: "header name \(name)", bytes: Array(name.utf8))) }
                if scope != .key { out.append(ComponentValue(label: "header \(name)", bytes: Array(value.utf8))) }
            }
            return out
        case .cookies(let pattern, let scope):
            var out: [ComponentValue] = []
            for (name, value) in cookies(request) where selected(name, pattern, caseSensitive: true) {
                if scope != .value { out.append(ComponentValue(label: "cookie name \(name)", bytes: Array(name.utf8))) }
                if scope != .key { out.append(ComponentValue(label: "cookie \(name)", bytes: Array(value.utf8))) }
            }
            return out
        case .body:
            return [ComponentValue(label: "body", bytes: request.body ?? [])]
        case .jsonBody(let pattern, let scope, let fallback):
            guard let body = request.body, !body.isEmpty else { return [] }
            guard let json = try? WAFJSON.parse(body, file: "body") else {
                switch fallback {
                case "NO_MATCH": return nil
                case "MATCH": return [ComponentValue(label: "body (not valid JSON: InvalidFallbackBehavior MATCH)", bytes: [])]
                default: return [ComponentValue(label: "body (not valid JSON, inspected as text)", bytes: body)]
                }
            }
            var out: [ComponentValue] = []
            collect(json, pointer: "", pattern: pattern, scope: scope, into: &out)
            return out
        case .singleQueryArgument(let name):
            let args = queryArguments(request).filter { $0.name.lowercased() == name.lowercased() }
            guard !args.isEmpty else { return nil }
            return args.map { ComponentValue(label: "query argument \($0.name)", bytes: Array($0.value.utf8)) }
        case .allQueryArguments:
            return queryArguments(request).map { ComponentValue(label: "query argument \($0.name)", bytes: Array($0.value.utf8)) }
        case .unavailable:
            return nil
        }
    }

    /// Every request AWS WAF sees has a Host header; a request described on the command line without
    /// `-H 'Host: …'` gets the URL's authority, as curl sends it.
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
