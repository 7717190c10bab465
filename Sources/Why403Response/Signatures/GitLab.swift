import Why403Core

/// GitLab answering for itself: its application rate limiter's 429, "This endpoint has been requested too many
/// times. Try again later." (GitLab's other refusals are its JSON `{"message": "401 Unauthorized"}`, read by the
/// generic application rules.)
enum GitLab {
    static let signatures: [Signature] = [
        Signature(id: "gitlab-rate-limited", product: "GitLab", layer: .application, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.body("This endpoint has been requested too many times")],
                  summary: "GitLab's application rate limit for this endpoint refused the request",
                  checks: ["slow the client down and retry after the Retry-After interval; an administrator sets these limits under Admin > Settings > Network"],
                  specificity: 70),
    ]
}
