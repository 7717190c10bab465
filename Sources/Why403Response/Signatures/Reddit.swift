import Why403Core

/// Reddit answering for itself: its "whoa there, pardner!" page for clients over its speed limit (429, `Server:
/// snooserv`, through its Varnish/Fastly edge), which names the wait.
enum Reddit {
    static let signatures: [Signature] = [
        Signature(id: "reddit-rate-limited", product: "Reddit", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.body("whoa there, pardner!")],
                  summary: "Reddit's speed limit for clients that look like bots refused the request[ ({wait})]",
                  extract: [Extract("wait", "wait", from: [.body(after: "please wait ", chars: .line)])],
                  checks: ["send a descriptive User-Agent (`<platform>:<app id>:<version> (by /u/<user>)`) and use OAuth: unauthenticated and generic-agent clients get the lowest limit",
                           "stay under the X-Ratelimit-Remaining budget and wait X-Ratelimit-Reset seconds when it is spent"],
                  specificity: 75),
    ]
}
