import Why403Core

/// Package registries refusing a publish in their own words (plain text, as `gem push` and `cargo publish` print it):
/// RubyGems' "You do not have permission to push to this gem" and "Access Denied. Please sign up for an account",
/// crates.io's "this crate exists but you don't seem to be an owner"; npm's "You do not have permission to publish" and its
/// demand for a one-time password ("… requires that publishers enable TFA and provide an OTP"), RubyGems' "You have enabled
/// multifactor authentication but no OTP code provided"; crates.io's limit on new crates ("You have published too many new
/// crates in a short period of time", 429). (PyPI's upload refusals: PyPI.swift.)
enum PackageRegistries {
    enum RubyGems {
        static let sentences = ["Your OTP code is incorrect. Please check it and retry", "Please confirm your email address before using the API",
                                "An invalid API key cannot be used", "The API key doesn't have access",
                                "This API key cannot perform the specified action on this gem", "You are not allowed to push this gem",
                                "This gem name is reserved", "requires owners to enable MFA", "Gem requires MFA enabled; You do not have MFA enabled yet",
                                "For protection of your account and your gems, you are required to", "You do not have permission to delete this gem",
                                "This version of the Gemcutter plugin has been deprecated"]
    }

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
        // RubyGems.org's API refusals beyond the publish ones above (rubygems.org's Api::BaseController, Pusher, the API key
        // scopes and MFA policies, 2022-2026; `Benchmarks/field/documented/registries-saas.json`), as `gem` prints them.
        Signature(id: "rubygems-api-refused", product: "RubyGems.org", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any(RubyGems.sentences.map { .body($0) })],
                  summary: "RubyGems.org refused the API call[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("error"), .bodyLine])],
                  checks: ["the API key in ~/.gem/credentials (or GEM_HOST_API_KEY): its scopes and the gems it is limited to (rubygems.org > Settings > API keys)",
                           "the account's MFA level and the gem's MFA requirement (rubygems_mfa_required in its metadata)"],
                  variants: [
                      Variant("msg", ["*gem name is reserved*", "*Gemcutter plugin has been deprecated*"], cause: .accessDeny, confidence: .certain,
                              summary: "RubyGems.org refuses this for everyone: {msg}"),
                      Variant("msg", ["*OTP code is incorrect*", "*invalid API key cannot be used*"], cause: .authInvalid, confidence: .certain,
                              summary: "RubyGems.org did not accept the credential: {msg}",
                              checks: ["send the current one-time password (`--otp CODE`), or delete the key and create a new one (`gem signin`)"]),
                      Variant("msg", ["*cannot perform the specified action on this gem*"], cause: .authScope, confidence: .certain,
                              summary: "RubyGems.org: the API key's scopes or gem restriction do not include this action ({msg})",
                              checks: ["create a key with the scope this needs (push_rubygem, yank_rubygem, add_owner …) and without a gem restriction that leaves this gem out"]),
                      Variant("msg", ["*"], cause: .authRole, confidence: .likely,
                              summary: "RubyGems.org knows the account but it may not do this: {msg}"),
                  ],
                  specificity: 64),
        // NuGet.org's push and package API (NuGetGallery's ApiKeyAuthenticationHandler and ApiController): one sentence for an
        // unknown, expired or unscoped key, and the owner and package locks.
        Signature(id: "nuget-api-refused", product: "NuGet.org", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.body("The specified API key is invalid, has expired, or does not have permission to access the specified package"),
                               .body("An API key must be provided in the 'X-NuGet-ApiKey' header"), .body("The specified API key is scoped to an owner that is"),
                               .body("This means you cannot publish a new version or change the listing status"),
                               .body("Deleting a package through the API is not enabled for your user account")])],
                  summary: "NuGet.org refused the API call[: {msg}]",
                  extract: [Extract("msg", "message", from: [.bodyLine])],
                  checks: ["the API key at nuget.org > API Keys: not expired, with the Push scope and a glob pattern that matches this package id, created by an owner of the package"],
                  variants: [
                      Variant("msg", ["An API key must be provided*"], cause: .authMissing, confidence: .certain,
                              summary: "NuGet.org got no API key (X-NuGet-ApiKey)",
                              checks: ["`dotnet nuget push … --api-key KEY` (or `nuget setapikey`)"]),
                      Variant("msg", ["*scoped to an owner that is*", "Deleting a package through the API*"], cause: .authRole, confidence: .certain,
                              summary: "NuGet.org: {msg}"),
                      Variant("msg", ["*has been locked*"], cause: .accessDeny, confidence: .certain,
                              summary: "NuGet.org has locked this package: no one may publish or relist it ({msg})"),
                  ],
                  specificity: 64),
        // crates.io's API in its own words (rust-lang/crates.io, src/auth.rs and the controllers, 2019-2026), in its
        // `{"errors":[{"detail": …}]}` envelope or as cargo prints it ("the remote server responded with an error (status 403
        // Forbidden): …").
        Signature(id: "crates-io-error", product: "crates.io", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any(CratesIO.sentences.map { .body($0) } + [
                               // short sentences, named only in the envelope's exact form
                               .body(#"{"errors":[{"detail":"authentication failed"}]}"#), .body(#"{"errors":[{"detail":"Invalid authentication token"}]}"#),
                               .body(#"{"errors":[{"detail":"invalid origin header"}]}"#)])],
                  summary: "crates.io refused the request[: {msg}]",
                  extract: [Extract("msg", "detail", from: [.jsonListItem(list: "errors", key: "detail"), .body(after: "responded with an error (status", chars: .line)])],
                  checks: ["the API token cargo sends (`cargo login`, ~/.cargo/credentials.toml, CARGO_REGISTRY_TOKEN): it exists at crates.io > Account Settings > API Tokens, is not expired, and its scopes cover this crate and action (publish-new, publish-update, yank, change-owners)",
                           "the crate's owners (`cargo owner --list NAME`): publishing, yanking and changing owners need an owner (an invitation must be accepted first)"],
                  variants: [
                      Variant("msg", ["*Missing `Authorization` header*", "*this action requires authentication*"], cause: .authMissing, confidence: .certain,
                              summary: "crates.io got no API token with the request ({msg})",
                              checks: ["`cargo login` with a token from crates.io > Account Settings > API Tokens, or set CARGO_REGISTRY_TOKEN"]),
                      Variant("msg", ["*Invalid `Authorization` header*", "*authentication failed*", "*does not match the format used by crates.io*",
                                      "*Invalid authentication token*"], cause: .authInvalid, confidence: .certain,
                              summary: "crates.io did not accept the API token sent ({msg})",
                              checks: ["create a new token at crates.io > Account Settings > API Tokens and `cargo login` with it; a token made before 2020-07-14 was revoked"]),
                      Variant("msg", ["*token does not have the required permissions*", "*can only be performed on the crates.io website*",
                                      "*cannot be used with legacy API tokens*"], cause: .authScope, confidence: .likely,
                              summary: "crates.io: the token may not do this ({msg})",
                              checks: ["the token's scopes (endpoints: publish-new, publish-update, yank, change-owners) and crate patterns must cover this crate and action; some actions are for the website only"]),
                      Variant("msg", ["*must already be an owner*", "*only owners have permission*"], cause: .authRole, confidence: .certain,
                              summary: "crates.io: the account is not an owner of the crate ({msg})",
                              checks: ["an owner adds the account (`cargo owner --add USER NAME`), and the account accepts the invitation"]),
                      Variant("msg", ["*too many*"], cause: .rateLimit, confidence: .certain,
                              summary: "crates.io's rate limit refused the request ({msg})",
                              checks: ["wait until the time the message names (https://crates.io/docs/rate-limits), or ask help@crates.io to raise the limit"]),
                  ],
                  specificity: 64),
    ]
}

/// crates.io's own sentences (rust-lang/crates.io's sources), long enough to name it wherever they stand.
enum CratesIO {
    static let sentences = ["Missing `Authorization` header", "Invalid `Authorization` header: Found unexpected",
                            "this action requires authentication", "does not match the format used by crates.io",
                            "this token does not have the required permissions to perform this action",
                            "this action can only be performed on the crates.io website", "This endpoint cannot be used with legacy API tokens",
                            "must already be an owner to yank or unyank", "only owners have permission to modify owners",
                            "You have published too many updates to existing crates", "You have yanked or unyanked too many versions",
                            "You have published too many crates in a short period", "must be logged in to perform that action",
                            "and see https://crates.io/docs/rate-limits"]
}
