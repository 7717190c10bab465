import Why403Core

/// FastAPI's security classes (fastapi/security: HTTPBearer, HTTPBasic, APIKeyHeader, OAuth2PasswordBearer) answering for
/// the application in Starlette's `{"detail": …}`: "Not authenticated" when the credential is absent (403 until 0.122, 401 with a
/// challenge since), "Invalid authentication credentials" when the Authorization header's scheme is not the one expected.
enum FastAPI {
    static let signatures: [Signature] = [
        Signature(id: "fastapi-security", product: "FastAPI", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  when: [.jsonKey(["detail"]), .any([.body("\"Not authenticated\""), .body("\"Invalid authentication credentials\"")])],
                  summary: "the FastAPI application's security dependency refused the request[: {msg}]",
                  extract: [Extract("msg", "detail", from: [.json("detail")])],
                  checks: ["the route's security dependency (HTTPBearer, HTTPBasic, APIKeyHeader, OAuth2PasswordBearer) and where it reads the credential (Authorization: Bearer …, the API key header's name)"],
                  variants: [
                      Variant("msg", ["Not authenticated"], cause: .authMissing, confidence: .certain,
                              summary: "the FastAPI application found no credential where its security dependency reads one (\"Not authenticated\")",
                              checks: ["send the credential the dependency expects: Authorization: Bearer TOKEN (HTTPBearer, OAuth2PasswordBearer), Basic (HTTPBasic), or the API key header"]),
                      Variant("msg", ["Invalid authentication credentials"], cause: .authInvalid, confidence: .likely,
                              summary: "the FastAPI application did not accept the Authorization header (\"Invalid authentication credentials\": its scheme is not the one the dependency expects)",
                              checks: ["the Authorization header's scheme must be the dependency's (Bearer for HTTPBearer, Basic for HTTPBasic), followed by the credential"]),
                  ],
                  specificity: 58),
    ]
}
