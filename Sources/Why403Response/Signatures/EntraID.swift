import Why403Core

/// Microsoft Entra ID (Azure AD) token and sign-in endpoints answering for themselves (the `application`
/// layer): an OAuth error body whose description starts with an `AADSTS` code, with `error_codes`,
/// `trace_id` and `correlation_id` (what Microsoft support asks for). The code names the refusal.
enum EntraID {
    static let signatures: [Signature] = [
        Signature(id: "entra-aadsts", product: "Microsoft Entra ID", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403],
                  when: [.body("AADSTS"), .any([.body("\"error_codes\""), .body("\"correlation_id\""), .body("\"trace_id\""), .body("Correlation ID:")])],
                  summary: "Microsoft Entra ID refused[ ({aadsts})][: {error}][ (correlation id {correlation})]",
                  extract: [Extract("aadsts", "AADSTS code", from: [.body(after: "AADSTS", chars: .digits)]),
                            Extract("error", "error", from: [.json("error")]),
                            Extract("correlation", "correlation id", from: [.json("correlation_id")]),
                            Extract("trace", "trace id", from: [.json("trace_id")])],
                  lookup: "Entra admin center > Sign-in logs (or Microsoft support) find the request[ by correlation id {correlation}]",
                  checks: ["look the AADSTS number up at login.microsoftonline.com/error?code=NUMBER"],
                  variants: [
                      // AADSTS70002 / 7000218: the client credential was not sent.
                      Variant("aadsts", ["70002", "7000218"], cause: .authMissing, confidence: .certain,
                              summary: "Microsoft Entra ID: the token request carried no client secret or assertion (AADSTS{aadsts})",
                              checks: ["a confidential client sends client_secret (or client_assertion) in the token request body; a public client must be marked so in the app registration"]),
                  ],
                  specificity: 60),
    ]
}
