import Why403Core

/// RabbitMQ's management API answering for itself (the `application` layer): `{"error": "not_authorised", "reason": "Not
/// management user"}` (rabbit_mgmt_util), 401 for every refusal, wrong credentials (`not_authorized` / `Not_Authorized`) and
/// missing permissions alike; from its sources (`Benchmarks/field/documented/self-hosted.json`).
enum RabbitMQ {
    static let signatures: [Signature] = [
        Signature(id: "rabbitmq-management-refused", product: "RabbitMQ management API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.jsonKey(["reason"]), .any([.body("\"not_authorised\""), .body("\"not_authorized\"")])],
                  summary: "RabbitMQ's management API refused: {reason}",
                  extract: [Extract("reason", "reason", from: [.json("reason")])],
                  checks: ["rabbitmqctl list_users shows the user's tags (management, monitoring, administrator); rabbitmqctl list_user_permissions USER its virtual hosts"],
                  variants: [
                      Variant("reason", ["Not_Authorized*"], cause: .authInvalid, confidence: .likely,
                              summary: "RabbitMQ did not accept the user name and password (Not_Authorized)"),
                      Variant("reason", ["User can only log in via localhost*"], cause: .accessIP, confidence: .certain,
                              summary: "RabbitMQ lets this user log in only from localhost (loopback_users: the default guest user)",
                              fixes: [Fix(summary: "create a user of your own (rabbitmqctl add_user, set_user_tags … management, set_permissions), or list it out of loopback_users")]),
                      Variant("reason", ["Not management user*", "Not administrator user*", "Not monitor user*", "User not authorised to access*"], cause: .authRole, confidence: .certain,
                              summary: "RabbitMQ knows the user but it lacks the tag or permission this call needs ({reason})",
                              checks: ["rabbitmqctl set_user_tags USER management (or monitoring, administrator); rabbitmqctl set_permissions -p VHOST USER '.*' '.*' '.*'"]),
                      Variant("reason", ["HTTP access denied: basic auth disabled*"], cause: .authInvalid, confidence: .certain,
                              summary: "RabbitMQ's management API takes no Basic credentials here (management.disable_basic_auth): use the OAuth 2.0 token it expects"),
                  ],
                  specificity: 62),
    ]
}
