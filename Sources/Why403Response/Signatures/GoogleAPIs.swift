import Why403Core

/// Google APIs answering for themselves (the `application` layer): `{"error": {"code": 403, "message":
/// …, "status": "PERMISSION_DENIED", "errors": [{"reason": "insufficientPermissions", "domain": "global"}],
/// "details": [{"reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}]}}`, often with `server: ESF` and a
/// `WWW-Authenticate: Bearer realm="https://accounts.google.com/"` challenge. The Java client prints the
/// inner error object alone (`{ "code" : 403, "errors" : [ { "domain" : "global", … } ], "message" : … }`,
/// spaces around the colons); a logged body can be invalid JSON (a raw newline in the message), so the
/// message is also read as the text after `"message":`. The Node client logs the errors array as
/// `util.inspect` prints it (`errors: [ { domain: 'global', reason: '…', message: '…' } ]`). Clients that print one
/// line: google-api-python-client's `<HttpError 403 when requesting https://….googleapis.com/… returned "…">`,
/// fastlane's `Google Api Error: <reason>: <message> - <message>`; a tool that wraps Google's error as an escaped
/// string (`\"status\": \"PERMISSION_DENIED\"`); google-api-core's exception line
/// (`google.api_core.exceptions.ResourceExhausted: 429 Quota exceeded for quota metric …`). A 400 (an invalid
/// API key, a quota some APIs answer with 400) counts only when a variant names the cause. Cloud Storage's own errors are the `gcs` layer (GoogleCloudStorage.swift).
enum GoogleAPIs {
    static let signatures: [Signature] = [
        // Google's front end (GFE) answering for a serverless service or a Firebase Hosting rewrite to one: its
        // "Error: Forbidden" page, "Your client does not have permission to get URL /path from this server." A Cloud Run
        // service or Cloud Function that requires authentication answers so to a request without an identity token,
        // and so does a rewrite to a function that does not exist: the page does not say which.
        Signature(id: "google-frontend-forbidden", product: "Google front end (Cloud Run, Cloud Functions, Firebase Hosting)",
                  layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403],
                  // the 401 form (a Cloud Run service behind a proxy that sent no identity token):
                  // "Error: Unauthorized / Your client does not have permission to the requested URL /."
                  when: [.any([.body("Your client does not have permission to get URL"), .body("Your client does not have permission to the requested URL")])],
                  summary: "Google's front end refused the URL[ {url}] for the service behind it (Cloud Run, Cloud Functions, App Engine or a Firebase Hosting rewrite)",
                  extract: [Extract("url", "URL", from: [.body(after: "permission to get URL", chars: .identifier), .body(after: "permission to the requested URL", chars: .identifier)])],
                  checks: ["a service that requires authentication: send an identity token (from `gcloud auth print-identity-token`) in the Authorization header, from a principal with roles/run.invoker or roles/cloudfunctions.invoker, or grant allUsers the invoker role for a public one",
                           "a Firebase Hosting rewrite: the function it names must exist in the region Hosting calls (us-central1 unless set) and allow unauthenticated invocation",
                           "Cloud Logging for the service shows whether the request reached it (no entry: the front end refused it)"],
                  specificity: 58),
        Signature(id: "google-api-error", product: "Google APIs", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [400, 401, 403, 429],
                  when: [.any([.body("\"PERMISSION_DENIED\""), .body("\"UNAUTHENTICATED\""), .body("\"RESOURCE_EXHAUSTED\""),
                               .body("googleapis.com"), .headerContains("server", "ESF"), .headerContains("www-authenticate", "accounts.google.com"),
                               .body("\"domain\": \"global\""), .body("\"domain\":\"global\""), .body("\"domain\" : \"global\""), .body("domain: 'global'"),
                               // The legacy errors array of a key-restriction refusal: {"domain":"usageLimits","reason":"ipRefererBlocked",…}.
                               .body("\"domain\":\"usageLimits\""), .body("\"domain\": \"usageLimits\""),
                               // Google's envelope escaped inside another tool's JSON string.
                               .body("\\\"PERMISSION_DENIED\\\""),
                               // fastlane's rendering of a Google API error.
                               .body("Google Api Error:"), .body("google.api_core.exceptions."),
                               // the .NET client's RequestError text (`Message[…] Location[…] Reason[…] Domain[…]`)
                               .body("Google.Apis.Requests.RequestError")]),
                         .any([.body("Google.Apis.Requests.RequestError"), .body("\"error\""), .body("\"errors\""), .body("errors: ["), .body("\"domain\":\"usageLimits\""), .body("\"domain\": \"usageLimits\""),
                               // google-api-python-client's HttpError repr, with the googleapis.com URL it requested
                               .body("<HttpError "), .body("Google Api Error:"), .body("google.api_core.exceptions.")]), .not(.body("storage.objects.")), .not(.body("storage.buckets."))],
                  summary: "a Google API refused[: {msg}][ ({status})]",
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "\"message\":", chars: .line), .body(after: "message: '", chars: .line),
                                                             .body(after: "returned \"", chars: .line), .body(after: "Google Api Error:", chars: .line),
                                                             .body(after: "google.api_core.exceptions.", chars: .line), .body(after: "Message[", chars: .line)]),
                            Extract("status", "status", from: [.json("status")]),
                            // the first `reason`: the legacy errors[] reason, or google.rpc.ErrorInfo's in details[] (AIP-193)
                            Extract("reason", "reason", from: [.body(after: "\"reason\": \"", chars: .identifier), .body(after: "\"reason\":\"", chars: .identifier),
                                                               .body(after: "reason: '", chars: .identifier)])],
                  checks: ["the message and the ErrorInfo reason name the refusal: a missing OAuth scope, a missing IAM permission, an API not enabled, a quota"],
                  variants: [
                      // Google's quota for callers that send no API key and no OAuth token (`dailyLimitExceededUnreg`): the
                      // request carried no credential Google read.
                      Variant("msg", ["*Daily Limit for Unauthenticated Use Exceeded*"], cause: .authMissing, confidence: .likely,
                              summary: "a Google API got no API key or OAuth token and counted the call against the quota for unauthenticated use: {msg}",
                              checks: ["send the API key (`key=` or x-goog-api-key) or an OAuth token with the request; a client that lost its token after a refresh sends none"]),
                      Variant("msg", ["*Requests from referer*", "*did not specify any referer*", "*API_KEY_HTTP_REFERRER_BLOCKED*"],
                              cause: .hotlinkReferer, confidence: .certain,
                              summary: "a Google API refused the API key's HTTP-referrer restriction: {msg}",
                              checks: ["Google Cloud console > APIs & Services > Credentials > the key: its Website restrictions must list the page's origin; a server-side caller sends no Referer (use a key restricted by IP or API instead)"]),
                      Variant("msg", ["*insufficient authentication scopes*", "*Insufficient Permission*", "*ACCESS_TOKEN_SCOPE_INSUFFICIENT*"],
                              cause: .authScope, confidence: .certain,
                              summary: "a Google API says the OAuth token lacks a scope it needs: {msg}",
                              checks: ["request the token with the scope the API's method documents (the WWW-Authenticate header's scope= lists them), then consent again"]),
                      // "Daily Limit Exceeded", "User Rate Limit Exceeded" (the legacy usageLimits reasons' messages)
                      Variant("msg", ["*rate limit*", "*quota*", "*Quota exceeded*", "*Resource exhausted*", "ResourceExhausted*", "*Limit Exceeded*"], cause: .rateLimit, confidence: .certain,
                              summary: "a Google API quota or rate limit was exceeded: {msg}"),
                      Variant("msg", ["*API key not valid*", "*invalid authentication credentials*", "*Invalid Credentials*", "*expired*"],
                              cause: .authInvalid, confidence: .certain, summary: "a Google API rejected the credentials: {msg}"),
                      // Google disables a key found in public (leaked-credential scanning): "Your API key was reported as leaked.
                      // Please use another API key." — the key is refused for good, whatever it may call.
                      Variant("msg", ["*API key was reported as leaked*"], cause: .authInvalid, confidence: .certain,
                              summary: "Google refuses this API key: it was reported as leaked ({msg})",
                              checks: ["create a new key (APIs & Services > Credentials), restrict it, and keep it out of public code; delete the leaked one"]),
                      Variant("msg", ["*missing required authentication credential*", "*Login Required*", "*unregistered callers*",
                                      // "The request is missing a valid API key." (no key and no OAuth token sent)
                                      "*missing a valid API key*"],
                              cause: .authMissing, confidence: .certain, summary: "a Google API got no credentials: {msg}"),
                      // IAM's own sentence, "Permission 'storage.objects.get' denied on resource (or it may not exist)." (the
                      // errors[] reason before it is the legacy `forbidden`, so the reason variants below do not see ErrorInfo's).
                      Variant("msg", ["*caller does not have permission*", "*does not have permission*", "*Permission denied*", "*IAM_PERMISSION_DENIED*",
                                      "*Permission '*' denied on *"],
                              cause: .authRole, confidence: .likely,
                              summary: "a Google API says the caller lacks the IAM permission: {msg}",
                              checks: ["gcloud projects get-iam-policy PROJECT: grant the caller a role with the permission the method needs"]),
                      // The reason names it where the message does not: google/api/error_reason.proto's ErrorInfo reasons and the
                      // legacy errors[] reasons Google documents for its v1 APIs (`Benchmarks/field/documented/google-2.json`).
                      Variant("reason", ["API_KEY_IP_ADDRESS_BLOCKED"], cause: .accessIP, confidence: .certain,
                              summary: "a Google API refused the API key's IP address restriction (API_KEY_IP_ADDRESS_BLOCKED)[: {msg}]",
                              checks: ["Google Cloud console > APIs & Services > Credentials > the key: its IP address restriction must list the caller's egress address"]),
                      Variant("reason", ["API_KEY_HTTP_REFERRER_BLOCKED", "ipRefererBlocked"], cause: .hotlinkReferer, confidence: .certain,
                              summary: "a Google API refused the API key's HTTP-referrer restriction ({reason})[: {msg}]",
                              checks: ["Google Cloud console > APIs & Services > Credentials > the key: its Website restrictions must list the page's origin"]),
                      Variant("reason", ["ACCESS_TOKEN_SCOPE_INSUFFICIENT"], cause: .authScope, confidence: .certain,
                              summary: "a Google API says the OAuth token lacks a scope it needs (ACCESS_TOKEN_SCOPE_INSUFFICIENT)[: {msg}]"),
                      Variant("reason", ["ACCESS_TOKEN_EXPIRED", "API_KEY_INVALID", "ACCESS_TOKEN_TYPE_UNSUPPORTED", "SESSION_COOKIE_INVALID", "keyInvalid", "authError"],
                              cause: .authInvalid, confidence: .certain,
                              summary: "a Google API rejected the credentials ({reason})[: {msg}]"),
                      Variant("reason", ["CREDENTIALS_MISSING"], cause: .authMissing, confidence: .certain,
                              summary: "a Google API got no credentials ({reason})[: {msg}]"),
                      Variant("reason", ["RATE_LIMIT_EXCEEDED", "RESOURCE_QUOTA_EXCEEDED", "rateLimitExceeded", "userRateLimitExceeded", "dailyLimitExceeded", "quotaExceeded"],
                              cause: .rateLimit, confidence: .certain,
                              summary: "a Google API quota or rate limit was exceeded ({reason})[: {msg}]"),
                      Variant("reason", ["IAM_PERMISSION_DENIED"], cause: .authRole, confidence: .likely,
                              summary: "a Google API says the caller lacks the IAM permission (IAM_PERMISSION_DENIED)[: {msg}]",
                              checks: ["gcloud projects get-iam-policy PROJECT: grant the caller a role with the permission the method needs"]),
                      // The status names it where the message does not (Vertex AI: "Resource exhausted. Please try again later.").
                      Variant("status", ["RESOURCE_EXHAUSTED"], cause: .rateLimit, confidence: .certain,
                              summary: "a Google API quota or rate limit was exceeded (RESOURCE_EXHAUSTED)[: {msg}]"),
                  ],
                  specificity: 55),
        // Identity-Aware Proxy in front of an App Engine, Cloud Run or GKE service: a token it could not accept, with its reason.
        Signature(id: "google-iap-invalid-credentials", product: "Google Identity-Aware Proxy", layer: .application, cause: .authInvalid,
                  confidence: .certain,
                  statuses: [401],
                  when: [.body("Invalid IAP credentials")],
                  summary: "Google's Identity-Aware Proxy rejected the token sent[: {reason}]",
                  extract: [Extract("reason", "reason", from: [.body(after: "Invalid IAP credentials:", chars: .line)])],
                  checks: ["IAP takes a Google-signed OIDC ID token whose audience is the IAP OAuth client id (`gcloud auth print-identity-token --audiences=CLIENT_ID` for a user, or the service account's ID token for that audience)",
                           "decode the token: `why403 token TOKEN` (aud, email, exp)"],
                  specificity: 80),
        // Google's front end's legacy HTML error page (the FCM legacy endpoint's 401, older Google services): upper-case
        // tags, `<BODY BGCOLOR="#FFFFFF" TEXT="#000000">`, the reason phrase as `<H1>` and `<H2>Error 401</H2>`. It names
        // neither the service nor the reason: the layer is Google's answer, the cause unknown.
        Signature(id: "google-legacy-error-page", product: "Google front end (legacy error page)", layer: .application, cause: .unknown, confidence: .possible,
                  statuses: [401, 403, 429],
                  when: [.body("<BODY BGCOLOR=\"#FFFFFF\" TEXT=\"#000000\">"), .any([.body("<H2>Error 401</H2>"), .body("<H2>Error 403</H2>"), .body("<H2>Error 429</H2>")])],
                  summary: "a Google service's front end answered with its legacy error page[ ({title})]: the page names neither the service's reason nor the rule",
                  extract: [Extract("title", "title", from: [.xml("TITLE")])],
                  checks: ["the Google API or endpoint called: a legacy endpoint (FCM's fcm.googleapis.com/fcm/send with a server key) answers 401 when the key is not accepted, or the API is retired for the project",
                           "send the request with the credential the API documents today (an OAuth 2.0 access token for FCM HTTP v1)"],
                  specificity: 45),
        // A quota message some Google APIs' clients print without the envelope (YouTube's daily quota).
        Signature(id: "google-daily-limit", product: "Google APIs", layer: .application, cause: .rateLimit, confidence: .likely,
                  statuses: [403, 429],
                  when: [.body("The quota will be reset at midnight Pacific Time")],
                  summary: "a Google API's daily quota is spent; it is reset at midnight Pacific Time",
                  checks: ["the API's quota page in the Cloud console (APIs & Services > the API > Quotas): the project's usage and limits; request more or wait for the reset"],
                  specificity: 57),
        // The Maps Platform web services (Geocoding, Places, Directions …) answer a refused key inside a 200: their own
        // envelope's `"status": "REQUEST_DENIED"` with `error_message` (older clients print it as a JavaScript object,
        // `status: 'REQUEST_DENIED'`).
        Signature(id: "google-maps-request-denied", product: "Google Maps Platform web services", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [200, 403],
                  when: [.any([.body("\"status\" : \"REQUEST_DENIED\""), .body("\"status\": \"REQUEST_DENIED\""), .body("\"status\":\"REQUEST_DENIED\""),
                               .body("status: 'REQUEST_DENIED'")])],
                  summary: "a Google Maps Platform web service refused the request (REQUEST_DENIED)[: {msg}]",
                  extract: [Extract("msg", "error message", from: [.json("error_message"), .body(after: "error_message: '", chars: .line)])],
                  checks: ["the key's API restrictions list this API, and the API is enabled in the key's project (APIs & Services > Credentials > the key)",
                           "the key's application restrictions (HTTP referrers, IP addresses, Android/iOS apps) admit this caller: a web service call from a server needs an IP-restricted or unrestricted key",
                           "billing is enabled on the project"],
                  specificity: 60, disguised: true),
        // Gemini (and other Google AI APIs) refusing a caller's country: FAILED_PRECONDITION 400 "User location is not
        // supported for the API use." — a refusal by where the request comes from, whatever the status.
        Signature(id: "google-location-unsupported", product: "Google APIs (Gemini)", layer: .application, cause: .geoBlock, confidence: .certain,
                  statuses: [400, 403],
                  when: [.body("User location is not supported for the API use")],
                  summary: "the Google API refused the caller's location (\"User location is not supported for the API use\"): the service is not offered where the request comes from",
                  checks: ["the API's available regions (ai.google.dev/gemini-api/docs/available-regions): the request's egress address decides, not the account's country",
                           "a VPS or proxy in a supported region changes the answer; Vertex AI in a supported Google Cloud region is the supported route"],
                  specificity: 70),
    ]
}
