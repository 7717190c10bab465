import Why403Core

/// Ocelot, the .NET API gateway, answering for itself: its rate limiter's 429 text "API calls quota exceeded! maximum
/// admitted N per P." (capitalised "Maximum" from 25.0), with Retry-After; its authentication and authorisation
/// refusals have empty bodies and name nothing. From its source (`Benchmarks/field/documented/gateways-3.json`).
enum Ocelot {
    static let signatures: [Signature] = [
        Signature(id: "ocelot-rate-limit", product: "Ocelot", layer: .apiGateway, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.any([.body("API calls quota exceeded! maximum admitted"), .body("API calls quota exceeded! Maximum admitted")])],
                  summary: "Ocelot's rate limiting refused the request (\"API calls quota exceeded! maximum admitted[ {limit}]…\")",
                  extract: [Extract("limit", "limit", from: [.body(after: "aximum admitted", chars: .line)])],
                  checks: ["the route's RateLimitOptions (Limit, Period, PeriodTimespan) and GlobalConfiguration.RateLimitOptions in ocelot.json; ClientWhitelist exempts a client id (ClientIdHeader, Oc-Client by default)"],
                  specificity: 72),
    ]
}
