import Why403Core

/// Gogs' Git over HTTP answering for itself (the `application` layer), in plain text (internal/route/repo/http.go); Gitea and
/// Forgejo, its descendants, keep the two-factor sentence; from their sources (`Benchmarks/field/documented/self-hosted.json`,
/// `self-hosted-2.json`).
enum Gogs {
    static let signatures: [Signature] = [
        Signature(id: "gogs-git-http", product: "Gogs (Git over HTTP)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.bodyIs("User permission denied"), .bodyIs("Mirror repository is read-only"),
                               .bodyIs("Interacting with repositories by HTTP protocol is disabled"),
                               // Gogs says "User with …", Gitea and Forgejo "Users with …"
                               .body("two-factor authentication enabled cannot perform HTTP/HTTPS operations via plain username and password")])],
                  summary: "the Git server (Gogs, Gitea or Forgejo) refused the Git operation over HTTP",
                  extract: [Extract("perm", "permission", from: [.body(after: "User permission", chars: .line)]),
                            Extract("mirror", "mirror", from: [.body(after: "Mirror repository", chars: .line)]),
                            Extract("http", "HTTP", from: [.body(after: "by HTTP protocol", chars: .line)]),
                            Extract("tfa", "two-factor", from: [.body(after: "two-factor authentication enabled", chars: .line)])],
                  variants: [
                      Variant("perm", ["*denied*"], cause: .authRole, confidence: .certain,
                              summary: "the Git server (Gogs, Gitea, Forgejo) knows the user but it may not do this to the repository (User permission denied): a push needs write access",
                              checks: ["the repository's Collaborators (or the organisation team) must give the user write access for a push, read for a private clone"]),
                      Variant("mirror", ["*read-only*"], cause: .accessDeny, confidence: .certain,
                              summary: "the repository is a mirror, which the Git server keeps read-only: nobody can push to it"),
                      Variant("http", ["*disabled*"], cause: .accessDeny, confidence: .certain,
                              summary: "Git over HTTP is turned off on this Git server (Gogs: DISABLE_HTTP_GIT): clone over SSH"),
                      Variant("tfa", ["*"], cause: .authInvalid, confidence: .certain,
                              summary: "the account has two-factor authentication, so the Git server (Gogs, Gitea, Forgejo) refuses its password over HTTP: use a personal access token",
                              fixes: [Fix(summary: "create a personal access token (user settings > Applications) and use it as the password")]),
                  ],
                  specificity: 60),
    ]
}
