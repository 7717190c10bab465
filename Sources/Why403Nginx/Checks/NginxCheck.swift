import Why403Core

/// One audit check over an nginx configuration: its id, severity, the directives it wants, and what it finds in them.
///
/// A check names the directives the walker should hand it (`directives`) and when (`timing`); `NginxAudit`
/// walks the configuration once and calls it only on those. Checks look at the configuration only; they
/// never read the served files.
protocol NginxCheck: Sendable {
    /// The stable id shown in reports, `nginx.<kebab-name>`.
    var id: String { get }
    /// How serious a finding of this check is.
    var severity: Severity { get }
    /// One line: what the check finds.
    var summary: String { get }
    /// The names of the directives the walker hands this check.
    var directives: Set<String> { get }
    /// When the walker hands them over (default: in file order, as it meets them).
    var timing: NginxCheckTiming { get }
    /// The findings about `site.directive` (most often none).
    func findings(at site: NginxCheckSite) -> [Finding]
}

extension NginxCheck {
    /// As the walker meets each directive.
    var timing: NginxCheckTiming { .inOrder }

    /// A finding of this check: its id as the rule, its severity.
    func finding(_ cause: Cause, _ confidence: Confidence, _ summary: String, evidence: [Evidence], fixes: [Fix] = []) -> Finding {
        Finding(cause: cause, layer: .nginx, confidence: confidence, summary: summary, evidence: evidence, fixes: fixes,
                rule: id, severity: severity)
    }
}

/// When the walker hands a check the directives it asked for.
enum NginxCheckTiming: Sendable {
    /// On entering the block that holds the directive, before anything in that block is checked: for checks
    /// about a whole context (a directive missing from it).
    case blockStart
    /// As the walker meets the directive, in file order (before anything in its own block).
    case inOrder
    /// Once the block that holds the directive has been walked, blocks nested in it included: for checks
    /// about what is in force in a block.
    case blockEnd
}

/// A directive handed to a check, with where it stands in the configuration.
struct NginxCheckSite {
    /// The directive the check asked for.
    let directive: Directive
    /// The blocks enclosing it, outermost first (`http`, `server`, `location`); empty in the main context.
    let parents: [Directive]
    /// The list it is in, itself included (includes expanded).
    let siblings: [Directive]
    /// Its position in `siblings`.
    let index: Int
    /// The whole configuration, for file names.
    let config: NginxConfig
    /// Builds patches against the configuration's files.
    let patcher: Patcher

    /// The directives before it in the same list.
    var earlier: ArraySlice<Directive> { siblings[..<index] }

    /// `d` as evidence: its file:line and text.
    func evidence(_ d: Directive) -> Evidence { Evidence(d.location, d.text) }
}
