import Why403Core

/// Package registries refusing a publish in their own words (plain text, as `gem push` and `cargo publish` print it):
/// RubyGems' "You do not have permission to push to this gem" and "Access Denied. Please sign up for an account",
/// crates.io's "this crate exists but you don't seem to be an owner". (PyPI's upload refusals: PyPI.swift.)
enum PackageRegistries {
    static let signatures: [Signature] = [
        Signature(id: "registry-publish-refused", product: "package registry (RubyGems, crates.io)", layer: .application, cause: .unknown,
                  confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.body("You do not have permission to push to this gem"), .body("Please sign up for an account at https://rubygems.org"),
                               .body("you don't seem to be an owner")])],
                  summary: "the package registry refused the publish[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "You do not have permission", chars: .line),
                                                             .body(after: "Access Denied.", chars: .line),
                                                             .body(after: "this crate exists but", chars: .line)])],
                  checks: ["the registry's owners of the package (`gem owner NAME`, `cargo owner --list NAME`) and the account the stored API key belongs to"],
                  variants: [
                      Variant("msg", ["*push to this gem*", "*an owner*"], cause: .authRole, confidence: .certain,
                              summary: "the registry knows the account but it does not own the package: {msg}",
                              checks: ["an owner adds the account (`gem owner NAME --add EMAIL`, `cargo owner --add USER NAME`; crates.io: accept the invitation first)"]),
                      Variant("msg", ["*sign up for an account*"], cause: .authInvalid, confidence: .likely,
                              summary: "RubyGems did not accept the API key sent (\"Access Denied. Please sign up …\")",
                              checks: ["`gem signin` again (the key in ~/.gem/credentials, or GEM_HOST_API_KEY), with the push scope"]),
                  ],
                  specificity: 65),
    ]
}
