import Why403Core

/// Cloudflare: the `cf-ray` header on everything it serves, and its 1xxx error pages, which name the
/// feature that refused (plain `error code: 1020` for non-browser clients, an HTML page otherwise, an
/// RFC 9457 problem+json for API clients). Pages pasted without headers are recognised by their own
/// words ("Ray ID", "Cloudflare", `/cdn-cgi/`); challenge pages (403, or 503 for the older JS
/// challenge) by their scripts and by `cf-mitigated: challenge`.
enum Cloudflare {
    static let edge: Condition = .any([.header("cf-ray"), .headerContains("server", "cloudflare"), .header("cf-mitigated"),
                                       .header("cf-chl-bypass"), .body("Ray ID:"), .body("cloudflare"), .body("/cdn-cgi/"), .body("error code: 10"),
                                       // the 1xxx access page's own sentence, as a browser renders it when pasted without headers or Ray ID
                                       .body("The site owner may have set restrictions that prevent you from accessing the site")])
    /// Only the headers Cloudflare adds to every response it passes on.
    static let edgeHeaders: Condition = .any([.header("cf-ray"), .headerContains("server", "cloudflare")])
    /// The scripts and forms of its challenge pages: the managed / JS challenge (`_cf_chl_opt`,
    /// `challenge-platform`), the older JS challenge (`jschl_vc`, "Checking your browser"), the CAPTCHA page.
    static let challenge: Condition = .any([.headerContains("cf-mitigated", "challenge"), .header("cf-chl-bypass"), .body("/cdn-cgi/challenge-platform/h/"),
                                            .body("_cf_chl_opt"), .body("cf_chl_"), .body("jschl_vc"), .body("jschl-answer"),
                                            .body("cf-browser-verification"), .body("cf_captcha_kind"), .body("cf-captcha-container"),
                                            .body("<title>Just a moment...</title>"), .body("Checking your browser before accessing"),
                                            .body("/cdn-cgi/challenge-platform/"), .headerContains("refresh", "/cdn-cgi/l/chk_jschl")])
    static let ray = Extract("ray", "Ray ID", from: [.headerPrefix("cf-ray", separator: "-"), .body(after: "Ray ID:", chars: .hex)])
    static let lookup = "look up the Ray ID[ {ray}] in the Cloudflare dashboard: Security > Events, filter by Ray ID (the event names the rule or feature and its action)"

    /// The offline explanation by rule, when the zone's rules can be exported (issue 12).
    static let byRule = "with the zone's rules exported (Rulesets API JSON, `terraform show -json` or the .tf files): `why403 cloudflare URL --rules FILE...` names the rule and the part of its expression that matched"

    static func code(_ codes: [String]) -> Condition {
        .any(codes.flatMap { [Condition.body("error code: \($0)"), .body("Error \($0)<"), .body("Error \($0) "), .body("cf-error-code\">\($0)<"),
                                  .body("Error \($0):"), .body("error-\($0)/"), .body("errorCode:\($0),"),
                                  .body("Error code \($0)\n"), .body("Error code \($0)\r"),
                                  // the 2020s template's heading: `<span data-translate="error">Error</span>` then `<span>1005</span>`
                                  .body("<span>\($0)</span>")] })
    }

    static let signatures: [Signature] = [
        Signature(id: "cloudflare-1020", product: "Cloudflare", layer: .cloudflare, cause: .wafRule, confidence: .certain,
                  statuses: [403], when: [edge, code(["1020"])],
                  summary: "a firewall rule blocked this request[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  checks: ["in Security > WAF > Custom rules, find the rule the event names and the field it matched (IP, country, path, User-Agent, ...)", byRule],
                  fixes: [Fix(summary: "if the request is legitimate, narrow the matching custom rule or add a Skip rule for exactly this path and client, not a blanket allow")],
                  specificity: 90),
        Signature(id: "cloudflare-1010", product: "Cloudflare", layer: .cloudflare, cause: .botBlock, confidence: .certain,
                  statuses: [403], when: [.any([edge, .body("banned your access based on your browser's signature")]),
                         .any([code(["1010"]), .body("banned your access based on your browser's signature")])],
                  summary: "the client's browser signature was banned (Browser Integrity Check)[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  fixes: [Fix(summary: "send a real browser User-Agent and headers, or turn Browser Integrity Check off for this path with a Configuration Rule")],
                  specificity: 90),
        Signature(id: "cloudflare-ip-ban", product: "Cloudflare", layer: .cloudflare, cause: .accessIP, confidence: .certain,
                  statuses: [403], when: [edge, .any([code(["1005", "1006", "1007", "1008", "1012", "1106"]),
                                                      // the pages' own sentences, kept when a paste drops the code
                                                      .body("has banned your IP address"), .body("banned the autonomous system number")])],
                  summary: "the site owner banned the client's IP address[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  checks: ["Security > WAF > Tools: IP Access Rules, and custom rules on ip.src", byRule],
                  fixes: [Fix(summary: "if this client should get in, remove its address (or range) from the IP Access Rule or rule that blocks it")],
                  specificity: 90),
        // Error 1011, "Access denied (Hotlinking denied)": Scrape Shield's Hotlink Protection refused a request for an image whose
        // Referer is another site (Cloudflare's 1xxx error documentation).
        Signature(id: "cloudflare-1011", product: "Cloudflare", layer: .cloudflare, cause: .hotlinkReferer, confidence: .certain,
                  statuses: [403], when: [edge, .any([code(["1011"]), .body("Hotlinking denied")])],
                  summary: "Cloudflare's Hotlink Protection refused the request: its Referer is another site[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  checks: ["Scrape Shield > Hotlink Protection is on for the zone: images are served only with no Referer or one of the zone's own hosts",
                           "an exception: a Configuration Rule turning Hotlink Protection off for this path, or images under a path named `hotlink-ok`"],
                  specificity: 90),
        Signature(id: "cloudflare-1009", product: "Cloudflare", layer: .cloudflare, cause: .geoBlock, confidence: .certain,
                  statuses: [403], when: [edge, code(["1009"])],
                  summary: "the site owner blocks the client's country or region[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  fixes: [Fix(summary: "if this country should get in, remove it from the IP Access Rule or custom rule on ip.src.country")],
                  specificity: 90),
        Signature(id: "cloudflare-1015", product: "Cloudflare", layer: .cloudflare, cause: .rateLimit, confidence: .certain,
                  // The 1015 page's own title says it when the code is cut off: "This website has been temporarily rate limited".
                  statuses: [403, 429], when: [edge, .any([code(["1015"]), .body("has been temporarily rate limited")])],
                  summary: "the client was rate limited[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  fixes: [Fix(summary: "slow the client down, or raise the threshold of the rate limiting rule for this path (Security > WAF > Rate limiting rules)")],
                  specificity: 90),
        Signature(id: "cloudflare-challenge", product: "Cloudflare", layer: .cloudflare, cause: .botBlock, confidence: .certain,
                  statuses: [403, 429, 503],
                  when: [.any([edge, .body("<title>Just a moment...</title>")]), challenge],
                  summary: "a challenge page (bot protection) was served instead of the content[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  checks: ["a script or API client cannot pass a challenge: find the rule with action Managed Challenge / JS Challenge, or Bot Fight Mode, in the event", byRule],
                  fixes: [Fix(summary: "exempt this API path or client from the challenge (a Skip rule for the bot feature, or the rule's expression), rather than turning bot protection off")],
                  specificity: 85),
        Signature(id: "cloudflare-block-page", product: "Cloudflare", layer: .cloudflare, cause: .wafRule, confidence: .likely,
                  statuses: [403], when: [edge, .any([.body("Sorry, you have been blocked"), .body("<title>Attention Required! | Cloudflare</title>"),
                                                      .body("used Cloudflare to restrict access"),
                                                      // the sentence under "What happened?" / "Why have I been blocked?" on the 1020 and
                                                      // block pages, kept when an archiver or a paste drops the title and the code
                                                      .body("This website is using a security service to protect itself from online attacks"),
                                                      .body("<html class=\"no-js ie6 oldie\" lang=\"en-US\">")])],
                  summary: "Cloudflare's block page: a security rule (WAF managed or custom rule) blocked this request; the page does not name it[ (Ray ID {ray})]",
                  extract: [ray], lookup: lookup,
                  checks: ["the event for the Ray ID names the rule: a WAF managed rule (attack signature), a custom rule, or an IP/country/User-Agent rule (then the cause is access.ip, geo.block or bot.block)", byRule],
                  fixes: [Fix(summary: "if the request is legitimate, add an exception (Skip) for exactly the rule the event names, scoped to this path and client")],
                  specificity: 80),
        // "Access denied | HOST used Cloudflare to restrict access" is the one template of the 1xxx access pages
        // (1005-1008 and 1012 address bans, 1009 country, 1010 browser signature, 1020 firewall rule): only the
        // error code on the page says which. With the code cut off (a pasted page head), the cause is unknown.
        Signature(id: "cloudflare-access-denied-page", product: "Cloudflare", layer: .cloudflare, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [edge, .body("used Cloudflare to restrict access")],
                  summary: "Cloudflare's \"Access denied\" page: the site owner restricts access, and the error code that says how (1020 firewall rule, 1010 browser signature, 1005-1008/1012 address, 1009 country) is not in the response[ (Ray ID {ray})]",
                  extract: [ray], lookup: lookup,
                  checks: ["the page's full text carries \"Error code 10xx\": 1020 a custom rule, 1010 Browser Integrity Check, 1005-1008/1012 an IP or ASN ban, 1009 a country block",
                           "the event for the Ray ID names the rule and its action", byRule],
                  specificity: 82),
        // Cloudflare Access (Zero Trust) answers for an application it protects: "Cloudflare Access Error" /
        // "Cloudflare Access Forbidden" / "You do not have permission to view this page", with the Ray ID and the
        // client's address. An Access policy refused (a Block rule on address or country, an application open only to
        // service tokens, an identity outside the Include rules); the page does not say which.
        Signature(id: "cloudflare-access-forbidden", product: "Cloudflare Access", layer: .cloudflare, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [.body("Cloudflare Access"), .any([.body("You do not have permission to view this page"), .body("Access Forbidden")])],
                  summary: "Cloudflare Access refused: an Access policy of the application does not let this request in[ (Ray ID {ray})]",
                  extract: [ray],
                  lookup: "Zero Trust dashboard > Logs > Access: the request[ with Ray ID {ray}] names the application and the policy that decided",
                  checks: ["the application's policies (Access > Applications > the app > Policies): a Block rule on IP ranges or countries, Include rules the identity does not meet, or Service Auth only (a service token in CF-Access-Client-Id/Secret headers)",
                           "an automated client needs a service token; a person needs to sign in with an identity the Include rules list"],
                  specificity: 88),
        // Access's sign-in page, served (often with 200) instead of the application to a request without a valid Access
        // session (no CF_Authorization cookie or token): its title "Sign in ・ Cloudflare Access" (the middle dot is U+30FB,
        // mangled when a tool saved it in another encoding) and the identity providers' buttons.
        Signature(id: "cloudflare-access-login", product: "Cloudflare Access", layer: .cloudflare, cause: .authMissing, confidence: .likely,
                  statuses: [200, 401, 403],
                  when: [.body("<title>Sign in"), .body("Cloudflare Access</title>")],
                  summary: "Cloudflare Access answered with its sign-in page instead of the application: the request carried no valid Access session[ (Ray ID {ray})]",
                  extract: [ray],
                  lookup: "Zero Trust dashboard > Logs > Access shows the sign-in attempts for the application",
                  checks: ["a person: sign in with an identity provider the application allows; the CF_Authorization cookie then carries the session",
                           "a script or service: send a service token (CF-Access-Client-Id and CF-Access-Client-Secret headers) that a Service Auth policy of the application allows, or a valid cf-access-token"],
                  specificity: 87),
        Signature(id: "cloudflare-edge-403", product: "Cloudflare", layer: .cloudflare, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [edge, .body("<center>cloudflare</center>")],
                  summary: "Cloudflare's edge refused the request without naming a feature[ (Ray ID {ray})]", extract: [ray], lookup: lookup,
                  checks: ["a request to the edge by IP address or for a hostname not on the account gets this page: check the Host header and DNS",
                           "if Security > Events shows nothing for the Ray ID, ask Cloudflare support with the Ray ID"],
                  specificity: 70),
        Signature(id: "cloudflare", product: "Cloudflare", layer: .cloudflare, cause: .unknown, confidence: .possible,
                  statuses: Signatures.refusals, when: [edgeHeaders],
                  summary: "the response came through Cloudflare; nothing in it names a Cloudflare feature, so the origin may have refused[ (Ray ID {ray})]",
                  extract: [ray], lookup: lookup,
                  checks: ["no event for the Ray ID means Cloudflare passed the origin's answer on: diagnose the origin (its logs, `why403 nginx`/`why403 apache`)"],
                  specificity: 10),
    ]
}
