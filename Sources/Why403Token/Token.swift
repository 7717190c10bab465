import Why403Core

/// The token layer of why403. Entry points: `TokenAnalyzer` (being built).
public enum TokenModule {}

/// What a response said about authorization, for correlation with the token that was sent
/// (used by `why403 probe --bearer`).
public struct AuthResponseFacts: Sendable, Equatable {
    public var status: Int
    /// Raw `WWW-Authenticate` header values.
    public var wwwAuthenticate: [String]
    /// `x-accepted-oauth-scopes` (GitHub style), comma-separated as sent.
    public var acceptedScopes: String?
    /// `x-oauth-scopes`: what the token was granted, as the server sees it.
    public var grantedScopes: String?
    /// The response body (JSON error bodies: insufficient_scope, PERMISSION_DENIED, ...), capped.
    public var body: String?

    public init(status: Int, wwwAuthenticate: [String] = [], acceptedScopes: String? = nil,
                grantedScopes: String? = nil, body: String? = nil) {
        self.status = status
        self.wwwAuthenticate = wwwAuthenticate
        self.acceptedScopes = acceptedScopes
        self.grantedScopes = grantedScopes
        self.body = body
    }
}

extension TokenModule {
    /// Findings that tie the token sent (raw JWT or opaque) to what the response says, primary first.
    /// Empty when nothing can be said. Never includes the token itself.
    public static func correlate(token: String, with facts: AuthResponseFacts, now: Double) -> [Finding] {
        []
    }
}
