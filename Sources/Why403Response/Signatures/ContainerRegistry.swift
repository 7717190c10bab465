import Why403Core

/// Container registries answering for themselves (the `application` layer): the registry HTTP API's
/// error codes (`{"errors": [{"code": "TOOMANYREQUESTS", "message": …}]}`), which the Docker daemon,
/// containerd and helm print as `toomanyrequests: <message>`. Docker Hub's pull rate limit says "You have
/// reached your pull rate limit"; its overall anti-abuse limit answers `Too Many Requests (HAP429)` alone.
enum ContainerRegistry {
    static let signatures: [Signature] = [
        Signature(id: "registry-toomanyrequests", product: "container registry (Docker Hub)", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.body("toomanyrequests:"), .body("\"TOOMANYREQUESTS\""), .body("Too Many Requests (HAP429)")])],
                  summary: "the container registry rate-limited the client[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "toomanyrequests:", chars: .line), .body(after: "Too Many Requests", chars: .line)]),
                            Extract("remaining", "ratelimit-remaining", from: [.header("ratelimit-remaining")]),
                            Extract("source", "docker-ratelimit-source", from: [.header("docker-ratelimit-source")])],
                  lookup: "[Docker Hub counts pulls per {source}: ]a HEAD of a manifest with the same credentials shows ratelimit-limit and ratelimit-remaining without spending a pull",
                  checks: ["anonymous pulls share the limit of the source address (a NAT or CI runner pool): log in (docker login) to get the account's own, higher limit",
                           "\"(HAP429)\" is Docker Hub's overall anti-abuse limit, not the pull limit: slow the automation down",
                           "a pull-through cache or mirror (registry-mirrors) removes repeated pulls of the same image"],
                  specificity: 70),
    ]
}
