import Why403Core

/// Builds the minimal statements (JSON) a fix adds: one principal, one action, one resource.
/// INVARIANT: never emits `"Principal": "*"` together with a wildcard action such as `s3:*`; the
/// action is always the single action of the request.
enum FixBuilder {
    static func json(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    static func sid(_ action: String) -> String {
        let name = action.split(separator: ":").last.map(String.init) ?? action
        return "Allow" + name.filter { $0.isLetter || $0.isNumber }
    }

    /// A resource-policy statement granting `action` on `resource` to `principal`.
    static func resourceStatement(principal: Principal, action: String, resource: String, conditions: String? = nil, sid: String? = nil) -> String {
        let who: String
        switch principal.kind {
        case .anonymous: who = "\"*\""
        case .service: who = "{ \"Service\": \(json(principal.raw)) }"
        // A role session is granted through its role: session ARNs change with every session.
        case .assumedRole: who = "{ \"AWS\": \(json(principal.roleArn ?? principal.raw)) }"
        default: who = "{ \"AWS\": \(json(principal.raw)) }"
        }
        var s = """
        {
          "Sid": \(json(sid ?? self.sid(action))),
          "Effect": "Allow",
          "Principal": \(who),
          "Action": \(json(action)),
          "Resource": \(json(resource))
        """
        if let conditions { s += ",\n  \"Condition\": \(conditions)" }
        return s + "\n}"
    }

    /// An identity-policy document granting `action` on `resource`.
    static func identityPolicy(action: String, resource: String) -> String {
        """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": \(json(sid(action))),
              "Effect": "Allow",
              "Action": \(json(action)),
              "Resource": \(json(resource))
            }
          ]
        }
        """
    }

    /// The `aws iam put-*-policy` command that attaches an inline identity policy to the principal.
    static func attachCommand(_ p: Principal, action: String) -> [String] {
        let name = "why403-" + (action.split(separator: ":").last.map { $0.lowercased() } ?? "fix")
        switch p.kind {
        case .user: return ["aws iam put-user-policy --user-name \(p.name ?? "USER") --policy-name \(name) --policy-document file://policy.json"]
        case .role, .assumedRole: return ["aws iam put-role-policy --role-name \(p.name ?? "ROLE") --policy-name \(name) --policy-document file://policy.json"]
        default: return []
        }
    }
}
