import Why403Core

/// Undertow (WildFly, JBoss EAP) answering for the application: its servlet error page when the application has none,
/// `<html><head><title>Error</title></head><body>Forbidden</body></html>` (a security constraint the caller's roles do not
/// meet, or a servlet's `sendError(403)`), the same with "Unauthorized", and SimpleErrorPageHandler's "403 - Forbidden";
/// from its source (`Benchmarks/field/documented/servers-2.json`).
enum Undertow {
    static let signatures: [Signature] = [
        Signature(id: "undertow-error-page", product: "Undertow (WildFly, JBoss EAP)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.bodyIs("<html><head><title>Error</title></head><body>Forbidden</body></html>"),
                               .bodyIs("<html><head><title>Error</title></head><body>Unauthorized</body></html>"),
                               .bodyIs("<html><head><title>Error</title></head><body>403 - Forbidden</body></html>"),
                               .bodyIs("<html><head><title>Error</title></head><body>401 - Unauthorized</body></html>")])],
                  summary: "WildFly/Undertow refused the request for the application (its default error page)",
                  checks: ["the deployment's security constraints (web.xml <security-constraint>, @RolesAllowed) and the roles the caller's identity maps to in the Elytron security domain; the server log with org.wildfly.security at DEBUG names the decision"],
                  specificity: 58),
    ]
}
