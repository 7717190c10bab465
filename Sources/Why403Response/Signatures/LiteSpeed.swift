import Why403Core

/// LiteSpeed Web Server (and OpenLiteSpeed): `server: LiteSpeed` and its own 403 page "Access to this
/// resource on the server is denied!" with "Proudly powered by LiteSpeed Web Server". report-v1 has no
/// layer id for it yet: the layer stays `unknown` and the product is named.
enum LiteSpeed {
    static let signatures: [Signature] = [
        Signature(id: "litespeed-403", product: "LiteSpeed", layer: .unknown, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.any([.headerContains("server", "LiteSpeed"), .body("LiteSpeed Web Server")]),
                         .any([.body("Access to this resource on the server is denied"), .body("Proudly powered by LiteSpeed")])],
                  summary: "LiteSpeed Web Server's own 403 page (report-v1 has no LiteSpeed layer id): the server refused, and the page does not say why",
                  checks: ["the LiteSpeed error log (logs/error.log) names the reason: an .htaccess Deny/Require rule (access.ip, access.deny), file permissions (fs.permission), or mod_security (waf.rule)",
                           "LiteSpeed reads Apache's .htaccess: `why403 apache` explains those rules white-box"],
                  specificity: 60),
        // The same template's 401 (OpenLiteSpeed's HTTP realm authentication, 1.4-1.8: "Proper authorization is required to
        // access this resource!", the footer gone from 1.7.10 on pages other than 403/404): the server's own page, named by its
        // header, its footer, or the template's inline style around the status. From its source
        // (`Benchmarks/field/documented/servers-2.json`).
        Signature(id: "litespeed-401", product: "LiteSpeed", layer: .unknown, cause: .unknown, confidence: .likely,
                  statuses: [401],
                  when: [.any([.headerContains("server", "LiteSpeed"), .body("LiteSpeed Web Server"),
                               .body("font-size:150px; line-height:150px; font-weight:bold;\">401</h1>")]),
                         .body("Proper authorization is required to access this resource")],
                  summary: "LiteSpeed Web Server's own 401 page (report-v1 has no LiteSpeed layer id): a realm of the server wants credentials",
                  checks: ["the virtual host's or context's realm (WebAdmin > Virtual Hosts > Security > Realms) or the .htaccess AuthType / Require that protects the path",
                           "send the user's credentials (curl -u USER URL); the error log names a wrong user or password"],
                  specificity: 60),
    ]
}
