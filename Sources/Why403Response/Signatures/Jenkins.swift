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
    ]
}
