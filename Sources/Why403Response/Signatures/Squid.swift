import Why403Core

/// Squid, the caching proxy (a company's or an ISP's forward proxy, or a reverse proxy): its error pages ("ERROR: The
/// requested URL could not be retrieved" … "Generated … by HOST (squid/VERSION)") and `X-Squid-Error: ERR_… 0`,
/// `Server: squid/…`, `Via: 1.1 HOST (squid/…)`. report-v1 has no layer id for it: the layer stays `unknown` and
/// Squid is named. Learnt from the real squid on loopback (`LiveServerTests`).
/// - ERR_ACCESS_DENIED (403): an `http_access deny` rule matched ("Access control configuration prevents your request
///   from being allowed at this time"); the page does not say which ACL (the client's address, the destination, a port).
/// - ERR_CACHE_ACCESS_DENIED (407): the proxy wants credentials first ("Cache Access Denied … until you have
///   authenticated yourself"); the `Proxy-Authenticate` challenge says the cause (none sent, or refused).
enum Squid {
    static let squid: Condition = .any([.header("x-squid-error"), .headerContains("server", "squid"), .headerContains("via", "(squid"),
                                        .body("(squid/"), .body("Squid Software Foundation")])
    /// The version from the page's footer only: the `Server` header's whole value (`squid/5.7`) would read "squid/squid/5.7"
    /// in the summaries (and the header is evidence already when a condition matched on it).
    static let version = Extract("version", "Squid version", from: [.body(after: "(squid/", chars: .identifier)])

    static let signatures: [Signature] = [
        Signature(id: "squid-access-denied", product: "Squid", layer: .unknown, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [squid, .any([.headerContains("x-squid-error", "ERR_ACCESS_DENIED"),
                                      .body("Access control configuration prevents your request")])],
                  summary: "the Squid proxy refused by its access rules (ERR_ACCESS_DENIED; report-v1 has no Squid layer id), and the page does not say which rule[ (squid/{version})]",
                  extract: [version],
                  checks: ["squid.conf's http_access lines, in order: the first that matches decides; a deny on `src` is the client's address (access.ip), on `dstdomain`/`dst`/`port` the destination (access.deny)",
                           "`debug_options ALL,1 28,3` in squid.conf makes cache.log name the ACL that matched each request",
                           "if the proxy is not yours (a company's or an ISP's), ask its administrator, or compare a request without it (unset http_proxy / https_proxy)"],
                  specificity: 70),
        Signature(id: "squid-proxy-auth", product: "Squid", layer: .unknown, cause: .unknown, confidence: .likely,
                  statuses: [407],
                  when: [squid, .any([.headerContains("x-squid-error", "ERR_CACHE_ACCESS_DENIED"), .body("Cache Access Denied")])],
                  summary: "the Squid proxy wants proxy credentials first (ERR_CACHE_ACCESS_DENIED; report-v1 has no Squid layer id)[ (squid/{version})]",
                  extract: [version, Extract("realm", "realm", from: [.challenge(scheme: "*", parameter: "realm")])],
                  checks: ["send the proxy's credentials: `curl -x http://proxy:3128 -U user:password URL`, or `http_proxy=http://user:password@proxy:3128`",
                           "squid.conf's auth_param (the helper and its password file) and the `proxy_auth` ACL decide who is let through"],
                  specificity: 70),
    ]
}
