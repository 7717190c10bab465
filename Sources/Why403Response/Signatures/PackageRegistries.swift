import Why403Core

/// Package registries refusing a publish in their own words (plain text, as `gem push` and `cargo publish` print it):
/// RubyGems' "You do not have permission to push to this gem" and "Access Denied. Please sign up for an account",
/// crates.io's "this crate exists but you don't seem to be an owner"; npm's "You do not have permission to publish" and its
/// demand for a one-time password ("… requires that publishers enable TFA and provide an OTP"), RubyGems' "You have enabled
/// multifactor authentication but no OTP code provided"; crates.io's limit on new crates ("You have published too many new
/// crates in a short period of time", 429). (PyPI's upload refusals: PyPI.swift.)
enum PackageRegistries {
    static let signatures: [Signature] = [
        Signature(id: "registry-publish-refused", product: "package registry (RubyGems, crates.io, npm)", layer: .application, cause: .unknown,
                  confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("You do not have permission to push to this gem"), .body("Please sign up for an account at https://rubygems.org"),
                               .body("you don't seem to be an owner"), .body("You do not have permission to publish \""),
                               .body("requires that publishers enable TFA and provide an OTP"), .body("authentication but no OTP code provided"),
                               .body("You have published too many new crates")])],
                  summary: "the package registry refused the publish[: {msg}]",
                  extract: [Extract("otp", "one-time password", from: [.body(after: "provide an OTP", chars: .line), .body(after: "no OTP code provided", chars: .line)]),
                            Extract("many", "publish limit", from: [.body(after: "You have published too many new crates", chars: .line)]),
                            Extract("msg", "message", from: [.body(after: "You do not have permission", chars: .line),
                                                             .body(after: "Access Denied.", chars: .line),
                                                             .body(after: "this crate exists but", chars: .line)])],
                  checks: ["the registry's owners of the package (`gem owner NAME`, `cargo owner --list NAME`) and the account the stored API key belongs to"],
                  variants: [
                      Variant("otp", ["*"], cause: .authMissing, confidence: .certain,
                              summary: "the registry wants a one-time password (two-factor authentication) with this request, and none was sent",
                              checks: ["send the current code: `npm publish --otp CODE`, `gem push … --otp CODE` (or GEM_HOST_OTP_CODE); an automation token (npm) or an API key without MFA enforcement for CI"]),
                      Variant("many", ["*"], cause: .rateLimit, confidence: .certain,
                              summary: "crates.io's limit on publishing new crates is reached: it names when to try again",
                              checks: ["wait until the time the message names, or ask help@crates.io to raise the limit"]),
                      Variant("msg", ["*push to this gem*", "*an owner*", "*to publish \"*"], cause: .authRole, confidence: .certain,
                              summary: "the registry knows the account but it does not own the package: {msg}",
                              checks: ["an owner adds the account (`gem owner NAME --add EMAIL`, `cargo owner --add USER NAME`; crates.io: accept the invitation first)"]),
                      Variant("msg", ["*sign up for an account*"], cause: .authInvalid, confidence: .likely,
                              summary: "RubyGems did not accept the API key sent (\"Access Denied. Please sign up …\")",
                              checks: ["`gem signin` again (the key in ~/.gem/credentials, or GEM_HOST_API_KEY), with the push scope"]),
                  ],
                  specificity: 65),
    ]
}
