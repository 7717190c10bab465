import Why403Core

/// RFC 9110 / RFC 6750 challenges: `WWW-Authenticate: Bearer error="insufficient_scope" scope="…"`,
/// `error="invalid_token"` (the same errors in a `DPoP` challenge, RFC 9449 §7.1), and a 401 challenge to
/// a request without credentials. They say the cause,
/// not who answered (`causeOnly`): a page signature names the layer when there is one.
enum HTTPAuth {
    static let tokenChecks = "decode the token locally: `why403 token TOKEN` (exp, nbf, aud, iss, scopes)"

    static let signatures: [Signature] = [
        Signature(id: "bearer-insufficient-scope", product: "RFC 6750 Bearer", layer: .application, cause: .authScope, confidence: .certain,
                  statuses: [401, 403], when: [.any([.challenge(scheme: "Bearer", error: "insufficient_scope"), .challenge(scheme: "DPoP", error: "insufficient_scope")])],
                  summary: "the token is valid but lacks the scope the endpoint requires[ ({scope})]",
                  extract: [Extract("scope", "required scope", from: [.challenge(scheme: "Bearer", parameter: "scope"), .challenge(scheme: "DPoP", parameter: "scope")]),
                            Extract("desc", "error_description", from: [.challenge(scheme: "Bearer", parameter: "error_description"),
                                                                       .challenge(scheme: "DPoP", parameter: "error_description")])],
                  checks: [tokenChecks],
                  fixes: [Fix(summary: "request a token that includes[ scope {scope}] from the authorisation server (and grant it to the client if it may not ask for it)")],
                  specificity: 50, causeOnly: true),
        Signature(id: "bearer-invalid-token", product: "RFC 6750 Bearer", layer: .application, cause: .authInvalid, confidence: .certain,
                  statuses: [401], when: [.any([.challenge(scheme: "Bearer", error: "invalid_token"), .challenge(scheme: "DPoP", error: "invalid_token")])],
                  summary: "the token was rejected as invalid, expired or revoked[: {desc}]",
                  extract: [Extract("desc", "error_description", from: [.challenge(scheme: "Bearer", parameter: "error_description"),
                                                                       .challenge(scheme: "DPoP", parameter: "error_description")]),
                            Extract("realm", "realm", from: [.challenge(scheme: "Bearer", parameter: "realm"), .challenge(scheme: "DPoP", parameter: "realm")])],
                  checks: [tokenChecks, "the audience and issuer the resource server expects, and its clock"],
                  fixes: [Fix(summary: "obtain a fresh token for this audience (refresh it), then retry")],
                  specificity: 50, causeOnly: true),
        Signature(id: "auth-challenge-missing", product: "HTTP authentication", layer: .application, cause: .authMissing, confidence: .certain,
                  statuses: [401, 407], when: [.challenge(scheme: nil, error: ""), .requestCredentials(false)],
                  summary: "no credentials were sent; the server asks for \"{scheme}\" authentication[ (realm \"{realm}\")]",
                  extract: [Extract("scheme", "scheme", from: [.challengeScheme]),
                            Extract("realm", "realm", from: [.challenge(scheme: "*", parameter: "realm")])],
                  fixes: [Fix(summary: "send \"{scheme}\" credentials in an Authorization header")],
                  specificity: 45, causeOnly: true),
        Signature(id: "auth-challenge-rejected", product: "HTTP authentication", layer: .application, cause: .authInvalid, confidence: .likely,
                  statuses: [401, 407], when: [.challenge(scheme: nil, error: ""), .requestCredentials(true)],
                  summary: "credentials were sent and refused; the server asks again for \"{scheme}\" authentication",
                  extract: [Extract("scheme", "scheme", from: [.challengeScheme]),
                            Extract("realm", "realm", from: [.challenge(scheme: "*", parameter: "realm")])],
                  checks: ["the scheme sent matches the one asked for", "for Basic: the user exists and the password matches (nginx/Apache error log; `why403 nginx`/`why403 apache` check htpasswd)",
                           "for Bearer: " + tokenChecks],
                  specificity: 45, causeOnly: true),
    ]
}
