import Why403Core

/// Azure DevOps Services and Server answering for themselves (the `application` layer): the service's wrapped-exception
/// envelope (`{"$id":"1","innerException":null,"message":"TF400813: …","typeName":"…","typeKey":"UnauthorizedRequestException",
/// "errorCode":0,"eventId":3000}`, the shape the .NET and Node clients' `WrappedException` reads), and its TF/VS message codes
/// wherever a client prints them alone: TF400813 (not authorized; anonymous or an unknown identity), the expired personal
/// access token, VS30063 (not authorized for the organization), TF401027 (a missing Git permission) and TF400733 (the global
/// consumption limit, 429, with its X-RateLimit-* headers); from Azure DevOps' documentation and clients
/// (`Benchmarks/field/documented/git-hosts.json`).
enum AzureDevOps {
    static let codes = ["TF400813:", "TF400733:", "VS30063:", "TF401027:", "Access Denied: The Personal Access Token used has expired"]

    static let signatures: [Signature] = [
        Signature(id: "azure-devops-error", product: "Azure DevOps", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any(codes.map { Condition.body($0) }
                              + [.all([.body("\"typeKey\""), .body("\"typeName\""), .body("\"eventId\""), .body("Microsoft.")])])],
                  summary: "Azure DevOps refused the request[: {msg}]",
                  extract: [Extract("msg", "message", from: [.json("message"), .body(after: "TF400813:", chars: .line), .body(after: "TF400733:", chars: .line),
                                                             .body(after: "VS30063:", chars: .line), .body(after: "TF401027:", chars: .line),
                                                             .body(after: "Access Denied:", chars: .line)]),
                            Extract("type", "type", from: [.json("typeKey")])],
                  checks: ["a personal access token must belong to the organization called, be unexpired and carry the scope the API needs (User settings > Personal access tokens)",
                           "the organization's Users page: the identity must be a member with an access level that includes this area"],
                  variants: [
                      Variant("msg", ["*TF400733*", "*Request was blocked due to exceeding usage of resource*"], cause: .rateLimit, confidence: .certain,
                              summary: "Azure DevOps' global consumption limit blocked the request (TF400733): wait for Retry-After",
                              checks: ["the X-RateLimit-Resource header names the exhausted resource; spread the calls out or use a service principal with its own limit"]),
                      Variant("msg", ["*Resource not available for anonymous access*"], cause: .authMissing, confidence: .certain,
                              summary: "Azure DevOps got no credentials (TF400813: Resource not available for anonymous access)",
                              checks: ["send a personal access token as Basic auth (any user name, the token as password) or a Microsoft Entra bearer token"]),
                      Variant("msg", ["*Personal Access Token used has expired*"], cause: .authInvalid, confidence: .certain,
                              summary: "Azure DevOps refused an expired personal access token",
                              checks: ["renew or regenerate the token (User settings > Personal access tokens) and update the client's secret"]),
                      // TF400813 with an empty identity: the credential named nobody the organization knows.
                      Variant("msg", ["*The user '' is not authorized*"], cause: .authInvalid, confidence: .likely,
                              summary: "Azure DevOps did not recognise the credentials (TF400813 for an empty identity): a wrong, revoked or other-organization token"),
                      Variant("msg", ["*TF401027*", "*You need the Git*permission*"], cause: .authRole, confidence: .certain,
                              summary: "Azure DevOps knows the user but it lacks a Git permission ({msg})",
                              checks: ["Project settings > Repositories > the repository > Security: the permission named (Contribute, Create branch, Force push…) for the user or its group"]),
                  ],
                  specificity: 64),
    ]
}
