import Why403Core

/// Container registries answering for themselves (the `application` layer): the registry HTTP API's
/// error codes (`{"errors": [{"code": "TOOMANYREQUESTS", "message": …}]}`), which the Docker daemon,
/// containerd and helm print as `toomanyrequests: <message>`. Docker Hub's pull rate limit says "You have
/// reached your pull rate limit"; its overall anti-abuse limit answers `Too Many Requests (HAP429)` alone.
/// A refused authentication is `UNAUTHORIZED` with a Bearer challenge naming the token service and scope.
enum ContainerRegistry {
    static let signatures: [Signature] = [
        Signature(id: "registry-toomanyrequests", product: "container registry (Docker Hub)", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.body("toomanyrequests:"), .body("\"TOOMANYREQUESTS\""), .body("Too Many Requests (HAP429)"),
                               // the pull limit's sentence alone with its link to docker.com, as Docker Hub answers in plain
                               // text and clients print it
                               .body("You have reached your pull rate limit")]),
                         .any([.body("toomanyrequests:"), .body("\"TOOMANYREQUESTS\""), .body("(HAP429)"), .body("docker.com/increase-rate-limit")])],
                  summary: "the container registry rate-limited the client[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "toomanyrequests:", chars: .line), .body(after: "Too Many Requests", chars: .line)]),
                            Extract("remaining", "ratelimit-remaining", from: [.header("ratelimit-remaining")]),
                            Extract("source", "docker-ratelimit-source", from: [.header("docker-ratelimit-source")])],
                  lookup: "[Docker Hub counts pulls per {source}: ]a HEAD of a manifest with the same credentials shows ratelimit-limit and ratelimit-remaining without spending a pull",
                  checks: ["anonymous pulls share the limit of the source address (a NAT or CI runner pool): log in (docker login) to get the account's own, higher limit",
                           "\"(HAP429)\" is Docker Hub's overall anti-abuse limit, not the pull limit: slow the automation down",
                           "a pull-through cache or mirror (registry-mirrors) removes repeated pulls of the same image"],
                  specificity: 70),
        // The registry refusing authentication: `{"errors":[{"code":"UNAUTHORIZED","message":"authentication required",…}]}`
        // (the distribution registry, GHCR, ACR, Harbor), usually with a Bearer challenge naming the token
        // service and the scope; the challenge's `error` (RFC 6750), when present, says more than the message.
        Signature(id: "registry-unauthorized", product: "container registry", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401],
                  when: [.any([.all([.body("\"errors\""), .any([.body("\"code\":\"UNAUTHORIZED\""), .body("\"code\": \"UNAUTHORIZED\"")])]),
                               // the distribution API's own header, on a 401 whose body was not shown (curl -I)
                               .header("docker-distribution-api-version")])],
                  summary: "the container registry refused to authenticate the request[: {msg}][ (scope {scope})]",
                  extract: [Extract("msg", "message", from: [.jsonListItem(list: "errors", key: "message"), .body(after: "\"message\":", chars: .line)]),
                            Extract("scope", "scope", from: [.challenge(scheme: "Bearer", parameter: "scope")]),
                            Extract("realm", "token service", from: [.challenge(scheme: "Bearer", parameter: "realm")])],
                  lookup: "[the token service {realm} issues the token: ]a registry client asks it for a token with this scope, then retries",
                  checks: ["a plain curl sends no token: fetch one from the token service named in WWW-Authenticate (realm, service, scope), then send it as Bearer",
                           "with docker or helm: docker login REGISTRY, and check the credential helper in ~/.docker/config.json",
                           "a token issued for another repository or action (pull vs push) is refused for this one: the scope must name this repository"],
                  variants: [
                      Variant("msg", ["*authentication required*", "*authorize header needed*"], cause: .authMissing, confidence: .likely,
                              summary: "the container registry wants a token it did not get ({msg})[ (scope {scope})]"),
                  ],
                  specificity: 45),
        // A registry's refusal as the client prints it (`denied: <message>`, the docker CLI and containerd): ECR's
        // expired login token, Artifact Registry's missing IAM permission (npm prints it without the prefix), GHCR's
        // bare `denied: denied` (no login, or no access to the package: it does not say which).
        Signature(id: "registry-denied", product: "container registry (ECR, Artifact Registry, GHCR)", layer: .application, cause: .unknown,
                  confidence: .likely,
                  statuses: [403],
                  when: [.any([.body("Your authorization token has expired. Reauthenticate"), .body("Permission \"artifactregistry."), .body("denied: denied"),
                               // the distribution spec's DENIED code (distribution/distribution's errcode register.go), as JSON or as the
                               // docker CLI prints it ("denied: requested access to the resource is denied")
                               .body("requested access to the resource is denied")])],
                  summary: "the container registry refused the request[: {msg}]",
                  extract: [Extract("msg", "message", from: [.jsonListItem(list: "errors", key: "message"), .body(after: "denied: ", chars: .line), .body(after: "Permission \"", chars: .line)])],
                  checks: ["log in to the registry again (docker login, the credential helper in ~/.docker/config.json, `aws ecr get-login-password`, `gcloud auth configure-docker`)",
                           "the identity needs read access to the repository or package (GHCR: the package's access settings; Artifact Registry: roles/artifactregistry.reader)"],
                  variants: [
                      Variant("msg", ["*authorization token has expired*"], cause: .authInvalid, confidence: .certain,
                              summary: "the registry's login token has expired (ECR's tokens last 12 hours): {msg}",
                              checks: ["log in again: `aws ecr get-login-password --region REGION | docker login --username AWS --password-stdin ACCOUNT.dkr.ecr.REGION.amazonaws.com`"]),
                      Variant("msg", ["*artifactregistry.*"], cause: .authRole, confidence: .likely,
                              summary: "Artifact Registry: the caller lacks the IAM permission (or the repository does not exist): {msg}",
                              checks: ["grant the caller roles/artifactregistry.reader (download) or writer (upload) on the repository, and check the repository's path and region"]),
                  ],
                  specificity: 50),
    ]
}
