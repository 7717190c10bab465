import Why403Core

/// The fixes of the token layer, in one place (their wording is part of the reports).
enum TokenFixes {
    /// A 401 from an expired or refused token: the one case where a new token helps.
    static let refresh = Fix(
        summary: "get a new access token (refresh_token grant, or sign in again) and retry once: refreshing is the answer to a 401 only",
        commands: [#"curl -s -u "$CLIENT_ID:$CLIENT_SECRET" --data-urlencode refresh_token@refresh_token.txt -d grant_type=refresh_token "$TOKEN_ENDPOINT""#])

    /// A clock problem (nbf, iat).
    static let clock = Fix(
        summary: "synchronise the clocks of the issuer and the API (NTP), or let the API allow a small skew (30-60 s)",
        commands: ["timedatectl status", "chronyc tracking"])

    /// Never retry a 403 with the same token.
    static let noRetry = Fix(
        summary: "do not retry a 403 with the same token, and do not refresh it for this: a refreshed token carries the same grant")

    static func newToken(_ summary: String) -> Fix { Fix(summary: summary) }

    static func audience(_ aud: String) -> Fix {
        Fix(summary: "request the token for audience \(aud) (the `audience` or `resource` parameter of the token request, RFC 8707), or register the API as that audience",
            commands: [#"curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials --data-urlencode 'resource=\#(aud)' --data-urlencode 'audience=\#(aud)' "$TOKEN_ENDPOINT""#])
    }

    /// Request the missing scopes when the token is obtained.
    static func requestScope(_ missing: [String], granted: [String]) -> Fix {
        let all = (granted + missing).uniqued().joined(separator: " ")
        let which = missing.isEmpty ? "the scope the server names" : "scope \(missing.joined(separator: " "))"
        return Fix(
            summary: "request \(which) when the token is obtained (the `scope` parameter of the authorization or token request), make sure the client is allowed to ask for it and the user consents, then use the new token",
            commands: missing.isEmpty ? [] : [#"curl -s -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials --data-urlencode 'scope=\#(all)' "$TOKEN_ENDPOINT""#])
    }

    /// Assign the missing roles in the identity provider the token's claims point at.
    static func assignRole(_ roles: [String], claims: [String: JSONValue], read: [ClaimValues]) -> [Fix] {
        let iss = claims["iss"]?.stringValue ?? ""
        let user = claims["preferred_username"]?.stringValue ?? claims["cognito:username"]?.stringValue
            ?? claims["username"]?.stringValue ?? claims["sub"]?.stringValue ?? "USER"
        let names = Set(read.map(\.claim))
        var fixes: [Fix] = []
        let list = roles.joined(separator: " ")
        if iss.contains("/realms/") || names.contains("realm_access.roles") || names.contains(where: { $0.hasPrefix("resource_access.") }) {
            let realm = iss.components(separatedBy: "/realms/").dropFirst().first?.split(separator: "/").first.map(String.init) ?? "REALM"
            let client = claims["azp"]?.stringValue
            var commands = roles.map { "kcadm.sh add-roles -r \(realm) --uusername \(user) --rolename \($0)" }
            if let client { commands += roles.map { "kcadm.sh add-roles -r \(realm) --uusername \(user) --cclientid \(client) --rolename \($0)  # as a client role" } }
            fixes.append(Fix(summary: "assign role \(list) to \(user) in Keycloak (realm \(realm)), then sign in again: roles are copied into a token when it is issued", commands: commands))
        } else if iss.contains("cognito-idp.") || names.contains("cognito:groups") {
            let pool = iss.split(separator: "/").last.map(String.init) ?? "POOL_ID"
            let region = iss.components(separatedBy: "cognito-idp.").dropFirst().first?.split(separator: ".").first.map(String.init)
            fixes.append(Fix(summary: "add \(user) to the Cognito group \(list), then sign in again",
                             commands: roles.map { "aws cognito-idp admin-add-user-to-group\(region.map { " --region \($0)" } ?? "") --user-pool-id \(pool) --username \(user) --group-name \($0)" }))
        } else if names.contains("permissions") || iss.contains("auth0.com") {
            fixes.append(Fix(summary: "in Auth0, give \(user) the permission \(list) (directly or through a role) on this API, with RBAC and \"Add Permissions in the Access Token\" on for the API, then get a new token"))
        } else {
            fixes.append(Fix(summary: "assign role \(list) to \(user) in the identity provider (or map the group to the role in the API), then sign in again: roles are copied into a token when it is issued"))
        }
        return fixes
    }

    /// The token does not reach the API.
    static func passAuthorization(_ scheme: String) -> Fix {
        Fix(summary: "make every hop pass the Authorization header on: Apache in front of PHP/CGI drops it unless told (CGIPassAuth On); nginx passes it to proxy_pass but not to FastCGI unless set",
            commands: [],
            patch: """
            # Apache (2.4.13+), in the <Directory> or .htaccess of the application:
            +CGIPassAuth On
            # nginx with PHP-FPM, in the location that has fastcgi_pass:
            +fastcgi_param HTTP_AUTHORIZATION $http_authorization;
            """)
    }
}

/// Opaque tokens whose issuer a prefix gives away, and how to ask that issuer about them.
enum OpaqueToken {
    struct Vendor { var name: String; var check: String }

    static let vendors: [(prefix: String, vendor: Vendor)] = [
        ("github_pat_", Vendor(name: "a GitHub fine-grained personal access token", check: "GitHub lists a fine-grained token's permissions on its settings page (Settings > Developer settings > Fine-grained tokens); classic scopes do not apply")),
        ("ghp_", Vendor(name: "a GitHub personal access token (classic)", check: #"curl -sI -u "$GITHUB_USER:$TOKEN" https://api.github.com/user | grep -i '^x-oauth-scopes'"#)),
        ("gho_", Vendor(name: "a GitHub OAuth app token", check: #"curl -sI -u "$GITHUB_USER:$TOKEN" https://api.github.com/user | grep -i '^x-oauth-scopes'"#)),
        ("ghu_", Vendor(name: "a GitHub App user token", check: "its rights are the GitHub App's permissions intersected with the user's")),
        ("ghs_", Vendor(name: "a GitHub App installation token", check: "its rights are the GitHub App installation's permissions (App settings > Permissions)")),
        ("glpat-", Vendor(name: "a GitLab personal access token", check: #"curl -s -H @private-token-header.txt https://gitlab.com/api/v4/personal_access_tokens/self  # the file holds the PRIVATE-TOKEN header line"#)),
        ("xoxb-", Vendor(name: "a Slack bot token", check: #"curl -sI -H @authorization-header.txt https://slack.com/api/auth.test | grep -i '^x-oauth-scopes'  # the file holds the Authorization header line"#)),
        ("xoxp-", Vendor(name: "a Slack user token", check: #"curl -sI -H @authorization-header.txt https://slack.com/api/auth.test | grep -i '^x-oauth-scopes'  # the file holds the Authorization header line"#)),
        ("ya29.", Vendor(name: "a Google OAuth access token", check: #"curl -s --data-urlencode access_token@token.txt https://oauth2.googleapis.com/tokeninfo  # token.txt holds the token"#)),
    ]

    static func vendor(of token: String) -> Vendor? {
        vendors.first { token.hasPrefix($0.prefix) }?.vendor
    }

    /// What to run to learn the token's scopes and expiry (RFC 7662 introspection, or the vendor's way).
    static func checks(for token: String) -> [String] {
        var out: [String] = []
        if let v = vendor(of: token) { out.append(v.check) }
        out.append(#"ask the issuer (RFC 7662 introspection): printf %s "$TOKEN" | curl -s -u "$CLIENT_ID:$CLIENT_SECRET" --data-urlencode token@- "$INTROSPECTION_ENDPOINT""#)
        return out
    }
}
