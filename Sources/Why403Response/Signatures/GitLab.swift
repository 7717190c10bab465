import Why403Core

/// GitLab answering for itself: its application rate limiter's 429, "This endpoint has been requested too many
/// times. Try again later.", and Git over HTTP's refusals. (GitLab's other refusals are its JSON `{"message": "401 Unauthorized"}`, read by the
/// generic application rules.)
enum GitLab {
    static let signatures: [Signature] = [
        Signature(id: "gitlab-rate-limited", product: "GitLab", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.body("This endpoint has been requested too many times")],
                  summary: "GitLab's application rate limit for this endpoint refused the request",
                  checks: ["slow the client down and retry after the Retry-After interval; an administrator sets these limits under Admin > Settings > Network"],
                  specificity: 70),
        // Git over HTTP (gitlabhq's Repositories::GitHttpClientController and GitHttpController): a credential it did not
        // accept ("HTTP Basic: Access denied. …", 401) and an access check the user fails ("You are not allowed to push code to
        // this project.", 403), as git prints them after "remote:". The older wordings of the 401: the bare "HTTP Basic: Access
        // denied" (no full stop, unlike Rails' own), the same with "You have 2FA enabled, please use a personal access token for Git
        // over HTTP." (render_missing_personal_token), and JwtController's "The provided password or token is incorrect or your
        // account has 2FA enabled …" (14.x-16.x, also in the registry's token endpoint); a deploy key without write access pushing
        // ("Deploy keys are not allowed to push code.", Gitlab::GitAccess).
        Signature(id: "gitlab-git-http", product: "GitLab (Git over HTTP)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  // Rails' own challenge body is "HTTP Basic: Access denied."; GitLab's Git controllers go on to say what was wrong (16.x+)
                  when: [.any([.body("If a password was provided for Git authentication"), .body("You are not allowed to push code to this project"),
                               .body("You are not allowed to download code from this project"), .bodyIs("HTTP Basic: Access denied"),
                               .body("You have 2FA enabled, please use a personal access token for Git over HTTP"),
                               .body("The provided password or token is incorrect or your account has 2FA enabled"),
                               .bodyIs("Deploy keys are not allowed to push code.")])],
                  summary: "GitLab refused the Git request[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "HTTP Basic:", chars: .line), .body(after: "You are not allowed to", chars: .line),
                                                             .body(after: "Deploy keys ", chars: .line)])],
                  checks: ["the credential git sends (the credential helper, or the URL's user:token): a personal, project or deploy token with read_repository / write_repository, not the account's password when 2FA or SSO is on"],
                  variants: [
                      Variant("msg", ["Access denied*"], cause: .authInvalid, confidence: .likely,
                              summary: "GitLab did not accept the credentials git sent (\"HTTP Basic: Access denied\"): a wrong password, a password where a token is required, or a token that is wrong, expired or lacks the scope",
                              checks: ["use a personal access token with read_repository (and write_repository to push) as the password; clear a stale entry from the credential helper (`git credential reject`)"]),
                      Variant("msg", ["push code*", "download code*"], cause: .authRole, confidence: .certain,
                              summary: "GitLab knows the user but its role on the project does not allow this (\"You are not allowed to {msg}\")",
                              checks: ["the user's role on the project (Developer or higher to push; protected branches may need Maintainer)"]),
                      Variant("msg", ["are not allowed to push code*"], cause: .authRole, confidence: .certain,
                              summary: "GitLab refused a push made with a deploy key that has no write access (\"Deploy keys are not allowed to push code.\")",
                              checks: ["the project's Settings > Repository > Deploy keys: enable \"Grant write permissions to this key\", or push with a token or user that may write"]),
                  ],
                  specificity: 66),
    ]
}
