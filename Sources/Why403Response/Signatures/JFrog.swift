import Why403Core

/// JFrog Artifactory (and the JFrog platform's other services, Xray, Access) answering for itself (the
/// `application` layer): an error list whose entries carry the HTTP status and a message,
/// `{"errors" : [ {"status" : 401, "message" : "Bad credentials"} ]}`, often pasted re-indented by the
/// JFrog CLI or cut short of a brace, so it is recognised by its keys in the text rather than parsed.
/// A container registry's list carries a `code` beside the message instead (`UNAUTHORIZED`, `DENIED`).
enum JFrog {
    static let signatures: [Signature] = [
        Signature(id: "jfrog-errors", product: "JFrog Artifactory", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.body("\"errors\""), .body("\"status\""), .body("\"message\""), .not(.body("\"code\""))],
                  summary: "Artifactory (JFrog) refused[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "\"message\"", chars: .line)])],
                  lookup: "the Artifactory request log and access log ($JFROG_HOME/artifactory/var/log/artifactory-request.log, access-security-audit.log) show the user and the reason",
                  checks: ["was a credential sent, and of which kind (user:password, API key, access token, identity token)? `jf rt ping` succeeds without any, so test with a call that needs one",
                           "the repository's permission target: does it give this user or group the action (read, deploy, delete) on this path?"],
                  variants: [
                      Variant("msg", ["*Bad credentials*"], cause: .authInvalid, confidence: .likely,
                              summary: "Artifactory rejected the credentials sent (\"Bad credentials\"): the password, API key or token does not match the user",
                              checks: ["the user name and the secret as sent: an access token goes with Bearer or as the password of its own user, an API key as X-JFrog-Art-Api or the password",
                                       "an expired or revoked token, or a password changed since the client was configured"]),
                  ],
                  specificity: 40),
    ]
}
