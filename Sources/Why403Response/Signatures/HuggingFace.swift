import Why403Core

/// The Hugging Face Hub refusing a gated repository, in the sentence its API returns (inside `{"error": …}` or as the client
/// prints it): "Access to model org/name is restricted. You must be authenticated to access it." (no token, or one the Hub
/// did not accept) and "Access to model org/name is restricted and you are not in the authorized list. Visit … to ask for
/// access." (a token whose user has not been granted the repository).
enum HuggingFace {
    static let signatures: [Signature] = [
        Signature(id: "huggingface-gated-repo", product: "Hugging Face Hub", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.body("is restricted. You must be authenticated to access it"), .body("is restricted and you are not in the authorized list")])],
                  summary: "the Hugging Face Hub refused a gated repository[: {repo}]",
                  extract: [Extract("repo", "repository", from: [.body(after: "Access to model ", chars: .identifier), .body(after: "Access to dataset ", chars: .identifier)]),
                            Extract("authn", "authentication", from: [.body(after: "is restricted. You must be", chars: .line)]),
                            Extract("list", "authorized list", from: [.body(after: "you are not in the authorized list", chars: .line)])],
                  checks: ["the repository's page on huggingface.co: request access with the account whose token the client sends, and wait for the grant",
                           "the token: `huggingface-cli whoami` (HF_TOKEN or the cached login) must name that account"],
                  variants: [
                      Variant("authn", ["*"], cause: .authMissing, confidence: .certain,
                              summary: "the Hugging Face Hub wants a token for the gated repository[ {repo}] and got none it accepts",
                              checks: ["log in (`huggingface-cli login`) or set HF_TOKEN; the account must also have been granted the repository"]),
                      Variant("list", ["*"], cause: .authRole, confidence: .certain,
                              summary: "the Hugging Face Hub knows the account but it has not been granted the gated repository[ {repo}]",
                              checks: ["request access on the repository's page with this account (some are granted at once, others by the owners)"]),
                  ],
                  specificity: 70),
    ]
}
