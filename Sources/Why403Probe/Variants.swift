import Why403Core
import Why403Response

/// One diagnostic request of `--variants`: the baseline request with exactly one thing changed.
public struct Variant: Sendable, Equatable {
    /// What kind of change it is; decides what a flipped status proves.
    public enum Kind: String, Sendable, Equatable {
        /// The Referer header removed or set to the site's own root.
        case referer
        /// A browser User-Agent.
        case userAgent = "user-agent"
        /// HEAD instead of GET.
        case method
        /// Trailing slash added or removed.
        case trailingSlash = "trailing-slash"
        /// The bearer token (Authorization) removed.
        case token
        /// A well-known 403-bypass trick (`--variants bypass`, `BypassTrick.all`).
        case bypass
    }

    /// Stable id: `no-referer`, `own-referer`, `browser-user-agent`, `head`, `trailing-slash`, `no-token`;
    /// `bypass.<trick>` for the bypass set.
    public var id: String
    /// What changed.
    public var kind: Kind
    /// The change in words, for evidence ("Referer: https://site/").
    public var change: String
    /// The request to send.
    public var request: ProbeRequest
    /// The trick, for the bypass set.
    public var trick: BypassTrick? = nil
}

/// The diagnostic variants and what their answers prove.
public enum Variants {
    /// The User-Agent of a current desktop browser.
    public static let browserUserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"

    /// The variants of `baseline` (each differs from it in one thing; none that would equal it).
    public static func make(from baseline: ProbeRequest) -> [Variant] {
        var out: [Variant] = []
        func with(_ edit: (inout HeaderList) -> Void) -> ProbeRequest {
            var r = baseline
            edit(&r.headers)
            return r
        }
        func removing(_ name: String, _ h: inout HeaderList) { h.entries.removeAll { $0.name.lowercased() == name } }
        let referer = baseline.headers["referer"]
        if referer != nil {
            out.append(Variant(id: "no-referer", kind: .referer, change: "no Referer header",
                               request: with { removing("referer", &$0) }))
        }
        if let own = Origin(baseline.url)?.rootURL, referer != own {
            out.append(Variant(id: "own-referer", kind: .referer, change: "Referer: \(own)",
                               request: with { removing("referer", &$0); $0.append("Referer", own) }))
        }
        if baseline.headers["user-agent"] != browserUserAgent {
            out.append(Variant(id: "browser-user-agent", kind: .userAgent, change: "User-Agent: \(browserUserAgent)",
                               request: with { removing("user-agent", &$0); $0.append("User-Agent", browserUserAgent) }))
        }
        if baseline.method == "GET" {
            var r = baseline
            r.method = "HEAD"
            out.append(Variant(id: "head", kind: .method, change: "HEAD instead of GET", request: r))
        }
        if let toggled = ProbeURL.togglingTrailingSlash(baseline.url) {
            var r = baseline
            r.url = toggled
            let added = toggled.split(separator: "?").first?.hasSuffix("/") ?? false
            out.append(Variant(id: "trailing-slash", kind: .trailingSlash,
                               change: added ? "trailing slash added" : "trailing slash removed", request: r))
        }
        if baseline.headers["authorization"] != nil {
            out.append(Variant(id: "no-token", kind: .token, change: "no Authorization header",
                               request: with { removing("authorization", &$0) }))
        }
        return out
    }

    /// The bypass set (`--variants bypass`): each trick of `BypassTrick.all` applied to `baseline`, sent to the
    /// same URL's origin only (the path, method and headers change; the host and port never do, so nothing,
    /// credentials included, goes to another origin). Tricks that would give the same request are left out.
    public static func bypass(from baseline: ProbeRequest) -> [Variant] {
        guard let request = try? Request(method: baseline.method, url: baseline.url,
                                         headers: baseline.headers.entries.map { ($0.name, $0.value) }) else { return [] }
        return BypassTrick.all.compactMap { trick in
            guard let v = try? trick.apply(to: request), v.target.origin == request.target.origin else { return nil }
            let sent = ProbeRequest(url: v.target.url, method: v.method, headers: HeaderList(v.headerPairs.map { ($0.name, $0.value) }))
            let headers = trick.headers.compactMap { h -> String? in
                guard let name = try? Request.parseHeaderLine(h).name, let value = v.header(name) else { return nil }
                return "\(name): \(value)"
            }
            let change = ([v.method + " " + v.target.requestURI] + headers).joined(separator: "; ")
            return Variant(id: trick.id, kind: .bypass, change: change, request: sent, trick: trick)
        }
    }

    /// Sends `variants` with at most `parallel` in flight at once; results in the variants' order.
    static func run(_ variants: [Variant], follow: Bool, maxRedirects: Int, transport: any HTTPTransport,
                    options: TransportOptions, parallel: Int) async -> [FetchResult] {
        var results = [FetchResult?](repeating: nil, count: variants.count)
        await withTaskGroup(of: (Int, FetchResult).self) { group in
            var next = 0
            func launch() {
                let i = next
                let v = variants[i]
                group.addTask {
                    (i, await RedirectWalk.fetch(v.request, follow: follow, maxRedirects: maxRedirects,
                                                 transport: transport, options: options))
                }
                next += 1
            }
            while next < min(parallel, variants.count) { launch() }
            while let (i, r) = await group.next() {
                results[i] = r
                if next < variants.count { launch() }
            }
        }
        return results.map { $0! }
    }
}
