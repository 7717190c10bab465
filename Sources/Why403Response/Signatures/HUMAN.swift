import Why403Core

/// HUMAN Bot Defender (formerly PerimeterX): its block page "Access to this page has been denied" with
/// `window._pxAppId`, `_pxUuid` and a `px-captcha` (press-and-hold) challenge, and the `_pxhd` cookie
/// it sets even when the page was not saved. A block by HUMAN is a bot decision.
enum HUMAN {
    static let signatures: [Signature] = [
        Signature(id: "human-block", product: "HUMAN (PerimeterX)", layer: .human, cause: .botBlock, confidence: .likely,
                  statuses: [403, 429],
                  when: [.any([.body("_pxAppId"), .body("px-captcha"), .body("perimeterx"), .body("captcha.px-cdn.net"), .body("_pxUuid"),
                               .headerContains("set-cookie", "_pxhd="), .header("x-px-block"), .body("<title>Access to this page has been denied")])],
                  summary: "HUMAN (PerimeterX) Bot Defender blocked the client as a bot and served its press-and-hold challenge[ (reference {uuid})]",
                  extract: [Extract("uuid", "reference (px uuid)", from: [.body(after: "_pxUuid = '", chars: .identifier), .body(after: "Reference ID:", chars: .identifier),
                                                                         .body(after: "_pxUuid='", chars: .identifier)]),
                            Extract("appid", "HUMAN app id", from: [.body(after: "_pxAppId = '", chars: .identifier)])],
                  lookup: "the HUMAN console (Bot Defender > Investigate) finds the block by its reference / uuid[ {uuid}]",
                  checks: ["an automated client cannot solve the challenge: ask the site to allow-list it in the HUMAN policy"],
                  variants: [Variant("uuid", ["*"], cause: .botBlock, confidence: .certain)],
                  specificity: 82),
        // The enforcers' rate-limit action ("r"): a 429 page of their own (the enforcer template ratelimit.mustache)
        Signature(id: "human-rate-limit", product: "HUMAN (PerimeterX)", layer: .human, cause: .rateLimit, confidence: .certain,
                  statuses: [429],
                  when: [.body("Reached maximum requests limitation, try again soon.")],
                  summary: "HUMAN (PerimeterX) Bot Defender's rate limit refused the client (its enforcer's 429 page)",
                  lookup: "the HUMAN console (Bot Defender > Investigate) shows the rate-limit decisions for the client",
                  checks: ["the HUMAN policy's rate-limit rule for this path: its threshold and what it keys on (address, session)"],
                  specificity: 82),
    ]
}
