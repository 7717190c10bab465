import Why403Core

/// OpenAI's API answering for itself (the `application` layer): `{"error":{"message":"…","type":"…","param":null,
/// "code":"…"}}`, the four members its reference documents; ChatGPT's own back end wraps the same members in `detail`.
/// The code or the message names the refusal: `invalid_api_key` / "Incorrect API key provided" (401), "You didn't
/// provide an API key" (401), `unsupported_country_region_territory` (403), `insufficient_quota` (429: the account's
/// credit, counted as a rate limit), `rate_limit_exceeded` (429), `token_expired`, "does not have access to model" (403/404).
/// Many OpenAI-compatible servers (proxies, relays, other model hosts) copy the envelope: the summary says so.
enum OpenAI {
    static let signatures: [Signature] = [
        Signature(id: "openai-api-error", product: "OpenAI API (or an OpenAI-compatible API)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.all([.body("\"param\""), .body("\"type\""), .any([.body("\"error\""), .body("\"detail\"")]),
                                     .any([.body("invalid_request_error"), .body("insufficient_quota"), .body("unsupported_country_region_territory"),
                                           .body("request_forbidden"), .body("invalid_api_key"), .body("rate_limit_exceeded"), .body("token_expired"),
                                           .body("platform.openai.com"), .body("requests\""), .body("tokens\"")])]),
                               // the rate limit message alone, as clients print it: "Rate limit reached for gpt-4o in organization
                               // org-… on tokens per min (TPM): Limit …, Used …, Requested …. Please try again in 18.642s. Visit
                               // https://platform.openai.com/account/rate-limits …"
                               .all([.body("Rate limit reached for"), .body("in organization"), .body("platform.openai.com/account/rate-limits")])])],
                  summary: "the API refused in OpenAI's error format (OpenAI, or a server compatible with it)[ ({code})][: {msg}]",
                  extract: [Extract("code", "code", from: [.json("code"), .body(after: "\"code\": \"", chars: .identifier), .body(after: "\"code\":\"", chars: .identifier)]),
                            Extract("type", "type", from: [.json("type")]),
                            Extract("msg", "message", from: [.json("message")]),
                            Extract("limit", "rate limit", from: [.body(after: "Rate limit reached for", chars: .line)]),
                            Extract("reqid", "request id", from: [.header("x-request-id"), .body(after: "(request id: ", chars: .identifier)])],
                  checks: ["the key (Authorization: Bearer sk-…) belongs to the organisation and project the request names (OpenAI-Organization, OpenAI-Project), and the project may use the model",
                           "the account's credit and limits: platform.openai.com > Settings > Limits and Billing"],
                  variants: [
                      Variant("code", ["unsupported_country_region_territory"], cause: .geoBlock, confidence: .certain,
                              summary: "OpenAI refuses requests from the client's country, region or territory (unsupported_country_region_territory)",
                              checks: ["the request's source address decides: a server in a supported region (or the proxy it goes through) is what OpenAI sees"]),
                      Variant("code", ["invalid_api_key", "token_expired"], cause: .authInvalid, confidence: .certain,
                              summary: "OpenAI did not accept the credential ({code})[: {msg}]"),
                      Variant("code", ["insufficient_quota", "rate_limit_exceeded"], cause: .rateLimit, confidence: .certain,
                              summary: "OpenAI's limit for the account was reached ({code})[: {msg}]"),
                      Variant("limit", ["*"], cause: .rateLimit, confidence: .certain,
                              summary: "OpenAI's rate limit for the organisation and model was reached (Rate limit reached for {limit})"),
                      Variant("type", ["insufficient_quota"], cause: .rateLimit, confidence: .certain,
                              summary: "OpenAI: the account's quota (credit) is exhausted (insufficient_quota)[: {msg}]",
                              checks: ["platform.openai.com > Settings > Billing: add credit or raise the monthly limit; a new key does not help"]),
                      Variant("msg", ["You didn't provide an API key*"], cause: .authMissing, confidence: .certain,
                              summary: "OpenAI got no API key (the request carried no Authorization header)"),
                      Variant("msg", ["Incorrect API key provided*"], cause: .authInvalid, confidence: .certain,
                              summary: "OpenAI did not accept the API key (Incorrect API key provided)"),
                      Variant("msg", ["*does not have access to model*"], cause: .authRole, confidence: .likely,
                              summary: "OpenAI: the project or key may not use this model[: {msg}]"),
                  ],
                  specificity: 62),
    ]
}
