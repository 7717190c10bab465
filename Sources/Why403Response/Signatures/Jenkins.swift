import Why403Core

/// Jenkins answering for itself (the `application` layer): its 403 carries `X-You-Are-Authenticated-As`,
/// `X-Required-Permission` (e.g. `hudson.model.Hudson.Read`) and a page "… is missing the Overall/Read
/// permission" or, for anonymous, "Authentication required" redirecting to /login.
enum Jenkins {
    static let signatures: [Signature] = [
        Signature(id: "jenkins-permission", product: "Jenkins", layer: .application, cause: .authRole, confidence: .certain,
                  statuses: [403],
                  when: [.any([.header("x-required-permission"), .header("x-you-are-authenticated-as"),
                               .body("is missing the Overall/Read permission"), .body("Permission you need to have (but didn't)")])],
                  summary: "Jenkins refused: {user} lacks the permission[ {permission}]",
                  extract: [Extract("user", "authenticated as", from: [.header("x-you-are-authenticated-as"), .body(after: "You are authenticated as:", chars: .identifier)]),
                            Extract("permission", "required permission", from: [.header("x-required-permission"), .body(after: "(but didn't):", chars: .identifier)])],
                  lookup: "Manage Jenkins → Security (the authorization strategy: matrix or role-based) shows who holds the permission",
                  checks: ["the permission named and what implies it (X-Permission-Implied-By)"],
                  fixes: [Fix(summary: "grant the user (or a group it is in) that permission in the authorization strategy")],
                  variants: [
                      Variant("user", ["anonymous"], cause: .authMissing, confidence: .certain,
                              summary: "Jenkins treated the request as anonymous: no credentials were sent (or they were not recognised)[; {permission} is required]",
                              checks: ["send user:API-token with Basic authentication (curl -u user:token)", "granting Overall/Read to anonymous opens the server to everyone"],
                              fixes: []),
                  ],
                  specificity: 75),
        // Jenkins refusing Basic credentials it cannot match: its Jetty error page titled "Error 401 Invalid
        // password/token for user: NAME" (also for the user "anonymous", whom Jenkins never lets log in).
        Signature(id: "jenkins-invalid-token", product: "Jenkins", layer: .application, cause: .authInvalid, confidence: .likely,
                  statuses: [401], when: [.body("Invalid password/token for user")],
                  summary: "Jenkins refused the credentials sent: the password or API token does not match the user[ {user}]",
                  extract: [Extract("user", "user", from: [.body(after: "Invalid password/token for user:", chars: .identifier)])],
                  checks: ["the user's API token (User > Configure > API Token): a revoked or mistyped token is refused",
                           "a request that should be anonymous must send no Authorization header at all, not the user \"anonymous\""],
                  fixes: [Fix(summary: "send user:API-token (curl -u user:token), or drop the credentials where anonymous read is allowed")],
                  specificity: 70),
        // Jenkins's CSRF protection refusing a POST without the crumb it issued: the Jetty/Winstone error page
        // titled "Error 403 No valid crumb was included in the request" (SERVLET: Stapler).
        Signature(id: "jenkins-no-crumb", product: "Jenkins", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [403], when: [.body("No valid crumb was included in the request")],
                  summary: "Jenkins's CSRF protection refused the request: it carried no valid crumb",
                  checks: ["a POST with a user's password (or a session cookie) needs the crumb from /crumbIssuer/api/json, sent in the header it names (Jenkins-Crumb), with the same session",
                           "a POST authenticated with user:API-token needs no crumb: use the API token rather than the password"],
                  fixes: [Fix(summary: "authenticate the call with an API token (curl -u user:token), or fetch a crumb in the same session and send it",
                              commands: ["curl -u USER:TOKEN -X POST JENKINS/job/NAME/buildWithParameters"])],
                  specificity: 72),
        // The page Jenkins serves an anonymous request that needs a login: "Authentication required" with a script and a
        // meta refresh to /login?from=… (a 403 to API clients).
        Signature(id: "jenkins-login-required", product: "Jenkins", layer: .application, cause: .authMissing, confidence: .likely,
                  statuses: [403],
                  when: [.body("Authentication required"), .body("/login?from=")],
                  summary: "Jenkins treated the request as anonymous and asks for a login (\"Authentication required\", redirecting to /login)",
                  checks: ["send user:API-token with Basic authentication (curl -u user:token); a session cookie from a browser login expires"],
                  specificity: 72),
    ]
}
