import Why403Core

/// Stripe's API answering for itself (the `application` layer): `{"error": {"type":
/// "invalid_request_error", "message": "Invalid API Key provided: sk_test_****"}}` for a key Stripe does
/// not know (or one with a stray space), "You did not provide an API key" when none was sent; some
/// client libraries log the same object flattened with `status`.
enum Stripe {
    static let signatures: [Signature] = [
        Signature(id: "stripe-api-key", product: "Stripe API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.body("invalid_request_error"), .any([.body("Invalid API Key provided"), .body("You did not provide an API key"),
                                                               .body("stripe.com/docs")])],
                  summary: "Stripe's API refused the API key[: {msg}]",
                  // (Node prints the error object unquoted: `{ type: 'invalid_request_error', message: 'You did not provide …' }`)
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "\"message\":", chars: .line), .body(after: "message: '", chars: .line)])],
                  checks: ["the secret key (sk_live_/sk_test_, or a restricted rk_ key) goes in `Authorization: Bearer KEY` (or as the basic-auth user)",
                           "live and test keys work only against their own mode's objects; a rolled key stops working when its expiry passes"],
                  variants: [
                      Variant("msg", ["*You did not provide an API key*"], cause: .authMissing, confidence: .certain,
                              summary: "Stripe's API: no API key was sent (You did not provide an API key)"),
                      Variant("msg", ["*Invalid API Key provided*", "*Expired API Key provided*"], cause: .authInvalid, confidence: .certain,
                              summary: "Stripe's API does not accept this API key: {msg}"),
                  ],
                  specificity: 60),
        Signature(id: "stripe-restricted-key", product: "Stripe API", layer: .application, cause: .authScope, confidence: .certain,
                  statuses: [403],
                  when: [.body("does not have the required permissions for this endpoint on account"), .any([.body("rk_"), .body("restricted")])],
                  summary: "Stripe's API: the restricted key lacks the permission this endpoint needs[ ({permission})]",
                  extract: [Extract("permission", "permission", from: [.body(after: "Having the '", chars: .identifier)])],
                  checks: ["Dashboard > Developers > API keys > the restricted key: give it the permission named (read or write on that resource)",
                           "\"not available for use by restricted keys\": this endpoint needs the standard secret key"],
                  specificity: 62),
    ]
}
