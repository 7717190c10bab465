import Why403Core

/// Microsoft IIS: `server: Microsoft-IIS/10.0` and its detailed error pages "HTTP Error 403.14 -
/// Forbidden" (local) or "403 - Forbidden: Access is denied." (remote); the sub-status names the cause.
/// A detailed error page titled "IIS 8.0 Detailed Error - 403.0 - Forbidden" names IIS and the
/// sub-status even when a proxy or the site masks the `Server` header. Azure App Service's front ends add their
/// own pages: the stopped-app page and the access-restrictions page. On a site that IIS itself refuses, App Service's
/// Windows workers send only the one-line text "You do not have permission to view this directory or page."
enum IIS {
    static let iis: Condition = .any([.headerContains("server", "Microsoft-IIS"), .body("Internet Information Services"), .body("HTTP Error 403."),
                                      .headerContains("server", "Microsoft-HTTPAPI"), .headerContains("x-powered-by", "ASP.NET"),
                                      .body("403 - Forbidden: Access is denied."), .body("Detailed Error - 403")])
    /// IIS's remote error page in any language: `<h1>Server Error</h1>` … `<h2>403 - …</h2>`.
    static let page: Condition = .any([.body("HTTP Error 403"), .body("403 - Forbidden"), .body("Forbidden URL"), .body("<h2>403 - "), .body("Detailed Error - 403")])

    static let signatures: [Signature] = [
        Signature(id: "iis-403", product: "IIS", layer: .iis, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [iis, page],
                  summary: "IIS refused[ with sub-status {substatus}]; the remote page does not say why",
                  extract: [Extract("substatus", "sub-status", from: [.body(after: "HTTP Error ", chars: .identifier), .body(after: "Detailed Error - ", chars: .identifier)])],
                  lookup: "the IIS log (%SystemDrive%\\inetpub\\logs\\LogFiles\\W3SVC1) has sc-substatus and sc-win32-status for the request",
                  checks: ["the IIS log's sc-substatus: 403.14 no default document, 403.6/403.503 IP restrictions, 403.502 dynamic IP restriction, 403.4 SSL required",
                           "sc-win32-status 5 (access denied): NTFS permissions of the file for the app pool identity (IIS AppPool\\NAME)"],
                  variants: [
                      Variant("substatus", ["403.14"], cause: .indexMissing, confidence: .certain,
                              summary: "403.14: the directory has no default document and directory browsing is off",
                              fixes: [Fix(summary: "add a default document (index.html) or a <defaultDocument> entry; enable directoryBrowse only if listing is wanted")]),
                      Variant("substatus", ["403.6", "403.8", "403.503"], cause: .accessIP, confidence: .certain,
                              summary: "{substatus}: IP address and domain restrictions reject the client",
                              fixes: [Fix(summary: "add the client's address to <ipSecurity> allow entries for this site, only if it should get in")]),
                      Variant("substatus", ["403.501", "403.502"], cause: .rateLimit, confidence: .certain,
                              summary: "{substatus}: dynamic IP restrictions: too many (concurrent) requests from this client"),
                      Variant("substatus", ["403.4", "403.5"], cause: .accessDeny, confidence: .certain,
                              summary: "{substatus}: SSL (128-bit) is required: request over HTTPS"),
                      Variant("substatus", ["403.1", "403.2", "403.3", "403.18", "403.19"], cause: .accessDeny, confidence: .certain,
                              summary: "{substatus}: the handler's access policy (execute/read/write) or the application pool forbids this request"),
                      Variant("substatus", ["403.7"], cause: .authMissing, confidence: .certain,
                              summary: "403.7: a client certificate is required and none was sent"),
                      Variant("substatus", ["403.13", "403.16", "403.17"], cause: .authInvalid, confidence: .certain,
                              summary: "{substatus}: the client certificate is revoked, untrusted or expired"),
                      Variant("substatus", ["403.12", "403.20"], cause: .authRole, confidence: .likely,
                              summary: "{substatus}: the certificate mapping or logon denied this user"),
                  ],
                  specificity: 80),
        // IIS's 401 sub-statuses, on its detailed page ("HTTP Error 401.3 - Unauthorized") or inside ASP.NET's
        // "Server Error in '/' Application." page ("Error message 401.3: ..."); 401.3 states an ACL denial.
        Signature(id: "iis-401-substatus", product: "IIS", layer: .iis, cause: .unknown, confidence: .likely,
                  statuses: [401], when: [.any([.body("Error message 401."), .body("HTTP Error 401.")])],
                  summary: "IIS refused with sub-status[ {substatus}]",
                  extract: [Extract("substatus", "sub-status", from: [.body(after: "Error message ", chars: .identifier), .body(after: "HTTP Error ", chars: .identifier)])],
                  lookup: "the IIS log (%SystemDrive%\\inetpub\\logs\\LogFiles) has sc-substatus and sc-win32-status for the request",
                  variants: [
                      Variant("substatus", ["401.3", "401.3:*"], cause: .fsPermission, confidence: .certain,
                              summary: "401.3: the file's access control list (NTFS ACL) denies the identity IIS runs the request as",
                              fixes: [Fix(summary: "grant read to the application pool identity (IIS AppPool\\NAME) or IUSR on the file or folder, only for what must be served")]),
                      Variant("substatus", ["401.1", "401.1:*"], cause: .authInvalid, confidence: .likely, summary: "401.1: logon failed (the credentials were rejected)"),
                      Variant("substatus", ["401.2", "401.2:*"], cause: .authMissing, confidence: .likely, summary: "401.2: the server's authentication configuration refused the request (no accepted credentials)"),
                  ],
                  specificity: 80),
        // IIS's remote 401 page (custom errors on, the default for remote clients): `<title>401 - Unauthorized: Access is
        // denied due to invalid credentials.</title>` and `<h2>401 - Unauthorized: …</h2>` under "Server Error", pasted as
        // text by PowerShell's Invoke-RestMethod too. IIS words every 401 that way, with credentials or without: the
        // page names the layer, not the cause; a WWW-Authenticate challenge next to it (none sent) says more.
        // IIS's (HTTP.sys's) Windows Authentication asking for Negotiate/NTLM with no page (a HEAD, a curl -I, an empty
        // 401): the challenge names the scheme, the Server header the server; the challenge fills in the cause.
        Signature(id: "iis-windows-auth", product: "IIS", layer: .iis, cause: .unknown, confidence: .likely,
                  statuses: [401],
                  when: [.any([.headerContains("server", "microsoft-iis"), .headerContains("server", "microsoft-httpapi"), .headerContains("x-powered-by", "asp.net")]),
                         .any([.challenge(scheme: "Negotiate", error: nil), .challenge(scheme: "NTLM", error: nil)])],
                  summary: "IIS's Windows Authentication asked for Negotiate/NTLM credentials[ ({scheme})]",
                  extract: [Extract("scheme", "scheme", from: [.challengeScheme])],
                  checks: ["a client outside the domain (curl, a service) must send NTLM or Kerberos credentials (`curl --negotiate -u :` or `--ntlm -u DOMAIN\\user`); Kerberos needs the site's SPN (HTTP/host) registered for the app pool's identity",
                           "IIS Manager > the site > Authentication: which providers are enabled (Windows, Basic, Anonymous) and the order of Negotiate and NTLM"],
                  specificity: 46),
        Signature(id: "iis-401-page", product: "IIS", layer: .iis, cause: .unknown, confidence: .likely,
                  statuses: [401], when: [.any([.body("401 - Unauthorized: Access is denied due to invalid credentials"), .body("<h2>401 - Unauthorized")])],
                  summary: "IIS's own 401 page: the site's authentication (Basic, Windows, anonymous disabled) refused; the remote page says \"invalid credentials\" whether or not any were sent",
                  lookup: "the IIS log (%SystemDrive%\\inetpub\\logs\\LogFiles) has sc-substatus for the request: 401.1 logon failed, 401.2 no accepted authentication method, 401.3 ACL",
                  checks: ["whether credentials were sent at all (curl -v shows the Authorization header): none means the site requires authentication and anonymous access is off",
                           "IIS Manager > Authentication for the site: which methods are enabled (Basic, Windows); a user outside the allowed users or groups gets 401.1"],
                  specificity: 80),
        // Azure App Service's front ends (IIS/ARR) answer for a site that never runs the request. Their own pages:
        // "Error 403 - This web app is stopped." + "The web app you have attempted to reach is currently stopped"
        // (titled "Web App - Unavailable"), and the access-restrictions page "Error 403 - Forbidden" + "The web app
        // you have attempted to reach has blocked your access." People paste them as text; the sentences are the shape.
        Signature(id: "azure-app-service-403", product: "Azure App Service", layer: .iis, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.any([.body("This web app is stopped"), .body("The web app you have attempted to reach"),
                               .body("<title>Web App - Unavailable</title>")])],
                  summary: "Azure App Service's front end answered for the site[ ({state})]; the application itself never saw the request",
                  extract: [Extract("state", "App Service page", from: [.body(after: "The web app you have attempted to reach ", chars: .line)])],
                  lookup: "the Azure portal: the app's Overview (Status: Stopped / Quota exceeded) and Networking > Access restrictions",
                  checks: ["stopped: the app was stopped by its owner, or its App Service plan (Free/Shared) ran out of its CPU or bandwidth quota; start it or scale the plan up",
                           "blocked your access: an access restriction rule (IP range, service tag or virtual network) on the site, or on its scm (Kudu) site for deployments, does not allow the client"],
                  variants: [
                      Variant("state", ["has blocked your access*"], cause: .accessIP, confidence: .likely,
                              summary: "Azure App Service access restrictions blocked this client (the site's or its scm site's IP/service-tag rules)",
                              fixes: [Fix(summary: "add the client's address (or the deploying agent's service tag) to the app's access restrictions, or to the scm site's for deployments")]),
                  ],
                  specificity: 85),
        // IIS's short 403 text, the one line Azure App Service's Windows workers send for a site whose request IIS refuses
        // (most often no default document and no app answering the root, a deployment that left wwwroot without its entry
        // point, or App Service Authentication refusing): "You do not have permission to view this directory or page."
        // IIS's full remote 403 page says the same sentence followed by "using the credentials that you supplied": that
        // page is iis-403's, with its sub-status.
        Signature(id: "iis-403-short-text", product: "IIS (Azure App Service)", layer: .iis, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.body("You do not have permission to view this directory or page"), .not(.body("using the credentials that you supplied"))],
                  summary: "IIS refused with its one-line 403 text (\"You do not have permission to view this directory or page\"), as Azure App Service's Windows workers send it; the text does not say why",
                  lookup: "the site's IIS log and failed-request tracing (App Service: Diagnose and solve problems, or Kudu's LogFiles/W3SVC*) have sc-substatus for the request",
                  checks: ["the site's wwwroot (Kudu: site/wwwroot): the default document (index.html, hostingstart.html) or the app's entry point (web.config for ASP.NET Core or iisnode) is there; 403.14 means no default document",
                           "App Service Authentication (Authentication blade): a signed-in user not allowed by the app registration or the 'Restrict access' setting gets this page",
                           "a Linux plan or a container answers differently: the one-line text is the Windows (IIS) worker's"],
                  specificity: 70),
    ]
}
