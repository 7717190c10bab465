import Why403Core

/// Go's net/http answering for the application: `http.CrossOriginProtection` (1.25+) refusing a cross-origin state-changing
/// request in plain text. Its bare `http.Error` status words ("Forbidden\n") name nothing and are left to the fallback; from
/// its sources (`Benchmarks/field/documented/frameworks.json`).
enum GoNetHTTP {
    static let signatures: [Signature] = [
        Signature(id: "go-cross-origin-protection", product: "Go net/http (CrossOriginProtection)", layer: .application, cause: .appForbidden, confidence: .certain,
                  statuses: [403],
                  when: [.body("cross-origin request detected")],
                  summary: "the Go application's cross-origin protection (net/http CrossOriginProtection, Go 1.25+) refused a state-changing request from another origin",
                  extract: [Extract("why", "reason", from: [.body(after: "cross-origin request detected", chars: .line)])],
                  checks: ["a browser's Sec-Fetch-Site: cross-site (or, without it, an Origin unlike the Host) on a POST, PUT, PATCH or DELETE is refused: call from the same origin or add the caller with AddTrustedOrigin",
                           "a proxy that rewrites Host without keeping the Origin consistent fails the fallback check"],
                  specificity: 62),
    ]
}
