import Why403Core

/// Bitbucket Cloud answering for itself (an API platform: the `application` layer): its responses carry
/// `X-Static-Version` and `X-Render-Time` (with `Server: nginx`, its front end's), and its Basic challenge names the
/// realm "Bitbucket.org HTTP". The body says the refusal: a plain-text rate-limit sentence ("Rate limit for this resource
/// has been exceeded"), the account-password retirement ("Bitbucket Cloud recently stopped supporting account passwords
/// for API authentication"), or the JSON `{"type": "error", "error": {"message": …}}` envelope.
enum Bitbucket {
    static let signatures: [Signature] = [
        Signature(id: "bitbucket-cloud", product: "Bitbucket Cloud", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.all([.header("x-static-version"), .header("x-render-time")]),
                               .headerContains("www-authenticate", "Bitbucket.org HTTP"),
                               // Atlassian's lock after failed logins, sent to the API client in plain text
                               .body("Too many invalid password attempts. Try logging in through the website"),
                               // the repository permission check's plain-text answer (a token or user with read access only)
                               .body("Access denied. You must have write or admin access"),
                               // the REST API's plain-text answer to credentials it did not accept
                               .body("Login failed due to incorrect login credentials or method")])],
                  summary: "Bitbucket Cloud refused the request itself[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message")]),
                            Extract("ratelimit", "rate limit", from: [.body(after: "Rate limit for this resource", chars: .line)]),
                            Extract("password", "account password", from: [.body(after: "stopped supporting account passwords", chars: .line)]),
                            Extract("access", "repository access", from: [.body(after: "Access denied. You must have ", chars: .line)]),
                            Extract("login", "login", from: [.body(after: "Login failed due to ", chars: .line)]),
                            Extract("locked", "login lock", from: [.body(after: "Too many invalid password attempts.", chars: .line)]),
                            Extract("scopes", "accepted OAuth scopes", from: [.header("x-accepted-oauth-scopes")]),
                            Extract("credential", "credential type", from: [.header("x-credential-type")])],
                  checks: ["the credential type Bitbucket saw (X-Credential-Type) and the scopes the endpoint accepts (X-Accepted-OAuth-Scopes) against the token's or app password's permissions"],
                  variants: [
                      Variant("ratelimit", ["*"], cause: .rateLimit, confidence: .certain,
                              summary: "Bitbucket Cloud's rate limit for this resource is spent (an hourly allowance per user and endpoint)",
                              checks: ["wait for the hour's allowance to renew, or spread the calls; authenticated calls have higher limits than anonymous ones"]),
                      Variant("access", ["*"], cause: .authRole, confidence: .likely,
                              summary: "Bitbucket Cloud refused: the user or token lacks the repository access this call needs (You must have {access})",
                              checks: ["the user's permission on the repository (Repository settings > Repository permissions), and the app password's or token's scopes (repository:write / repository:admin)"]),
                      Variant("locked", ["*"], cause: .authInvalid, confidence: .likely,
                              summary: "Bitbucket locked API logins for this account after too many invalid passwords: a login on the website (with its CAPTCHA) clears it",
                              checks: ["log in once through the website to pass the CAPTCHA, then use an app password or API token"]),
                      Variant("password", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "Bitbucket Cloud refused an account password: its API accepts app passwords or API tokens only",
                              fixes: [Fix(summary: "create an app password (or an API token) in Personal settings and send it instead of the account password")]),
                      Variant("login", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "Bitbucket Cloud did not accept the credentials (\"Login failed due to incorrect login credentials or method\")",
                              checks: ["the user name must be the Bitbucket username (or, for an API token, the Atlassian account's email), the secret an app password or API token, not the account password"]),
                  ],
                  specificity: 62),
    ]
}
