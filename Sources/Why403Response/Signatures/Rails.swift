import Why403Core

/// Ruby on Rails answering for the application: the static pages in `public/` it serves for errors, the 422 one
/// "The change you wanted was rejected." / "Maybe you tried to change something you didn't have access to." (served
/// for any unprocessable request: an invalid authenticity token (CSRF) among others, so it names no cause alone).
enum Rails {
    static let signatures: [Signature] = [
        Signature(id: "rails-422-page", product: "Ruby on Rails", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [422],
                  when: [.body("The change you wanted was rejected")],
                  summary: "the Rails application refused the request with its 422 page (\"The change you wanted was rejected\")",
                  checks: ["the application's log names the exception: ActionController::InvalidAuthenticityToken is a CSRF failure (a stale form, a missing session cookie, a proxy that changes the Origin or scheme), ActiveRecord::RecordInvalid a validation"],
                  specificity: 60, disguised: true),
        // ActionController's HTTP authentication (`http_basic_authenticate_with`, `authenticate_or_request_with_http_basic`,
        // `…_http_token`, `…_http_digest`) answers 401 with the text "HTTP Basic: Access denied.\n" (Token, Digest) both when
        // no credentials came and when they did not match: the body does not say which.
        Signature(id: "rails-http-authentication", product: "Ruby on Rails (ActionController HTTP authentication)", layer: .application,
                  cause: .unknown, confidence: .likely,
                  statuses: [401],
                  when: [.any([.bodyIs("HTTP Basic: Access denied."), .bodyIs("HTTP Token: Access denied."), .bodyIs("HTTP Digest: Access denied.")])],
                  summary: "the Rails application's HTTP {scheme} authentication refused the request: no credentials, or ones it did not accept",
                  extract: [Extract("scheme", "scheme", from: [.body(after: "HTTP ", chars: .alphanumeric)])],
                  checks: ["the controller's http_basic_authenticate_with / authenticate_or_request_with_http_basic (…_token, …_digest) call: the name and password (or token) it compares",
                           "a proxy in front (nginx, Apache's mod_proxy) must pass the Authorization header on"],
                  specificity: 60),
        // Rack::Attack's default responders (the Ruby middleware in front of Rails and other Rack applications; GitLab uses
        // it too): a throttle answers 429 with the text "Retry later\n", a blocklist 403 with "Forbidden\n" (which names
        // nothing and is left alone).
        Signature(id: "rack-attack-throttled", product: "Rack::Attack", layer: .application, cause: .rateLimit, confidence: .likely,
                  statuses: [429],
                  when: [.bodyIs("Retry later")],
                  summary: "the application's Rack::Attack throttle held the client back (its default answer \"Retry later\")",
                  extract: [Extract("name", "RateLimit-Name", from: [.header("ratelimit-name")]),
                            Extract("reset", "RateLimit-Reset", from: [.header("ratelimit-reset")])],
                  checks: ["the application's config/initializers/rack_attack.rb: the throttle's limit and period and its discriminator (the client address behind a proxy needs the trusted proxies set)",
                           "GitLab: Admin > Settings > Network > User and IP rate limits[ (the throttle {name})]"],
                  specificity: 58),
    ]
}
