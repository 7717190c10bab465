import Why403Core

/// `apache.authtype-without-require`: a section with `AuthType` (other than `None`) and no `Require`.
///
/// Authentication is configured but nothing asks for it: unless a `Require` is inherited from an enclosing
/// section, httpd logs AH01627 and answers 500, and the protection meant here is not applied. Evidence: the
/// section and its `AuthType`; cause `config.error` (a 500, not a refusal). Always `possible`: a `Require`
/// may be inherited. Fix: add the `Require` the authentication is for, e.g. `Require valid-user`.
/// Upstream: https://httpd.apache.org/docs/2.4/mod/mod_authn_core.html#authtype
struct AuthTypeWithoutRequireCheck: ApacheSectionCheck {
    let id = "apache.authtype-without-require"
    let severity = Severity.warning
    let summary = "`AuthType` without any `Require` (AH01627, a 500)"

    func findings(in sec: ApacheDirective) -> [Finding] {
        guard let t = (sec.children ?? []).first(where: { $0.is("AuthType") && $0.args.first?.lowercased() != "none" }),
              sec.authzChildren.isEmpty else { return [] }
        return [finding(.configError, .possible,
                        "AuthType without Require in \(sec.sectionLabel): unless a Require is inherited, httpd answers 500 (AH01627)",
                        evidence: [sec.evidence, t.evidence],
                        fixes: [Fix(summary: "add the Require the authentication is for, e.g. Require valid-user")])]
    }
}
