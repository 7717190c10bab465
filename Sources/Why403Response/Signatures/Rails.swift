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
    ]
}
