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
    ]
}
