import Why403Core

/// Anthropic's API answering for itself (the `application` layer): `{"type":"error","error":{"type":"authentication_error",
/// "message":"invalid x-api-key"},"request_id":"req_011…"}`. The inner type names the refusal (Anthropic's documented
/// error types: `authentication_error` 401, `permission_error` 403, `rate_limit_error` 429; `invalid_request_error`,
/// `not_found_error`, `request_too_large`, `api_error` and `overloaded_error` are not refusals of access), the request id
/// is what support asks for. The `{"type": "error", …}` envelope with spaces and no inner type is Bitbucket Cloud's.
enum Anthropic {
    static let signatures: [Signature] = [
        Signature(id: "anthropic-api-error", product: "Anthropic API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.all([.any([Signatures.typeErrorEnvelope, .body("\"request_id\":\"req_")]),
                                     .any([.body("\"authentication_error\""), .body("\"permission_error\""), .body("\"rate_limit_error\"")])]),
                               // a 429 whose body was not kept: the rate limit headers only Anthropic sends
                               .all([.status([429]), .header("anthropic-ratelimit-requests-remaining")])])],
                  summary: "Anthropic's API refused[ ({type})][: {msg}][ (request id {reqid})]",
                  extract: [Extract("type", "error type", from: [.body(after: "\"error\":{\"type\":\"", chars: .identifier)]),
                            Extract("msg", "message", from: [.json("message")]),
                            Extract("reqid", "request id", from: [.json("request_id"), .header("request-id")]),
                            Extract("limits", "anthropic-ratelimit-requests-remaining", from: [.header("anthropic-ratelimit-requests-remaining")])],
                  lookup: "Anthropic support finds the request[ by request id {reqid}]",
                  checks: ["the API key (x-api-key) or OAuth token belongs to the organisation and workspace the request is for, and is not revoked or expired",
                           "rate limits are per organisation and model (requests, input and output tokens per minute): the anthropic-ratelimit-* response headers say which ran out"],
                  variants: [
                      Variant("type", ["authentication_error"], cause: .authInvalid, confidence: .certain,
                              summary: "Anthropic's API did not accept the credentials (authentication_error[: {msg}])[ (request id {reqid})]"),
                      Variant("type", ["permission_error"], cause: .authRole, confidence: .certain,
                              summary: "Anthropic's API: the key may not use this resource (permission_error[: {msg}])[ (request id {reqid})]"),
                      Variant("type", ["rate_limit_error"], cause: .rateLimit, confidence: .certain,
                              summary: "Anthropic's API rate limit was reached (rate_limit_error[: {msg}])[ (request id {reqid})]"),
                      // last: only a 429 without its body gets here (the headers come with every answer)
                      Variant("limits", ["*"], cause: .rateLimit, confidence: .likely,
                              summary: "Anthropic's API answered 429 with its rate limit headers (requests remaining {limits})[ (request id {reqid})]"),
                  ],
                  specificity: 62),
    ]
}
