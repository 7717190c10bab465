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
    ]
}
