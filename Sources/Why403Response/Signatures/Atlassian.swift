import Why403Core

/// Jira and Confluence (Server and Data Center) report a refused login in the `X-Seraph-LoginReason` header of their
/// Seraph filter, often on a 200 answered as the anonymous user: `AUTHENTICATION_DENIED` (the credentials were not
/// accepted, or a CAPTCHA is now required after failed logins), `AUTHENTICATED_FAILED`.
enum Atlassian {
    static let signatures: [Signature] = [
        Signature(id: "atlassian-seraph-denied", product: "Jira / Confluence (Seraph)", layer: .application, cause: .authInvalid,
                  confidence: .likely,
                  statuses: [200, 401, 403],
                  when: [.any([.headerContains("x-seraph-loginreason", "AUTHENTICATION_DENIED"),
                               .headerContains("x-seraph-loginreason", "AUTHENTICATED_FAILED")])],
                  summary: "Jira/Confluence did not accept the login (X-Seraph-LoginReason: {reason}); the request was answered as the anonymous user",
                  extract: [Extract("reason", "X-Seraph-LoginReason", from: [.header("x-seraph-loginreason")]),
                            Extract("requestid", "X-AREQUESTID", from: [.header("x-arequestid")])],
                  checks: ["after several failed logins Seraph wants a CAPTCHA: log in once in a browser to clear it (the user's failedLoginCount)",
                           "the user name and password (or personal access token as Bearer) the client sends"],
                  specificity: 70),
        // The XSRF (CSRF) check of Jira, Confluence and Bitbucket Server/Data Center: a state-changing call without the
        // `X-Atlassian-Token: no-check` header (or a form token) is answered 403 with the plain text "XSRF check failed".
        Signature(id: "atlassian-xsrf-check-failed", product: "Jira / Confluence / Bitbucket Server", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [403],
                  when: [.body("XSRF check failed"), .not(.body("<html"))],
                  summary: "the Atlassian server's XSRF protection refused the call (\"XSRF check failed\")",
                  checks: ["a REST call that changes state must send `X-Atlassian-Token: no-check` (form posts: the atl_token field)",
                           "a proxy that rewrites Origin or Referer can fail the check too"],
                  fixes: [Fix(summary: "send the header `X-Atlassian-Token: no-check` with the request")],
                  specificity: 65),
        // Jira and Confluence Cloud's REST APIs, in plain text or in their JSON `message`: a request they did not authenticate
        // ("Client must be authenticated to access this resource.", sent when no credentials came and when the API token or
        // email was not accepted: the request then runs as anonymous), and a Basic login with the account's password, which
        // Atlassian Cloud retired in 2019.
        Signature(id: "atlassian-cloud-unauthenticated", product: "Jira / Confluence Cloud", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.body("Client must be authenticated to access this resource"), .body("Basic authentication with passwords is deprecated")])],
                  summary: "Jira/Confluence Cloud did not authenticate the request (\"Client must be authenticated to access this resource\"): no credentials reached it, or it did not accept them",
                  extract: [Extract("password", "passwords", from: [.body(after: "Basic authentication with passwords", chars: .line)])],
                  checks: ["Atlassian Cloud's REST APIs take Basic with the account's email and an API token (id.atlassian.com > Security > API tokens), or OAuth 2.0; an unknown email or a revoked token is answered as if nothing was sent",
                           "a proxy or client that drops the Authorization header on a redirect (http to https, a changed host) sends nothing"],
                  variants: [
                      Variant("password", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "Atlassian Cloud refused a Basic login with the account's password (\"Basic authentication with passwords is deprecated\"): its APIs take an API token instead",
                              fixes: [Fix(summary: "create an API token at id.atlassian.com > Security > API tokens and send it with the account's email as Basic credentials")]),
                  ],
                  specificity: 66),
        // Confluence Cloud for a user (or API token's user) without access to the product on the site.
        Signature(id: "confluence-product-access", product: "Confluence Cloud", layer: .application, cause: .authRole, confidence: .certain,
                  statuses: [401, 403],
                  when: [.body("Current user not permitted to use Confluence")],
                  summary: "Confluence Cloud knows the user but it has no access to Confluence on this site (\"Current user not permitted to use Confluence\")",
                  checks: ["admin.atlassian.com > Products > Confluence > the user (or the API token's account) must be in a group with product access",
                           "an API token acts as its account: the account, not the token, needs the access"],
                  specificity: 70),
    ]
}
