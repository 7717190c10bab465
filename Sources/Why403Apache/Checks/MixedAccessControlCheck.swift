import Why403Core

/// `apache.mixed-access-control`: a section mixing 2.2 `Order`/`Allow`/`Deny` with 2.4 `Require`.
///
/// With mod_access_compat loaded both sets apply and, under `Satisfy All`, both must pass: a client the
/// `Require` admits is still refused (403) by `Deny`, or the other way round, which surprises whoever
/// edited one of them. Evidence: the section, its `Order`/`Allow`/`Deny` lines and its `Require` lines.
/// Always `possible`: the two may agree. Fix: express the rule with `Require` only and drop
/// `Order`/`Allow`/`Deny`. Upstream: https://httpd.apache.org/docs/2.4/upgrading.html#access
struct MixedAccessControlCheck: ApacheSectionCheck {
    let id = "apache.mixed-access-control"
    let severity = Severity.warning
    let summary = "2.2 `Order`/`Allow`/`Deny` mixed with 2.4 `Require` in one section"

    func findings(in sec: ApacheDirective) -> [Finding] {
        let compat = (sec.children ?? []).filter { ["order", "allow", "deny"].contains($0.key) }
        let requires = sec.authzChildren
        guard !compat.isEmpty && !requires.isEmpty else { return [] }
        return [finding(.accessDeny, .possible,
                        "\(sec.sectionLabel) mixes 2.2 Order/Allow/Deny with 2.4 Require: under Satisfy All both must pass",
                        evidence: [sec.evidence] + compat.map(\.evidence) + requires.map(\.evidence),
                        fixes: [Fix(summary: "express the rule with Require only (e.g. Require ip …) and drop Order/Allow/Deny")])]
    }
}
