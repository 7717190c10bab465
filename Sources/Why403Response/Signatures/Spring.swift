import Why403Core

/// Spring Boot's fallback error page ("Whitelabel Error Page … There was an unexpected error
/// (type=Forbidden, status=403).") or its JSON twin (`{"timestamp": …, "status": 403, "error": "Forbidden",
/// "message": "Access Denied", "path": "/api/…"}`), and the message they carry: Spring Security's "Access is denied" (an
/// authenticated user without the authority) or "Invalid CSRF Token" (the application's CSRF filter).
/// The `application` layer: the application answered itself.
enum Spring {
    static let signatures: [Signature] = [
        Signature(id: "spring-whitelabel", product: "Spring Boot", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  // The Whitelabel page, or Spring Boot's JSON error body ({"timestamp", "status", "error", "message", "path"}):
                  // (W or timestamp) and (W or path) is W or (timestamp and path).
                  when: [.any([.body("Whitelabel Error Page"), .jsonKey(["timestamp"])]), .any([.body("Whitelabel Error Page"), .body("\"path\"")]),
                         .any([.body("type=Forbidden"), .body("type=Unauthorized"), .body("status=403"), .body("status=401"),
                               .body("\"error\":\"Forbidden\""), .body("\"error\": \"Forbidden\""), .body("\"error\":\"Unauthorized\""), .body("\"error\": \"Unauthorized\"")])],
                  summary: "Spring Boot's error response (Whitelabel page or JSON error body): the application refused[: {msg}]",
                  extract: [Extract("msg", "message", from: [.body(after: "status=403).", chars: .line), .body(after: "status=401).", chars: .line), .json("message")])],
                  checks: ["the application's Spring Security configuration (authorizeHttpRequests / @PreAuthorize) for this path and the user's authorities",
                           "the application log at DEBUG for org.springframework.security names the filter that denied"],
                  variants: [
                      Variant("msg", ["Invalid CSRF Token*", "*CSRF*"], cause: .appForbidden, confidence: .certain,
                              summary: "Spring Security's CSRF filter refused the request: {msg}",
                              checks: ["the form or request must send the current _csrf token (parameter or X-CSRF-TOKEN header) of the same session; an expired session gives a new token"]),
                  ],
                  specificity: 55),
        // Spring Security's StrictHttpFirewall throws RequestRejectedException for URLs with ";", "//", encoded
        // slashes and the like; Spring Boot renders it as its JSON error body (500 before Spring Security 5.4's
        // handler, 400 with it).
        // Spring Security's reactive CSRF filter writes its reason as the plain body (CsrfWebFilter: "An expected CSRF token
        // cannot be found", "Invalid CSRF Token"), without Boot's error page.
        Signature(id: "spring-webflux-csrf", product: "Spring Security (WebFlux)", layer: .application, cause: .appForbidden, confidence: .certain,
                  statuses: [403],
                  when: [.body("An expected CSRF token cannot be found")],
                  summary: "Spring Security's CSRF filter refused the request: no CSRF token came with it",
                  checks: ["a state-changing request must carry the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN header (or the _csrf parameter)"],
                  specificity: 56),
        Signature(id: "spring-request-rejected", product: "Spring Security", layer: .application, cause: .wafRule, confidence: .certain,
                  statuses: [400, 500],
                  when: [.any([.body("Whitelabel Error Page"), .jsonKey(["timestamp"])]),
                         .body("The request was rejected because the URL")],
                  summary: "Spring Security's StrictHttpFirewall rejected the URL[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "The request was rejected because", chars: .line)])],
                  checks: ["the path or query carries what the firewall refuses: \";\" (matrix parameters), \"//\", \"%2F\", \"%25\", \"..\" or a non-printable character"],
                  fixes: [Fix(summary: "send a normalised URL; only if the application needs it, allow exactly that character on StrictHttpFirewall (setAllowSemicolon and similar), never switch the firewall off")],
                  specificity: 60),
        // Spring Security's entry point for an anonymous caller: "Full authentication is required to access this resource"
        // (its InsufficientAuthenticationException), in Spring Security OAuth2's JSON or XML error or a whitelabel page. (Through
        // Tomcat's status report it is a variant of `tomcat-status-report`.)
        Signature(id: "spring-full-authentication", product: "Spring Security", layer: .application, cause: .authMissing, confidence: .likely,
                  statuses: [401, 403],
                  when: [.body("Full authentication is required to access this resource"), .not(.body("HTTP Status 401")), .not(.body("HTTP Status 403"))],
                  summary: "Spring Security found the caller anonymous: \"Full authentication is required to access this resource\" (no credentials it accepted)",
                  checks: ["the token or session the client sends must reach Spring Security's filter (Authorization: Bearer for a resource server; a proxy or the servlet container can drop it)",
                           "the security filter chain's matchers: the URL needs authentication"],
                  specificity: 56),
    ]
}
