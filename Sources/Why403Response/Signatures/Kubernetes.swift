import Why403Core

/// The Kubernetes API server and the kubelet answering for themselves (the `application` layer): a
/// `{"kind": "Status", "reason": "Forbidden", "message": "pods is forbidden: User \"…\" cannot list
/// resource \"pods\" …"}` body, or the kubelet's `Forbidden (user=…, verb=…, resource=…)`. The user
/// named says which: `system:anonymous` sent no credentials; anyone else is known and lacks an RBAC rule.
/// OpenShift 3 and its 0.x betas word it `"/osapi/…" is forbidden because system:anonymous cannot get on
/// namespaces …` (sometimes as a browser renders it, keys unquoted).
enum Kubernetes {
    static let signatures: [Signature] = [
        Signature(id: "kubernetes-forbidden", product: "Kubernetes API", layer: .application, cause: .authRole, confidence: .certain,
                  statuses: [401, 403],
                  when: [.any([.body("forbidden: User \\\""), .body("forbidden: User \""), .body("Forbidden (user="), .body("is forbidden because "),
                               // OpenShift 3's Status message without the "forbidden:" prefix: "User \"…\" cannot list all nodes in the cluster".
                               .all([.any([.body("\"kind\": \"Status\""), .body("\"kind\":\"Status\"")]),
                                     .any([.body("\"message\": \"User \\\""), .body("\"message\":\"User \\\"")]), .body("\" cannot ")])])],
                  summary: "the Kubernetes API refused by RBAC[: {msg}]",
                  // A pasted text answer: kubectl's `Error from server (Forbidden): pods is forbidden: User …` and client
                  // libraries' `HTTP 403 Forbidden: pods is forbidden: …`.
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "Forbidden (user=", chars: .line), .body(after: "message:", chars: .line),
                                                             .body(after: "(Forbidden): ", chars: .line), .body(after: "403 Forbidden: ", chars: .line)]),
                            Extract("user", "user", from: [.body(after: "User \\\"", chars: .identifier), .body(after: "User \"", chars: .identifier),
                                                           .body(after: "(user=", chars: .identifier), .body(after: "forbidden because ", chars: .identifier)])],
                  lookup: "kubectl auth can-i VERB RESOURCE --as={user} -n NAMESPACE (and the API server's audit log) shows which rule is missing",
                  checks: ["kubectl get rolebindings,clusterrolebindings -A -o wide | grep {user}: the roles bound to this user or service account"],
                  fixes: [Fix(summary: "bind a Role (namespace) or ClusterRole granting exactly this verb on this resource to the user or service account",
                              commands: ["kubectl create rolebinding NAME --role=ROLE --serviceaccount=NAMESPACE:NAME -n NAMESPACE"])],
                  variants: [
                      Variant("user", ["system:anonymous"], cause: .authMissing, confidence: .certain,
                              summary: "the Kubernetes API treated the request as anonymous (system:anonymous): no credentials were sent or they were not recognised[: {msg}]",
                              checks: ["send a bearer token or client certificate (kubectl config view --minify; a service account token from `kubectl create token`)",
                                       "granting RBAC to system:anonymous is almost never the fix"],
                              fixes: []),
                  ],
                  specificity: 75),
        // A 401 Status object: the API server authenticated nobody. With anonymous access on (the default) a request
        // without credentials is system:anonymous and gets a 403, so a 401 most often means the token or client
        // certificate sent was not accepted (expired, another cluster's, not a Kubernetes credential).
        Signature(id: "kubernetes-unauthorized", product: "Kubernetes API", layer: .application, cause: .authInvalid, confidence: .likely,
                  statuses: [401],
                  when: [.any([.body("\"kind\": \"Status\""), .body("\"kind\":\"Status\"")]),
                         .any([.body("\"reason\": \"Unauthorized\""), .body("\"reason\":\"Unauthorized\"")])],
                  summary: "the Kubernetes API server did not authenticate the request (Status 401 Unauthorized): the bearer token or client certificate was not accepted, or none was sent and anonymous access is off",
                  extract: [Extract("audit", "Audit-Id", from: [.header("audit-id")])],
                  lookup: "the API server's log names the authenticator that rejected the credential[ (audit id {audit})]",
                  checks: ["kubectl config view --minify: the credential is this cluster's (a token from `kubectl create token`, or the client certificate of this cluster's CA)",
                           "a token of another system (a proxy's API key, an expired OIDC id_token) is not a Kubernetes credential"],
                  specificity: 60),
        // The API server's own headers (Audit-Id, the APF flow-schema ids) with a Status object whose message is missing
        // (a cut paste, a HEAD): the layer is known, the cause is not.
        Signature(id: "kubernetes-status", product: "Kubernetes API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.any([.header("audit-id"), .header("x-kubernetes-pf-flowschema-uid"), .header("x-kubernetes-pf-prioritylevel-uid")]),
                         .any([.body("\"kind\": \"Status\""), .body("\"kind\":\"Status\""), .headerContains("content-type", "application/json")])],
                  summary: "the Kubernetes API server refused (its Audit-Id and Status object; the message naming the user is not in the response)[ (audit id {audit})]",
                  extract: [Extract("audit", "Audit-Id", from: [.header("audit-id")])],
                  lookup: "the API server's audit log has the request[ under auditID {audit}]: user, verb, resource and the authorization decision",
                  checks: ["a request without a bearer token or client certificate is system:anonymous: send credentials (kubectl config view --minify)",
                           "with credentials: kubectl auth can-i VERB RESOURCE --as=USER -n NAMESPACE"],
                  specificity: 50),
    ]
}
