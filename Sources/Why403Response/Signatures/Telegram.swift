import Why403Core

/// Telegram's Bot API answering for itself: `{"ok": false, "error_code": N, "description": "…"}`. The bot's token is
/// part of every request's URL, so a 401 "Unauthorized" is a token Telegram does not know (revoked or mistyped); a
/// 403 says who refused ("Forbidden: bot was blocked by the user"); a 429 says when to retry.
enum Telegram {
    static let signatures: [Signature] = [
        Signature(id: "telegram-bot-api", product: "Telegram Bot API", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("\"ok\":false"), .body("\"ok\": false")]), .body("\"error_code\""), .body("\"description\"")],
                  summary: "Telegram's Bot API refused the call[: {desc}]",
                  extract: [Extract("desc", "description", from: [.json("description")])],
                  checks: ["the description names the refusal; `curl https://api.telegram.org/bot<TOKEN>/getMe` checks the token itself"],
                  variants: [
                      Variant("desc", ["*Unauthorized*"], cause: .authInvalid, confidence: .certain,
                              summary: "Telegram does not know the bot token in the URL (401 Unauthorized): revoked, regenerated or mistyped",
                              checks: ["ask @BotFather for the bot's current token (/token) and use it whole, `bot` prefix in the URL included"]),
                      Variant("desc", ["*bot was blocked by the user*", "*user is deactivated*", "*bot was kicked*", "*bot is not a member*",
                                      "*bot can't initiate conversation*"],
                              cause: .appForbidden, confidence: .certain,
                              summary: "Telegram refused the message on the recipient's side: {desc}",
                              checks: ["nothing to fix in the bot's credentials: the user or chat no longer accepts it; stop sending there"]),
                      Variant("desc", ["*Too Many Requests*"], cause: .rateLimit, confidence: .certain,
                              summary: "Telegram's flood control: {desc}",
                              checks: ["wait parameters.retry_after seconds; send at most about one message a second per chat and 30 a second in all"]),
                  ],
                  specificity: 70),
    ]
}
