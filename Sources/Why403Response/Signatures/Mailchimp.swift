import Why403Core

/// Mailchimp's Marketing API answering for itself: problem details `{"type": "https://mailchimp.com/developer/marketing/docs/errors/",
/// "title": "API Key Invalid", "status": 401, "detail": "…", "instance": "…"}` (before 2020 the type named
/// `developer.mailchimp.com/documentation/mailchimp/guides/error-glossary/`). The title names the refusal; the instance is
/// what Mailchimp's support asks for.
enum Mailchimp {
    static let signatures: [Signature] = [
        Signature(id: "mailchimp-api-error", product: "Mailchimp Marketing API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("mailchimp.com/documentation/mailchimp/guides/error-glossary"), .body("mailchimp.com/developer/marketing/docs/errors")])],
                  summary: "Mailchimp's API refused[ ({title})][: {detail}][ (instance {instance})]",
                  extract: [Extract("title", "title", from: [.json("title"), .body(after: "title: '", chars: .line)]),
                            Extract("detail", "detail", from: [.json("detail")]),
                            Extract("instance", "instance", from: [.json("instance")])],
                  lookup: "Mailchimp's support finds the request by its instance id[ {instance}]",
                  checks: ["the API key's data center suffix (-us6) must match the host (us6.api.mailchimp.com), and the key must not be revoked"],
                  variants: [
                      Variant("title", ["API Key Missing*"], cause: .authMissing, confidence: .certain,
                              summary: "Mailchimp got no API key (API Key Missing): send it as the Basic password or a Bearer token"),
                      Variant("title", ["API Key Invalid*"], cause: .authInvalid, confidence: .certain,
                              summary: "Mailchimp did not accept the API key ({title}): revoked, mistyped, or sent to another data center's host"),
                      Variant("title", ["User Disabled*"], cause: .authInvalid, confidence: .certain,
                              summary: "Mailchimp refused: the account the key belongs to is deactivated (User Disabled)"),
                      Variant("title", ["Too Many Requests*"], cause: .rateLimit, confidence: .certain,
                              summary: "Mailchimp's limit on simultaneous connections (10 per user) was reached (Too Many Requests)"),
                  ],
                  specificity: 70),
    ]
}
