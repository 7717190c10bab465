import Why403Core

/// Grafana Loki, Mimir and Tempo in multi-tenant mode answering for themselves (the `application` layer): a request without
/// the tenant header is refused 401 with the text "no org id" (grafana/dskit `middleware.AuthenticateUser`); from their
/// sources (`Benchmarks/field/documented/self-hosted-2.json`).
enum LokiMimir {
    static let signatures: [Signature] = [
        Signature(id: "grafana-no-org-id", product: "Grafana Loki / Mimir / Tempo", layer: .application, cause: .authMissing, confidence: .certain,
                  statuses: [401],
                  when: [.bodyIs("no org id")],
                  summary: "the Loki/Mimir/Tempo server runs multi-tenant and the request named no tenant (no org id): it needs the X-Scope-OrgID header",
                  checks: ["send X-Scope-OrgID: TENANT (Grafana's data source: HTTP headers; Promtail/Alloy: tenant_id), or run the server with auth_enabled: false for a single tenant",
                           "a proxy in front that authenticates users must set X-Scope-OrgID itself"],
                  fixes: [Fix(summary: "add the header X-Scope-OrgID with the tenant's id to the request")],
                  specificity: 62),
    ]
}
