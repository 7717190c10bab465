import Why403Core

/// Traefik: its BasicAuth middleware answers a request without valid credentials with a plain-text
/// `401 Unauthorized` and `WWW-Authenticate: Basic realm="traefik"` (the default realm, kept unless the
/// middleware sets `realm`). The `server` header hint names Traefik when it is sent.
enum Traefik {
    static let signatures: [Signature] = [
        Signature(id: "traefik-basic-auth", product: "Traefik", layer: .traefik, cause: .unknown, confidence: .likely,
                  statuses: [401], when: [.headerContains("www-authenticate", "realm=\"traefik\"")],
                  summary: "Traefik's BasicAuth middleware refused: the request carried no credentials it accepts (its default realm \"traefik\")",
                  checks: ["the router's middlewares: the basicAuth `users`/`usersFile` entries (htpasswd lines; `$` doubled in docker labels)",
                           "whether the client sent an Authorization header at all (curl -v), and whether a proxy in front strips it"],
                  specificity: 80),
    ]
}
