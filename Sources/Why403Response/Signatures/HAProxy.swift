import Why403Core

/// HAProxy's built-in 403 error file: `<html><body><h1>403 Forbidden</h1>\nRequest forbidden by
/// administrative rules.\n</body></html>` with `Cache-Control: no-cache` and no `Server` header. It is
/// served by an `http-request deny` rule (the default `deny_status 403`).
enum HAProxy {
    static let signatures: [Signature] = [
        Signature(id: "haproxy-403", product: "HAProxy", layer: .haproxy, cause: .accessDeny, confidence: .likely,
                  statuses: [403], when: [.body("Request forbidden by administrative rules"),
                                          // GitHub's API answers a request without User-Agent with the same words and its own hint.
                                          .not(.body("User-Agent header")), .not(.body("developer.github.com"))],
                  summary: "HAProxy's own 403 page: an `http-request deny` rule refused the request",
                  checks: ["grep the haproxy.cfg frontends/backends for `http-request deny` (and `tcp-request`): the ACL it uses says whether it is an address rule (src: access.ip), a path/header rule or a rate rule (sc_http_req_rate: rate.limit)",
                           "the HAProxy log line for the request shows the frontend, backend and termination state (PR--: denied by a proxy rule)"],
                  specificity: 80),
        // HAProxy's built-in 401 errorfile, sent by `http-request auth` with `WWW-Authenticate: Basic realm="…"`:
        // `<html><body><h1>401 Unauthorized</h1>\nYou need a valid user and password to access this content.`
        Signature(id: "haproxy-401", product: "HAProxy", layer: .haproxy, cause: .unknown, confidence: .likely,
                  // 407 too: the same page for `http-request auth` in a proxy (haproxy's http_htx.c)
                  statuses: [401, 407], when: [.body("You need a valid user and password to access this content.")],
                  summary: "HAProxy's own 401 page: an `http-request auth` rule asked for credentials (its userlist refuses missing or wrong ones alike)",
                  checks: ["grep the haproxy.cfg for `http-request auth` and the `userlist` its `http_auth(…)` ACL names",
                           "whether the request carried an Authorization header: none means the client never sent credentials"],
                  specificity: 80),
        // HAProxy's built-in 429 errorfile, sent by `http-request deny deny_status 429` (the usual answer of a stick-table
        // rate rule): `<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.`
        Signature(id: "haproxy-429", product: "HAProxy", layer: .haproxy, cause: .rateLimit, confidence: .likely,
                  statuses: [429], when: [.body("You have sent too many requests in a given amount of time.")],
                  summary: "HAProxy's own 429 page: a deny rule with `deny_status 429` refused, most often a rate rule on a stick table",
                  checks: ["grep the haproxy.cfg for `deny_status 429` and the ACL beside it (sc_http_req_rate, sc_conn_rate …): the table's key (src, a header) and the limit",
                           "`echo 'show table <frontend>' | socat stdio /run/haproxy.sock` shows the client's current rate"],
                  specificity: 80),
        // HAProxy's built-in 503 errorfile: no server of the backend could take the request (all down or in
        // maintenance, or no backend matched and the default has none). Not a refusal on purpose.
        Signature(id: "haproxy-503", product: "HAProxy", layer: .haproxy, cause: .unknown, confidence: .likely,
                  statuses: [503], when: [.body("No server is available to handle this request")],
                  summary: "HAProxy's own 503 page: no server of the selected backend was available to take the request (nothing refused it on purpose)",
                  checks: ["the HAProxy log line for the request: `<NOSRV>` and termination state `SC--` mean no server was up or none was selected",
                           "the stats page or `echo 'show servers state' | socat stdio /run/haproxy.sock`: are the backend's servers DOWN (health checks failing) or in MAINT",
                           "the frontend's use_backend rules: a Host or path the rules do not match falls to a default backend that may have no server"],
                  specificity: 80),
    ]
}
