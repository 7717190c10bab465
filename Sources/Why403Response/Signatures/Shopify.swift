import Why403Core

/// Shopify's Admin API answering for itself (the `application` layer): `403` with
/// `{"errors":"[API] This action requires merchant approval for read_orders scope."}` when the app's
/// access token was not granted that scope at install time.
enum Shopify {
    static let signatures: [Signature] = [
        Signature(id: "shopify-merchant-approval", product: "Shopify Admin API", layer: .application, cause: .authScope, confidence: .certain,
                  statuses: [403],
                  when: [.body("This action requires merchant approval for")],
                  summary: "Shopify's Admin API: the app's access token was not granted[ the {scope}] scope (merchant approval required)",
                  extract: [Extract("scope", "scope", from: [.body(after: "merchant approval for ", chars: .identifier)])],
                  checks: ["the scopes the app asks for at install (shopify.app.toml `scopes`, or the OAuth `scope` parameter) must include it",
                           "a new scope takes effect only after the merchant approves it: reinstall or re-run the OAuth grant; read_all_orders also needs approval in the Partner Dashboard"],
                  specificity: 70),
    ]
}
