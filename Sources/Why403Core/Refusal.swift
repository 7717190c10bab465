/// The statuses that mean "you may not": the one list every analyser and reader uses.
///
/// 401 (no or bad credentials), 403 (refused), 407 (proxy credentials), 429 (too many requests) and
/// 451 (unavailable for legal reasons). A 404, a 5xx or a redirect is another kind of problem, though a
/// cause may still explain it (a `config.error` 500, S3's 403-for-404).
public enum RefusalStatus {
    /// 401, 403, 407, 429, 451.
    public static let all: Set<Int> = [401, 403, 407, 429, 451]

    /// Whether `status` is a refusal.
    public static func contains(_ status: Int?) -> Bool { status.map { all.contains($0) } ?? false }
}

extension Verdict {
    /// The one rule that turns an analyser's status and findings into its verdict, with the findings
    /// reordered so the primary one comes first (the others keep their order).
    ///
    /// - The primary finding is the first that names a cause and is more than `possible`; failing that,
    ///   the first `possible` one in the application layer (a proxied application decides) or, when the
    ///   status is a refusal, the first `possible` one (the best lead there is).
    /// - A cause explains a refusal; another 4xx/5xx a finding names a cause for (a `config.error` 500, a
    ///   refusal that `error_page 403 =404` hides); and any status when the finding is more than
    ///   `possible` (a block page served with 200). `unknown` explains only a refusal. With no status (a
    ///   layer analysed alone, a proxied request) the primary finding decides.
    /// - A refusal nothing explains is `layer: answeredBy, cause: unknown`; everything else is `none`.
    ///
    /// With `ranked`, the analyser's order already is its ranking (the black box orders findings by how
    /// specific the matching signature is): the first finding that names a cause is the primary one.
    /// With `disguised`, the analyser knows this response is a refusal whatever its status says (a page
    /// that is a refusal by what it is: Google Maps' `REQUEST_DENIED` in a 200, Rails' rejected-change 422),
    /// so `unknown` explains it as it would a 403.
    public static func decide(status: Int?, findings: [Finding], answeredBy: Layer,
                              ranked: Bool = false, disguised: Bool = false) -> (verdict: Verdict, findings: [Finding]) {
        let causal = findings.indices.filter { findings[$0].cause != .none }
        let refusal = disguised || RefusalStatus.contains(status)
        let primaryIndex = (ranked ? causal.first : nil)
            ?? causal.first { findings[$0].confidence != .possible }
            ?? causal.first { findings[$0].layer == .application }
            ?? (refusal ? causal.first : nil)
        var ordered = findings
        if let i = primaryIndex, i != 0 { ordered.insert(ordered.remove(at: i), at: 0) }
        guard let i = primaryIndex else {
            return (Verdict(status: status, layer: refusal ? answeredBy : .none, cause: refusal ? .unknown : .none), ordered)
        }
        let p = findings[i]
        let explains: Bool
        if let s = status {
            // A refusal; another error a finding names a cause for; or a response that is a refusal in
            // disguise, which only a finding more than possible can say (a WAF's block page served with 200).
            explains = refusal || (p.cause != .unknown && (s >= 400 || p.confidence != .possible))
        } else {
            explains = true
        }
        guard explains else { return (Verdict(status: status, layer: .none, cause: .none), ordered) }
        return (Verdict(status: status, layer: p.layer, cause: p.cause), ordered)
    }
}

extension Report {
    /// A report whose verdict is decided by `Verdict.decide` (the primary finding first).
    public init(subject: Subject, status: Int?, findings: [Finding], answeredBy: Layer, ranked: Bool = false,
                disguised: Bool = false, notes: [String] = []) {
        let decided = Verdict.decide(status: status, findings: findings, answeredBy: answeredBy, ranked: ranked, disguised: disguised)
        self.init(subject: subject, verdict: decided.verdict, findings: decided.findings, notes: notes)
    }
}
