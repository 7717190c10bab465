import Why403Core

/// Eclipse Jetty's default error page: `<h2>HTTP ERROR 403 Forbidden</h2>` with a URI/STATUS/MESSAGE/SERVLET
/// table (9.4+), or `HTTP ERROR 403 Problem accessing /path. Reason: Forbidden` (older; Jetty 6/7 wrote
/// `HTTP ERROR: 403` with a colon and the reason in capitals), signed
/// `Powered by Jetty://`. The servlet container or the web application inside it refused (a security
/// constraint, a filter, the application's own check): the `application` layer; the page names no rule.
enum Jetty {
    static let signatures: [Signature] = [
        Signature(id: "jetty-error-page", product: "Jetty", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("Powered by Jetty://"), .body("eclipse.org/jetty"),
                               // the older template without its footer (an application that removed "Powered by Jetty"):
                               // the heading and "Problem accessing /path. Reason:" are Jetty's own
                               .all([.any([.body("<h2>HTTP ERROR: "), .body("<h2>HTTP ERROR ")]), .body("<p>Problem accessing ")])]),
                         .any([.body("HTTP ERROR "), .body("HTTP ERROR:")])],
                  summary: "Jetty's default error page[ ({jetty})]: the web application or its servlet container refused[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "MESSAGE:</th><td>", chars: .line), .body(after: "Reason:", chars: .line)]),
                            Extract("jetty", "Jetty version", from: [.body(after: "Powered by Jetty:// ", chars: .identifier)]),
                            Extract("code", "status", from: [.body(after: "HTTP ERROR ", chars: .digits), .body(after: "HTTP ERROR: ", chars: .digits)])],
                  checks: ["the web application's security constraints (web.xml <security-constraint>/<auth-constraint>, or the framework's own) for this path and method",
                           "Jetty's request log and the application's log for this request: which filter or servlet sent the 403",
                           "a Jetty upgrade can change defaults (URI compliance, ambiguous paths, empty credentials) that refuse requests older versions accepted"],
                  variants: [
                      // the DoSFilter / QoSFilter of jetty-servlets (429 since 9.4.44 / 10.0.7 / 11.0.7) or the application's limiter
                      Variant("code", ["429"], cause: .rateLimit, confidence: .likely,
                              summary: "Jetty answered 429 Too Many Requests[ ({jetty})]: its DoSFilter or QoSFilter, or the application, limited the rate",
                              checks: ["the web application's DoSFilter (maxRequestsPerSec, delayMs) or QoSFilter in web.xml or the Jetty context, and the application's own limiter"]),
                  ],
                  specificity: 45),
    ]
}
