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
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "\"message\":", chars: .line)])],
                  checks: ["the secret key (sk_live_/sk_test_, or a restricted rk_ key) goes in `Authorization: Bearer KEY` (or as the basic-auth user)",
                           "live and test keys work only against their own mode's objects; a rolled key stops working when its expiry passes"],
                  variants: [
                      Variant("msg", ["*You did not provide an API key*"], cause: .authMissing, confidence: .certain,
                              summary: "Stripe's API: no API key was sent (You did not provide an API key)"),
                      Variant("msg", ["*Invalid API Key provided*", "*Expired API Key provided*"], cause: .authInvalid, confidence: .certain,
                              summary: "Stripe's API does not accept this API key: {msg}"),
                  ],
                  specificity: 60),
    ]
}
