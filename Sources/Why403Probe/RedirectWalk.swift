import Why403Core
import Why403Response

/// One redirect that was followed.
public struct RedirectHop: Sendable, Equatable {
    /// The URL that answered with a redirect.
    public var url: String
    /// Its status (301, 302, 303, 307, 308).
    public var status: Int
    /// Where it pointed, resolved to an absolute URL.
    public var location: String
    /// True when Authorization and Cookie were removed because `location` is another origin.
    public var credentialsDropped: Bool
}

/// The result of one request and the redirects walked after it.
public struct FetchResult: Sendable, Equatable {
    /// What the last request produced.
    public var result: TransportResult
    /// The URL of the last request.
    public var finalURL: String
    /// The method of the last request (303 turns POST into GET).
    public var finalMethod: String
    /// The redirects followed, in order.
    public var hops: [RedirectHop]
    /// Why the walk stopped before a non-redirect answer: "loop", "limit", "bad-location"; nil otherwise.
    public var stoppedBy: String?
    /// The Location of a redirect that was not followed (no `--follow`).
    public var unfollowedLocation: String?
}

/// Walks redirects itself, so that credentials provably never go to another origin.
///
/// Hand-written instead of AsyncHTTPClient's redirect support: that one decides on its own which headers
/// to keep, and the guarantee "Authorization and Cookie are never sent to another origin (scheme, host,
/// port)" must be ours, visible and tested. Once dropped, credentials stay dropped for the rest of the walk.
public enum RedirectWalk {
    /// Header names removed when a redirect leaves the original origin.
    public static let originBoundHeaders: Set<String> = ["authorization", "cookie", "host"]

    /// Sends `request`; with `follow`, walks up to `maxRedirects` redirects, stopping on a loop.
    public static func fetch(_ request: ProbeRequest, follow: Bool, maxRedirects: Int, transport: any HTTPTransport,
                             options: TransportOptions) async -> FetchResult {
        var current = request
        let firstOrigin = Origin(request.url)
        var visited: Set<String> = [request.method + " " + request.url]
        var hops: [RedirectHop] = []
        while true {
            let result = await transport.send(current, options: options)
            var fetched = FetchResult(result: result, finalURL: current.url, finalMethod: current.method, hops: hops)
            guard let r = result.response, [301, 302, 303, 307, 308].contains(r.status),
                  let location = r.headers["location"] else { return fetched }
            guard follow else { fetched.unfollowedLocation = ProbeURL.resolve(location, against: current.url) ?? location; return fetched }
            guard let next = ProbeURL.resolve(location, against: current.url) else {
                fetched.stoppedBy = "bad-location"; fetched.unfollowedLocation = location; return fetched
            }
            if hops.count >= maxRedirects { fetched.stoppedBy = "limit"; fetched.unfollowedLocation = next; return fetched }
            var method = current.method
            if r.status == 303 && method != "HEAD" { method = "GET" }
            if (r.status == 301 || r.status == 302) && method == "POST" { method = "GET" }
            let key = method + " " + next
            if visited.contains(key) { fetched.stoppedBy = "loop"; fetched.unfollowedLocation = next; return fetched }
            visited.insert(key)
            var headers = current.headers
            var dropped = false
            if Origin(next) != firstOrigin {
                let before = headers.entries.count
                headers.entries.removeAll { originBoundHeaders.contains($0.name.lowercased()) }
                dropped = headers.entries.count != before
            }
            hops.append(RedirectHop(url: current.url, status: r.status, location: next, credentialsDropped: dropped))
            current = ProbeRequest(url: next, method: method, headers: headers)
        }
    }
}
