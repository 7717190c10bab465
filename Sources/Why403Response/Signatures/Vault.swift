import Why403Core

/// HashiCorp Vault answering for itself (the `application` layer): `{"errors":["permission denied"]}`
/// with status 403, whether the token's policies do not grant the path's capability or (before 1.17
/// said so) the token is invalid or expired; newer versions add "invalid token" to the list. Its Go API
/// client (the vault CLI) prints the same refusal as "Error making API request. … Code: 403. Errors: * permission denied".
enum Vault {
    static let signatures: [Signature] = [
        Signature(id: "vault-permission-denied", product: "HashiCorp Vault", layer: .application, cause: .authRole, confidence: .likely,
                  statuses: [403],
                  when: [.any([.body("{\"errors\":[\"permission denied\""), .body("{\"errors\": [\"permission denied\""),
                               .body("\"1 error occurred:\\n\\t* permission denied")])],
                  summary: "Vault said permission denied: the token's policies do not grant this path's capability, or the token is not valid",
                  lookup: "vault token capabilities TOKEN PATH lists what the token may do on the path; the audit device logs the policy check",
                  checks: ["vault token lookup: is the token valid (not expired or revoked) and which policies does it carry?",
                           "vault policy read POLICY: does a path block grant the capability (read, create, update, list) this request needs?"],
                  fixes: [Fix(summary: "add the capability for exactly this path to a policy the token carries, then issue a new token",
                              commands: ["vault policy write NAME policy.hcl"])],
                  variants: [],
                  specificity: 60),
        // The same refusal as Vault's own Go API client (and so the vault CLI) prints it:
        // "Error making API request.\n\nURL: GET https://…/v1/PATH\nCode: 403. Errors:\n\n* permission denied"
        // (newer clients nest the list: "* 1 error occurred:\n\t* permission denied").
        Signature(id: "vault-cli-permission-denied", product: "HashiCorp Vault", layer: .application, cause: .authRole, confidence: .likely,
                  statuses: [403],
                  when: [.body("Error making API request"), .body("Code: 403. Errors:"), .body("permission denied")],
                  summary: "Vault said permission denied (as its API client prints it)[ for {url}]: the token's policies do not grant this path's capability, or the token is not valid",
                  extract: [Extract("url", "URL", from: [.body(after: "URL:", chars: .line)])],
                  lookup: "vault token capabilities TOKEN PATH lists what the token may do on the path; the audit device logs the policy check",
                  checks: ["vault token lookup: is the token valid (not expired or revoked) and which policies does it carry?",
                           "the path in the URL line: UI and kv v2 calls go to sys/internal/ui/mounts/… and …/data/… paths, which a policy must name as such"],
                  fixes: [Fix(summary: "add the capability for exactly this path to a policy the token carries, then issue a new token",
                              commands: ["vault policy write NAME policy.hcl"])],
                  specificity: 60),
    ]
}
