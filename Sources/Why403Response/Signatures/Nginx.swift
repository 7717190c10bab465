import Why403Core

/// nginx's built-in error pages ("<center><h1>403 Forbidden</h1></center><hr><center>nginx/1.x</center>"),
/// learnt from the real nginx started on loopback by `LiveServerTests`; its 429 page is what limit_req and
/// limit_conn answer when their status is set to 429.
enum Nginx {
    /// nginx's marks, OpenResty's (nginx with Lua: the same error pages, signed `<center>openresty</center>`) and
    /// Tengine's (Alibaba's nginx fork, whose own 403 page reads "You don't have permission to access the URL on
    /// this server." and is signed "Powered by Tengine").
    static let nginx: Condition = .any([.body("<center>nginx"), .headerContains("server", "nginx"), .body("\nnginx/"), .body("\nnginx\n"), .body("> nginx/"),
                                        .body("<center>openresty"), .headerContains("server", "openresty"), .body("Powered by Tengine")])
    /// nginx's version from its page's footer (also as rendered text), else from the `Server` header (`nginx/1.18.0
    /// (Ubuntu)`; a bare `nginx` has none, so the summary names no version).
    static let version = Extract("version", "version", from: [.body(after: "<center>nginx/", chars: .identifier), .body(after: "\nnginx/", chars: .identifier),
                                                               .headerAfter("server", marker: "nginx/", chars: .identifier)])
    static let whiteBox = "explain it white-box from the configuration: `why403 nginx URL --config /etc/nginx/nginx.conf`"

    static let signatures: [Signature] = [
        Signature(id: "nginx-default-403", product: "nginx", layer: .nginx, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [nginx, .any([.body("<h1>403 Forbidden</h1>"), .body("403 Forbidden\nnginx"), .body("403 Forbidden\r\nnginx"), .body("> 403 Forbidden")]),
                                          .not(.body("<center>cloudflare")), .not(.body("Request forbidden by administrative rules"))],
                  summary: "nginx's own 403 page: nginx refused, and the page does not say why[ (nginx {version})]",
                  extract: [Extract("version", "version", from: [.body(after: "<center>nginx/", chars: .identifier), .body(after: "<center>openresty/", chars: .identifier),
                                                                 .headerAfter("server", marker: "nginx/", chars: .identifier),
                                                                 .headerAfter("server", marker: "openresty/", chars: .identifier)])],
                  checks: ["the error log names the reason: \"access forbidden by rule\" (allow/deny: access.ip or access.deny), \"(13: Permission denied)\" (fs.permission), \"directory index of … is forbidden\" (index.missing)",
                           "read it: `why403 logs /var/log/nginx/error.log`",
                           whiteBox, "a `return 403;` logs nothing: look for it in the matching location"],
                  specificity: 60),
        Signature(id: "nginx-default-401", product: "nginx", layer: .nginx, cause: .unknown, confidence: .likely,
                  statuses: [401], when: [nginx, .body("<h1>401 Authorization Required</h1>")],
                  summary: "nginx's own 401 page (auth_basic or auth_request)",
                  checks: ["the error log says \"no user/password was provided\" or \"user … was not found\" / \"password mismatch\"", whiteBox],
                  specificity: 60),
        // nginx's compiled-in page template with the server name in its footer replaced (a build that changes
        // NGINX_VER, or a distribution's own name: "ING Webserver", VK's "kittenx"): the markup is nginx's, the
        // name is not. Possible only: a few other products copy the template, and those that name themselves
        // (Application Gateway, ELB, Huawei's CloudWAF, Cloudflare) are left to their own signatures.
        Signature(id: "nginx-template-page", product: "nginx (server name replaced)", layer: .nginx, cause: .unknown, confidence: .possible,
                  statuses: [401, 403],
                  // The footer replaced, or gone (a build or an excerpt without the `<hr><center>…</center>` line): nginx's
                  // head and centred heading are the template's.
                  when: [.any([.body("<h1>403 Forbidden</h1></center>"), .body("<h1>401 Authorization Required</h1></center>")]),
                         .any([.body("<hr><center>"), .body("<head><title>403 Forbidden</title></head>"),
                               .body("<head><title>401 Authorization Required</title></head>")]),
                         .not(.any([.body("<center>cloudflare"), .body("Microsoft-Azure-Application-Gateway"), .body("<center>ELB</center>"),
                                    .body("<center>CloudWAF</center>"), .body("<center>awselb"), .headerContains("server", "awselb"),
                                    .headerContains("server", "Microsoft-Azure-Application-Gateway")]))],
                  summary: "nginx's built-in error page with its server name replaced or its footer gone: an nginx build (or a fork) refused, and the page does not say why",
                  checks: ["the page's footer names the build (a changed NGINX_VER, a fork such as Tengine, or a company's own name): its error log names the reason as nginx's does (\"access forbidden by rule\", \"(13: Permission denied)\", \"directory index of … is forbidden\")",
                           "a 401 is auth_basic or auth_request: the error log says \"no user/password was provided\" or \"password mismatch\"",
                           whiteBox],
                  specificity: 55),
        // nginx's own 429 page: limit_req / limit_conn with `limit_req_status 429` (their default is 503), or a
        // `return 429`. Written by nginx itself, so the limit is nginx's, not the application's.
        Signature(id: "nginx-default-429", product: "nginx", layer: .nginx, cause: .rateLimit, confidence: .likely,
                  statuses: [429], when: [nginx, .body("<h1>429 Too Many Requests</h1>")],
                  summary: "nginx's own 429 page: a limit_req or limit_conn zone refused the request[ (nginx {version})]",
                  extract: [version],
                  checks: ["the error log says \"limiting requests, excess: … by zone \\\"NAME\\\"\" (limit_req) or \"limiting connections by zone\" (limit_conn): the zone's rate and burst",
                           "the key of the zone ($binary_remote_addr): behind a proxy or a NAT every client may share one address (set real_ip_header)",
                           whiteBox],
                  fixes: [Fix(summary: "raise the zone's rate or burst (add nodelay for bursts), or key the zone on something finer than the address")],
                  specificity: 60),
        // nginx's own 503 page. nginx writes it for limit_req and limit_conn (503 is their default status) and for a
        // `return 503` (a maintenance switch; ingress-nginx's answer for a Service with no ready endpoints); a failed
        // upstream is 502 or 504, not this. So a rate limit is the one refusal it may be, and only possible.
        Signature(id: "nginx-default-503", product: "nginx", layer: .nginx, cause: .rateLimit, confidence: .possible,
                  statuses: [503], when: [nginx, .body("<h1>503 Service Temporarily Unavailable</h1>")],
                  summary: "nginx's own 503 page: possibly limit_req or limit_conn (503 is their default status), or a `return 503` (a maintenance switch, ingress-nginx's answer for a Service with no ready endpoints)[ (nginx {version})]",
                  extract: [version],
                  checks: ["the error log says \"limiting requests, excess: … by zone \\\"NAME\\\"\" (limit_req) or \"limiting connections by zone\" (limit_conn) for a rate limit; nothing for a `return 503`",
                           "behind ingress-nginx: `kubectl get endpoints SERVICE` (no ready endpoints gives this page)",
                           whiteBox],
                  fixes: [Fix(summary: "for a rate limit: raise the zone's rate or burst, or set `limit_req_status 429;` so clients can tell a limit from an outage")],
                  specificity: 60),
        // nginx's 400 pages for a client certificate (`ssl_verify_client on`): none sent, or one that did not verify
        // against `ssl_client_certificate` (nginx answers 495/496 internally and sends 400 with these titles).
        Signature(id: "nginx-client-cert-missing", product: "nginx", layer: .nginx, cause: .authMissing, confidence: .certain,
                  statuses: [400], when: [nginx, .body("No required SSL certificate was sent")],
                  summary: "nginx requires a client certificate (ssl_verify_client on) and the client sent none[ (nginx {version})]",
                  extract: [version],
                  checks: ["the server block's ssl_verify_client and ssl_client_certificate name the CA the certificate must come from",
                           "behind ingress-nginx: the Ingress's nginx.ingress.kubernetes.io/auth-tls-verify-client and auth-tls-secret annotations"],
                  fixes: [Fix(summary: "send a certificate issued by that CA", commands: ["curl --cert client.pem --key client.key URL"])],
                  specificity: 70),
        Signature(id: "nginx-client-cert-invalid", product: "nginx", layer: .nginx, cause: .authInvalid, confidence: .certain,
                  statuses: [400], when: [nginx, .any([.body("The SSL certificate error"), .body("400 The SSL certificate error")])],
                  summary: "nginx requires a client certificate (ssl_verify_client) and the one sent did not verify[ (nginx {version})]",
                  extract: [version],
                  checks: ["the error log says why: \"client SSL certificate verify error: (…)\" (an unknown issuer, an expired certificate, a chain longer than ssl_verify_depth)",
                           "`openssl verify -CAfile CA.pem client.pem` with the CA of ssl_client_certificate"],
                  fixes: [Fix(summary: "send a valid certificate issued by the CA nginx trusts (ssl_client_certificate), with its intermediates")],
                  specificity: 70),
    ]
}
