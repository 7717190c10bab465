import Why403Core

/// GitHub's API answering for itself (the `application` layer): `x-github-request-id`, a JSON
/// `{"message": …, "documentation_url": "https://docs.github.com/…"}` body, the rate-limit headers
/// (`x-ratelimit-remaining: 0` is a primary rate limit) and the scope headers `x-oauth-scopes` (what
/// the token has) and `x-accepted-oauth-scopes` (what the endpoint accepts). The message says which
/// refusal it is: rate limit, integration permission, SAML SSO, repository role, credentials.
enum GitHub {
    static let api: Condition = .any([.header("x-github-request-id"), .header("x-github-media-type"), .header("x-github-otp"), .header("x-github-sso"),
                                      .body("docs.github.com/"), .body("developer.github.com/"), .body("help.github.com/"),
                                      .body("Resource not accessible by integration"), .body("Resource not accessible by personal access token"),
                                      .body("Resource protected by organization SAML enforcement"),
                                      // GraphQL's answer (inside a 200) to a field the classic token's scopes do not cover
                                      .body("Your token has not been granted the required scopes to execute this query"),
                                      .body("has an IP allow list enabled"),
                                      // A GitHub App installation's primary limit, as SDKs print it without the body's documentation_url.
                                      .body("API rate limit exceeded for installation ID"),
                                      // The secondary (abuse) limit's whole sentence, as tools print it without the envelope.
                                      .body("exceeded a secondary rate limit"),
                                      // The JSONP envelope (`callback({"meta": {"X-GitHub-Media-Type": …, "status": 403}, "data": {…}})`), served with 200.
                                      .body("\"X-GitHub-Media-Type\"")])
    static let ids: [Extract] = [
        Extract("msg", "message", from: [.json("message"), .body(after: "\"message\":", chars: .line), .body(after: "'message': '", chars: .line),
                                         // A browser's JSON preview (keys unquoted): `message: "API rate limit exceeded for …"`.
                                         .body(after: "message: \"", chars: .line)]),
        Extract("remaining", "requests remaining", from: [.header("x-ratelimit-remaining")]),
        Extract("reset", "resets at (epoch)", from: [.header("x-ratelimit-reset")]),
        Extract("reqid", "request id", from: [.header("x-github-request-id")]),
        Extract("accepted", "x-accepted-github-permissions", from: [.header("x-accepted-github-permissions")]),
        Extract("sso", "x-github-sso", from: [.header("x-github-sso")]),
        // The refusal of a token's permission as SDKs and CLIs print it without the JSON envelope
        // ("RequestError [HttpError]: Resource not accessible by personal access token", go-github's "403 Resource not accessible by integration []").
        Extract("notaccessible", "not accessible by", from: [.body(after: "Resource not accessible by", chars: .line)]),
        // The secondary limit's sentence without the envelope ("You have exceeded a secondary rate limit and have been …").
        Extract("secondary", "secondary rate limit", from: [.body(after: "You have exceeded a", chars: .line)]),
        // The plain-text refusal of a request without User-Agent: "Please make sure your request has a User-Agent header".
        Extract("uahint", "hint", from: [.body(after: "make sure your request has a", chars: .line)]),
    ]

    static let signatures: [Signature] = [
        Signature(id: "github-oauth-scopes", product: "GitHub", layer: .application, cause: .authScope, confidence: .likely,
                  statuses: [403, 404], when: [.header("x-oauth-scopes"), .header("x-accepted-oauth-scopes"), .not(.headerContains("x-github-sso", "required"))],
                  summary: "the token's scopes ({scopes}) include none the endpoint accepts[ ({accepted})]",
                  extract: [Extract("scopes", "token scopes", from: [.header("x-oauth-scopes")]),
                            Extract("accepted", "accepted scopes", from: [.header("x-accepted-oauth-scopes")]),
                            Extract("reqid", "request id", from: [.header("x-github-request-id")]),
                            Extract("msg", "message", from: [.json("message")])],
                  checks: ["compare x-oauth-scopes with x-accepted-oauth-scopes: one accepted scope is needed",
                           "fine-grained tokens send no x-oauth-scopes: check the token's repository access and permissions instead"],
                  specificity: 70),
        Signature(id: "github-api", product: "GitHub", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [200, 401, 403, 429], when: [api, .any([.not(.status([200])), .body("\"FORBIDDEN\""), .body("saml_failure"), .body("\"status\": 403"),
                                                                        .body("has not been granted the required scopes")])],
                  summary: "GitHub's API refused[: {msg}][ (request id {reqid})]",
                  extract: ids,
                  lookup: "[GitHub Support identifies the request by x-github-request-id {reqid}]",
                  checks: ["the message names the refusal; GET /rate_limit shows the limits, GET /repos/OWNER/REPO/collaborators/USER/permission the role"],
                  variants: [
                      Variant("remaining", ["0"], cause: .rateLimit, confidence: .certain,
                              summary: "GitHub's API rate limit is exhausted (x-ratelimit-remaining: 0)[; it resets at epoch {reset}][ (request id {reqid})]",
                              checks: ["wait until x-ratelimit-reset, or authenticate (a token gets 5,000 requests an hour instead of 60)"]),
                      Variant("msg", ["*rate limit*", "*abuse detection*", "*attempt exceeded*", "*attempts exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "GitHub's API rate-limited the client: {msg}",
                              checks: ["a secondary rate limit: slow down (no concurrent requests, wait for retry-after)", "a primary limit: wait for x-ratelimit-reset or authenticate"]),
                      Variant("secondary", ["secondary rate limit*"], cause: .rateLimit, confidence: .certain,
                              summary: "GitHub's secondary rate limit blocked the client for a while (too many requests at once, or too much content created too fast)",
                              checks: ["slow down: no concurrent requests, pause between writes, and wait for retry-after (or a minute) before retrying"]),
                      Variant("msg", ["*not accessible by integration*", "*not accessible by personal access token*", "*SAML enforcement*", "*saml_failure*",
                                      "*has not been granted the required scopes*"],
                              cause: .authScope, confidence: .certain,
                              summary: "GitHub's API says the token may not reach this resource: {msg}",
                              checks: ["a GitHub App / GITHUB_TOKEN: the app's (or workflow's `permissions:`) grant lacks the permission this endpoint needs (x-accepted-github-permissions names it)",
                                       "SAML SSO: authorise the token for the organisation (Settings > Developer settings > Tokens > Configure SSO)"]),
                      Variant("notaccessible", ["integration*", "personal access token*"], cause: .authScope, confidence: .certain,
                              summary: "GitHub's API says the token may not reach this resource (\"Resource not accessible by {notaccessible}\")",
                              checks: ["a GitHub App / GITHUB_TOKEN: the app's (or workflow's `permissions:`) grant lacks the permission this endpoint needs (x-accepted-github-permissions names it)",
                                       "a fine-grained personal access token: its repository access and permissions (Settings > Developer settings > Fine-grained tokens) must cover this endpoint"]),
                      // An organisation that has not approved this OAuth App: the grant does not reach its data.
                      Variant("msg", ["*OAuth App access restrictions*"], cause: .authScope, confidence: .certain,
                              summary: "GitHub's API: the organisation restricts OAuth Apps and has not approved this one, so the token does not reach its data: {msg}",
                              checks: ["an organisation owner approves the app (Organisation settings > Third-party access), or a member requests it from the app's authorisation page; a fine-grained token or GitHub App avoids the restriction"]),
                      Variant("msg", ["*IP allow list*"], cause: .accessIP, confidence: .certain,
                              summary: "GitHub's API refused the client's address: the organisation or enterprise has an IP allow list and this address is not on it: {msg}",
                              checks: ["the owner adds the address (or the CI runner's range) to the organisation's IP allow list, or the request goes without the token (the list applies to authenticated access to public resources)"]),
                      Variant("sso", ["required*"], cause: .authScope, confidence: .certain,
                              summary: "GitHub's API refused because the organisation enforces SAML SSO and the token is not authorised for it (x-github-sso: required)",
                              checks: ["open the url= in x-github-sso (or Settings > Developer settings > Tokens > Configure SSO) and authorise the token for the organisation"]),
                      Variant("msg", ["*must have admin*", "*must have push*", "*must be an owner*", "*must be a member*", "*admin rights*", "*requires admin*"],
                              cause: .authRole, confidence: .certain,
                              summary: "GitHub's API says the user's role on the repository or organisation is too low: {msg}"),
                      Variant("msg", ["Bad credentials*", "*expired*", "*'Expiration time' claim*", "*JWT*", "*token is invalid*"], cause: .authInvalid, confidence: .certain,
                              summary: "GitHub's API rejected the credentials: {msg}"),
                      Variant("msg", ["*two-factor*", "*OTP*", "*Requires authentication*"], cause: .authMissing, confidence: .certain,
                              summary: "GitHub's API wants credentials (or a second factor) that were not sent: {msg}"),
                      Variant("msg", ["*User Agent*", "*User-Agent*"], cause: .botBlock, confidence: .certain,
                              summary: "GitHub's API refuses requests without a User-Agent header: {msg}"),
                      Variant("uahint", ["User-Agent*", "User Agent*"], cause: .botBlock, confidence: .certain,
                              summary: "GitHub's API refuses requests without a User-Agent header (\"Request forbidden by administrative rules\")"),
                  ],
                  specificity: 65),
        // The API's refusal of a request without User-Agent, as its docs show it and clients print it without headers:
        // "Request forbidden by administrative rules.\nPlease make sure your request has a User-Agent header."
        Signature(id: "github-no-user-agent", product: "GitHub API", layer: .application, cause: .botBlock, confidence: .certain,
                  statuses: [403],
                  when: [.body("Please make sure your request has a User-Agent header")],
                  summary: "GitHub's API refuses requests without a User-Agent header (\"Request forbidden by administrative rules\")",
                  checks: ["send a User-Agent naming the client (GitHub asks for the account or application name); curl and most libraries send one, a bare HTTP client may not"],
                  // below `github-api`, which says the same with GitHub's headers
                  specificity: 64),
    ]
}
