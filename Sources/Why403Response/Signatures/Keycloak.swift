import Why403Core

/// Keycloak's Admin REST API answering for itself (the `application` layer): a refused admin call
/// (`/admin/realms/{realm}/users`, `/clients` ...) gets `403` with the bare body `{"error":"unknown_error"}`
/// and nothing else (the token is valid but lacks the `realm-management` client roles, or the realm it was
/// issued for cannot administer the target realm), or `401` with `{"error":"HTTP 401 Unauthorized"}` when
/// no bearer token it accepts was sent.
enum Keycloak {
    static let signatures: [Signature] = [
        Signature(id: "keycloak-admin-forbidden", product: "Keycloak Admin REST API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  // The member alone also counts: a client may print `"error": "unknown_error"` without its braces.
                  when: [.any([.jsonKey(["error"]), .body("\"error\": \"unknown_error\"")]), .not(.body("error_description")),
                         .any([.body("\"error\":\"unknown_error\""), .body("\"error\": \"unknown_error\""),
                               .body("\"error\":\"HTTP 401 Unauthorized\""), .body("\"error\": \"HTTP 401 Unauthorized\""),
                               // current releases' 403 (the WildFly-era ones said unknown_error)
                               .body("\"error\":\"HTTP 403 Forbidden\""), .body("\"error\": \"HTTP 403 Forbidden\"")])],
                  summary: "Keycloak's Admin REST API refused the call ({error})",
                  extract: [Extract("error", "error", from: [.json("error"), .body(after: "\"error\": \"", chars: .identifier)])],
                  checks: ["decode the access token (`why403 token TOKEN`): resource_access.realm-management.roles must hold the role the endpoint needs (view-users/query-users to list users, manage-users to change them, manage-clients ...)",
                           "a service account gets them under Clients > CLIENT > Service account roles > realm-management; a token from the master realm administers another realm only through that realm's `<realm>-realm` client roles",
                           "the Keycloak server log at DEBUG (org.keycloak.services.resources.admin) names the permission that was missing"],
                  fixes: [Fix(summary: "grant the service account the realm-management role the endpoint needs, then request a new token",
                              commands: ["kcadm.sh add-roles -r REALM --uusername service-account-CLIENT --cclientid realm-management --rolename view-users"])],
                  variants: [
                      Variant("error", ["unknown_error"], cause: .unknown, confidence: .likely,
                              summary: "Keycloak's Admin REST API refused the call ({\"error\":\"unknown_error\"} is all it says): the token is accepted but lacks an admin role for this realm"),
                      // 401: AdminRoot.authenticateRealmAdminRequest found no bearer token it accepts (none, expired, or from another issuer).
                      Variant("error", ["HTTP 401 Unauthorized"], cause: .unknown, confidence: .likely,
                              summary: "Keycloak's Admin REST API did not accept the request's bearer token (HTTP 401 Unauthorized): none was sent, or it is expired or from another realm or URL",
                              checks: ["the request carries `Authorization: Bearer TOKEN` from the token endpoint of the realm the admin URL names (or master)",
                                       "decode it (`why403 token TOKEN`): exp in the future; iss equal to the server URL the admin API is called at (a proxy or changed hostname makes it differ)"]),
                  ],
                  specificity: 55),
    ]
}
