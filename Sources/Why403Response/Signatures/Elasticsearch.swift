import Why403Core

/// Elasticsearch's security layer (X-Pack security, formerly Shield) answering for itself (the
/// `application` layer): `{"error": {"type": "security_exception", "reason": "action
/// [indices:data/read/search] is unauthorized for user [u] with roles [r] on indices [i], this action is
/// granted by the index privileges [read,all]"}, "status": 403}`. The reason says whether the user is
/// known but lacks a privilege, or was not authenticated at all.
enum Elasticsearch {
    static let signatures: [Signature] = [
        Signature(id: "elasticsearch-security", product: "Elasticsearch", layer: .application, cause: .authRole, confidence: .likely,
                  statuses: [401, 403],
                  when: [.body("security_exception")],
                  summary: "Elasticsearch's security layer refused[: {reason}]",
                  extract: [Extract("reason", "reason", from: [.json("reason"), .body(after: "\"reason\":", chars: .line),
                                                                  // Kibana passes the exception on in its own envelope: "message":"[security_exception] unable to …"
                                                                  .body(after: "[security_exception]", chars: .line)]),
                            Extract("user", "user", from: [.body(after: "for user [", chars: .identifier)])],
                  lookup: "GET /_security/user/USER[ (USER: {user})] and GET /_security/role/ROLE show the user's roles and the privileges they grant; the audit log (xpack.security.audit) names the denied action",
                  checks: ["the action and the indices in the reason: which cluster or index privilege grants them (the reason names it since 7.x)"],
                  fixes: [Fix(summary: "grant the user a role with the named privilege on these indices (or cluster privilege), not superuser",
                              commands: ["POST /_security/role/NAME {\"indices\": [{\"names\": [\"INDEX\"], \"privileges\": [\"read\"]}]}"])],
                  variants: [
                      Variant("reason", ["*is unauthorized for user*", "*is unauthorized for API key*"], cause: .authRole, confidence: .certain,
                              summary: "Elasticsearch: the user is known but no role grants this action: {reason}"),
                      Variant("reason", ["*missing authentication*", "*anonymous access is not allowed*"], cause: .authMissing, confidence: .certain,
                              summary: "Elasticsearch got no credentials and anonymous access is off: {reason}",
                              checks: ["send Authorization: Basic (user:password) or ApiKey; the WWW-Authenticate header lists the schemes the cluster takes"]),
                      Variant("reason", ["*unable to authenticate*", "*failed to authenticate*", "*token expired*", "*invalid*"], cause: .authInvalid, confidence: .certain,
                              summary: "Elasticsearch rejected the credentials: {reason}"),
                  ],
                  specificity: 70),
        // The OpenSearch security plugin's plain-text 401 when every authentication domain failed: it does not say whether
        // credentials were missing, wrong, or refused by a backend (LDAP, OIDC) it could not reach.
        Signature(id: "opensearch-auth-failed", product: "OpenSearch (security plugin)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401],
                  when: [.body("Authentication finally failed")],
                  summary: "OpenSearch's security plugin refused the request: every configured authentication domain failed (\"Authentication finally failed\")",
                  checks: ["the OpenSearch log at the time names each authentication domain's failure (plugins.security.authcz logs at DEBUG)",
                           "the credentials sent against the internal users database or the backend (LDAP, OIDC, SAML) config.yml names; a backend it cannot reach fails every login"],
                  specificity: 68),
        // The same plugin's REST-layer permission check (SecurityRestFilter): a known user without the route's permission is
        // answered 401 in plain text, "no permissions for [cluster:monitor/health] and User [name=bob, backend_roles=[], …]".
        Signature(id: "opensearch-no-permissions", product: "OpenSearch (security plugin)", layer: .application, cause: .authRole, confidence: .certain,
                  statuses: [401, 403],
                  when: [.body("no permissions for ["), .body("and User [name=")],
                  summary: "OpenSearch's security plugin knows the user but no role of it grants this action (no permissions for {perm})",
                  extract: [Extract("perm", "permission", from: [.body(after: "no permissions for [", chars: .identifier)])],
                  checks: ["GET _plugins/_security/api/account (as that user) lists its roles; a role in roles.yml / the Security dashboard must grant the permission named, and roles_mapping.yml must map the user or its backend roles to it"],
                  specificity: 70),
    ]
}
