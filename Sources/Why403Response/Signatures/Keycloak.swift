import Why403Core

/// Keycloak's Admin REST API answering for itself (the `application` layer): a refused admin call
/// (`/admin/realms/{realm}/users`, `/clients` ...) gets `403` with the bare body `{"error":"unknown_error"}`
/// and nothing else; the token is valid but lacks the `realm-management` client roles (view-users,
/// manage-users ...) or the realm it was issued for cannot administer the target realm.
enum Keycloak {
    static let signatures: [Signature] = [
        Signature(id: "keycloak-admin-forbidden", product: "Keycloak Admin REST API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.jsonKey(["error"]), .any([.body("\"error\":\"unknown_error\""), .body("\"error\": \"unknown_error\"")]),
                         .not(.body("error_description"))],
                  summary: "Keycloak's Admin REST API refused the call ({\"error\":\"unknown_error\"} is all it says): the token lacks an admin role for this realm",
                  checks: ["decode the access token (`why403 token TOKEN`): resource_access.realm-management.roles must hold the role the endpoint needs (view-users/query-users to list users, manage-users to change them, manage-clients ...)",
                           "a service account gets them under Clients > CLIENT > Service account roles > realm-management; a token from the master realm administers another realm only through that realm's `<realm>-realm` client roles",
                           "the Keycloak server log at DEBUG (org.keycloak.services.resources.admin) names the permission that was missing"],
                  fixes: [Fix(summary: "grant the service account the realm-management role the endpoint needs, then request a new token",
                              commands: ["kcadm.sh add-roles -r REALM --uusername service-account-CLIENT --cclientid realm-management --rolename view-users"])],
                  specificity: 55),
    ]
}
