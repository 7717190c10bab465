import Why403Core

/// PyPI (Warehouse) refusing an upload: it puts its message in the status line's reason phrase, where twine prints
/// it (`403 Invalid API Token: token with user restriction without a user`, `403 The user 'x' isn't allowed to upload
/// to project 'y'.`), and repeats it in a small HTML page ("Access was denied to this resource.").
enum PyPI {
    static let signatures: [Signature] = [
        Signature(id: "pypi-upload-refused", product: "PyPI (Warehouse)", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.reason("Invalid API Token"), .reason("isn't allowed to upload to project"), .reason("Invalid or non-existent authentication"),
                               // since 2024 an upload with the account's password
                               .reason("Username/Password authentication is no longer supported"),
                               .all([.body("Access was denied to this resource."), .body("Invalid API Token")])])],
                  summary: "PyPI refused the upload[: {why}]",
                  extract: [Extract("why", "reason", from: [.reason, .body(after: "Access was denied to this resource.", chars: .line)])],
                  checks: ["an API token is sent as user `__token__` with the token (pypi-…) as the password; a project-scoped token works only for its project",
                           "the account must be an owner or maintainer of the project (pypi.org > the project > Collaborators); a new project's name must not be taken"],
                  variants: [
                      Variant("why", ["Invalid API Token*", "Invalid or non-existent authentication*"], cause: .authInvalid, confidence: .certain,
                              summary: "PyPI did not accept the credentials[: {why}]"),
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
