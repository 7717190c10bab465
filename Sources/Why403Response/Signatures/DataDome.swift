import Why403Core

/// DataDome: a 403 whose body links its CAPTCHA (`geo.captcha-delivery.com`, `ct.captcha-delivery.com`,
/// `{"url": "https://geo.captcha-delivery.com/captcha/?initialCid=…"}` for API clients), the `x-datadome`
/// / `x-dd-b` headers and the `datadome` cookie; the older block page ("You have been blocked") loads
/// `ct.datado.me/c.js` with `var dd={'cid':…,'host':'c.datado.me'}`. A block by DataDome is a bot decision.
enum DataDome {
    static let signatures: [Signature] = [
        Signature(id: "datadome-block", product: "DataDome", layer: .datadome, cause: .botBlock, confidence: .certain,
                  statuses: [403, 405, 429],
                  when: [.any([.body("captcha-delivery.com"), .header("x-datadome"), .header("x-dd-b"), .headerContains("set-cookie", "datadome="),
                               .headerContains("server", "DataDome"), .body("c.datado.me"), .body("DataAccess@datadome.co")])],
                  summary: "DataDome classified the client as a bot and answered with its CAPTCHA[ (cid {cid})]",
                  extract: [Extract("cid", "DataDome initialCid", from: [.body(after: "initialCid=", chars: .identifier), .body(after: "'cid':'", chars: .identifier)]),
                            Extract("ddid", "x-datadome-cid", from: [.header("x-datadome-cid")]),
                            // The page's `var dd={… 't':'fe' …}`: 'fe' offers the CAPTCHA, 'bv' bans the client outright.
                            Extract("ddt", "DataDome response type", from: [.body(after: "'t':'", chars: .alphanumeric)])],
                  lookup: "the site's DataDome dashboard (Bot Protection > Logs) finds the request by IP and time[ (cid {cid})]",
                  checks: ["an automated client cannot solve the CAPTCHA: ask the site to allow-list it (a DataDome custom rule)"],
                  variants: [
                      Variant("ddt", ["bv"], cause: .botBlock, confidence: .certain,
                              summary: "DataDome banned the client outright (its block page with 't':'bv': no CAPTCHA is offered)[ (cid {cid})]",
                              checks: ["the client's address or fingerprint is banned: solving nothing gets it through; ask the site to allow-list it (a DataDome custom rule) or use another network"]),
                  ],
                  specificity: 82),
    ]
}
