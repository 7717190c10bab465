import Why403Core

/// PyPI (Warehouse) refusing an upload: it puts its message in the status line's reason phrase, where twine prints
/// it (`403 Invalid API Token: token with user restriction without a user`, `403 The user 'x' isn't allowed to upload
/// to project 'y'.`), and repeats it in a small HTML page ("Access was denied to this resource.").
enum PyPI {
    static let signatures: [Signature] = [
        Signature(id: "pypi-upload-refused", product: "PyPI (Warehouse)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.reason("Invalid API Token"), .reason("isn't allowed to upload to project"), .reason("Invalid or non-existent authentication"),
                               // the same sentences as the error page's title (Warehouse's forklift and security policies)
                               .body("<title>403 Invalid or non-existent authentication information"), .body("<title>403 Invalid API Token"),
                               .body("<title>403 Username/Password authentication is no longer supported"),
                               .all([.body("<title>403 The user '"), .body("isn't allowed to upload to project")]),
                               .body("associated with the API token used, does not have a verified primary email"),
                               .body("<title>403 Read-only mode: Uploads are temporarily disabled"),
                               .body("<title>429 Too many new projects created"),
                               // since 2024 an upload with the account's password
                               .reason("Username/Password authentication is no longer supported"),
                               .all([.body("Access was denied to this resource."), .body("Invalid API Token")])])],
                  summary: "PyPI refused the upload[: {why}]",
                  extract: [Extract("why", "reason", from: [.body(after: "<title>403 ", chars: .line), .body(after: "<title>429 ", chars: .line), .reason,
                                                            .body(after: "Access was denied to this resource.", chars: .line)])],
                  checks: ["an API token is sent as user `__token__` with the token (pypi-…) as the password; a project-scoped token works only for its project",
                           "the account must be an owner or maintainer of the project (pypi.org > the project > Collaborators); a new project's name must not be taken"],
                  variants: [
                      Variant("why", ["Invalid API Token*"], cause: .authInvalid, confidence: .certain,
                              summary: "PyPI did not accept the credentials[: {why}]"),
                      // Warehouse says it when no identity came of the request: credentials it did not accept, or none (twine
                      // prompts for them, so none is rare)
                      Variant("why", ["Invalid or non-existent authentication*"], cause: .authInvalid, confidence: .likely,
                              summary: "PyPI found no identity it accepts in the request (\"Invalid or non-existent authentication information\")",
                              checks: ["upload as user `__token__` with an API token (pypi-…) of an account that may upload to the project; check ~/.pypirc and TWINE_USERNAME / TWINE_PASSWORD"]),
                      Variant("why", ["*does not have a verified primary email*"], cause: .unknown, confidence: .certain,
                              summary: "PyPI refused the upload: the token's account has no verified primary email[: {why}]",
                              checks: ["verify the account's primary email address (pypi.org > Account settings)"]),
                      Variant("why", ["Read-only mode*"], cause: .accessDeny, confidence: .certain,
                              summary: "PyPI is in read-only mode: uploads are disabled for everyone for now[: {why}]"),
                      Variant("why", ["Too many new projects created*"], cause: .rateLimit, confidence: .certain,
                              summary: "PyPI's limit on creating new projects refused the upload[: {why}]"),
                      Variant("why", ["Username/Password authentication is no longer supported*"], cause: .authInvalid, confidence: .certain,
                              summary: "PyPI no longer accepts an account's password for uploads: an API token or a trusted publisher is required",
                              checks: ["create an API token (pypi.org > Account settings > API tokens) and upload as user `__token__` with it, or configure a trusted publisher for CI"]),
                      Variant("why", ["*isn't allowed to upload to project*"], cause: .authRole, confidence: .certain,
                              summary: "PyPI: the account may not upload to this project[: {why}]",
                              checks: ["pypi.org > the project > Collaborators: the account must be an owner or maintainer; a name taken by another project cannot be uploaded to"]),
                  ],
                  specificity: 60),
    ]
}
