import Why403Core

/// Azure Storage: `x-ms-request-id`, `x-ms-error-code`, `server: Windows-Azure-Blob/1.0`, and the XML
/// `<Error><Code>…</Code><Message>…RequestId:…</Message></Error>` body.
enum AzureStorage {
    /// An SDK's JSON dump of the error code (`"ErrorCode":"AuthorizationPermissionMismatch"`). Matching is
    /// case-insensitive, so the bare key would also match Okta's and Auth0's `"errorCode":`: Azure's own
    /// code values are required.
    static let azureCodes = ["Authorization", "Authentication", "NoAuthenticationInformation", "PublicAccessNotPermitted",
                             "KeyBasedAuthenticationNotPermitted", "InsufficientAccountPermissions"]
    static let azureJSONCode: Condition = .any(azureCodes.flatMap {
        [Condition.body("\"ErrorCode\":\"" + $0), .body("\"ErrorCode\": \"" + $0)]
    })
    /// The SDKs' text form (`ErrorCode:AuthorizationPermissionMismatch`), with Azure's own code values for
    /// the same reason: Okta's PowerShell module prints `errorCode: E0000011`.
    static let azureTextCode: Condition = .any(azureCodes.flatMap { [Condition.body("ErrorCode:" + $0), .body("ErrorCode: " + $0)] })
    /// Azure Storage's own authentication and authorisation error codes, spelt out: Azure Resource Manager
    /// answers `AuthorizationFailed` (and also `AuthenticationFailed`) in the same JSON envelope.
    static let storageCodes = ["AuthenticationFailed", "AuthorizationFailure", "AuthorizationPermissionMismatch", "AuthorizationSourceIPMismatch",
                               "AuthorizationProtocolMismatch", "AuthorizationResourceTypeMismatch", "AuthorizationServiceMismatch",
                               "NoAuthenticationInformation", "InvalidAuthenticationInfo", "PublicAccessNotPermitted",
                               "KeyBasedAuthenticationNotPermitted", "InsufficientAccountPermissions"]
    /// One of those codes, as a JSON string value (the Table service's `{"odata.error":{"code":"AuthorizationPermissionMismatch",…}}`).
    static let storageCode: Condition = .any(storageCodes.map { Condition.body("\"" + $0 + "\"") })
    /// The Table service's JSON error: `odata.error` with a storage code (Microsoft's Table service error codes page).
    static let tableEnvelope: Condition = .all([.body("\"odata.error\""), storageCode])
    /// The `x-ms-error-code` header with one of those codes (behind a proxy that rewrote `Server`).
    static let azureErrorHeader: Condition = .any(storageCodes.map { Condition.headerContains("x-ms-error-code", $0) })
    /// The Data Lake (dfs) endpoint's JSON envelope, `{"error":{"code":"AuthenticationFailed","message":"…\nRequestId:…\nTime:…"}}`:
    /// a storage code and the RequestId line of Storage's messages (ARM's messages have none). Both must hold.
    static let azureDfsEnvelope: Condition = .not(.any([
        .not(.any(storageCodes.flatMap { [Condition.body("{\"error\":{\"code\":\"" + $0 + "\""), .body("\"error\": {\"code\": \"" + $0 + "\"")] })),
        .not(.body("RequestId:")),
    ]))

    static let signatures: [Signature] = [
        Signature(id: "azure-storage", product: "Azure Storage", layer: .azureStorage, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 409],
                  when: [.any([.header("x-ms-request-id"), .headerContains("server", "Windows-Azure"), .body("<AuthenticationErrorDetail>"), .body("Time:20"),
                               .body("x-ms-request-id"), azureTextCode, azureJSONCode, azureErrorHeader, azureDfsEnvelope, tableEnvelope]),
                         .any([.header("x-ms-error-code"), .body("<Code>"), azureTextCode, .body("x-ms-error-code:"), azureJSONCode, azureDfsEnvelope, tableEnvelope])],
                  summary: "Azure Storage refused with {code}[ (request id {reqid})]",
                  extract: [Extract("code", "error code", from: [.header("x-ms-error-code"), .xml("Code"), .body(after: "ErrorCode:", chars: .identifier),
                                                                .body(after: "x-ms-error-code:", chars: .identifier), .body(after: "ErrorCode\":", chars: .identifier), .json("code")]),
                            Extract("reqid", "request id", from: [.header("x-ms-request-id"), .body(after: "RequestId:", chars: .identifier)]),
                            Extract("detail", "detail", from: [.xml("AuthenticationErrorDetail")])],
                  lookup: "find the request[ (id {reqid})] in the storage account's diagnostic logs (StorageBlobLogs, column CorrelationId); Azure support asks for it",
                  checks: ["the storage account's networking: public network access, firewall IP rules and allowed virtual networks",
                           "a SAS: its permissions (sp), expiry (se), allowed IPs (sip) and protocol (spr)",
                           "Azure RBAC: the caller needs a data role such as Storage Blob Data Reader on the account or container"],
                  variants: [
                      Variant("code", ["AuthorizationFailure"], cause: .unknown, confidence: .likely,
                              summary: "\"This request is not authorized to perform this operation\" (AuthorizationFailure): most often the storage firewall, else the SAS or role[ (request id {reqid})]"),
                      Variant("code", ["AuthenticationFailed", "InvalidAuthenticationInfo"], cause: .authInvalid, confidence: .certain,
                              summary: "the signature or token was not accepted ({code})[: {detail}][ (request id {reqid})]",
                              checks: ["a SAS past its expiry (se) or signed with a rotated account key", "a shared-key signature over a different canonical request", "an Entra ID token for the wrong audience (https://storage.azure.com/)"]),
                      Variant("code", ["AuthorizationPermissionMismatch"], cause: .authRole, confidence: .certain,
                              summary: "the caller is authenticated but its role does not allow this operation[ (request id {reqid})]",
                              fixes: [Fix(summary: "assign the least data role that allows it, on the container", commands: ["az role assignment create --assignee PRINCIPAL --role \"Storage Blob Data Reader\" --scope CONTAINER_RESOURCE_ID"])]),
                      Variant("code", ["AuthorizationSourceIPMismatch"], cause: .accessIP, confidence: .certain,
                              summary: "the SAS allows other source addresses (sip) than the client's[ (request id {reqid})]"),
                      Variant("code", ["AuthorizationProtocolMismatch"], cause: .accessDeny, confidence: .certain,
                              summary: "the SAS allows only HTTPS (spr=https) and the request used HTTP[ (request id {reqid})]"),
                      Variant("code", ["AuthorizationResourceTypeMismatch", "AuthorizationServiceMismatch"], cause: .authScope, confidence: .certain,
                              summary: "the SAS does not cover this operation ({code})[ (request id {reqid})]"),
                      Variant("code", ["PublicAccessNotPermitted"], cause: .policyPublicAccessBlock, confidence: .certain,
                              summary: "public access is not permitted on this storage account[ (request id {reqid})]"),
                      Variant("code", ["NoAuthenticationInformation"], cause: .authMissing, confidence: .certain,
                              summary: "no credentials were sent and the container is not public[ (request id {reqid})]"),
                      Variant("code", ["KeyBasedAuthenticationNotPermitted"], cause: .authInvalid, confidence: .certain,
                              summary: "shared-key (and account SAS) authorisation is disabled on this account: use Entra ID[ (request id {reqid})]"),
                  ],
                  specificity: 80),
    ]
}
