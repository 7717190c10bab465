import Why403Core
import Why403FileSystem

/// One audit check over an Apache configuration: its id, severity, what it asks the walker for, and what it finds.
///
/// `ApacheAudit` walks the configuration once and hands each check what its `input` names. Most checks look
/// at one section at a time (`ApacheSectionCheck`).
protocol ApacheCheck: Sendable {
    /// The stable id shown in reports, `apache.<kebab-name>`.
    var id: String { get }
    /// How serious a finding of this check is.
    var severity: Severity { get }
    /// One line: what the check finds.
    var summary: String { get }
    /// What the walker hands this check, and when.
    var input: ApacheCheckInput { get }
    /// The findings about `directives` (one section for `.eachSection`; every directive named, for `.allNamed`).
    func findings(_ directives: [ApacheDirective], in audit: ApacheAuditContext) -> [Finding]
}

/// What the walker hands an Apache check.
enum ApacheCheckInput: Sendable {
    /// Each section (`<Directory>`, `<Location>`, `<VirtualHost>`, `<Files>`, ...) with its contents: one call
    /// per section, in file order, a section before the sections inside it.
    case eachSection
    /// Every directive with one of these names (lower-case), in file order, in one call once the walk is
    /// over: for checks that weigh the configuration as a whole.
    case allNamed(Set<String>)
}

/// What a check may consult beyond the directives it was handed.
struct ApacheAuditContext {
    /// The parsed configuration.
    let config: ApacheConfig
    /// The file system the configuration names (for files such as `.htaccess`).
    let fileSystem: any FileSystemView
    /// Every section, in file order, a section before the sections inside it.
    let sections: [ApacheDirective]
}

/// A check that looks at one section at a time.
protocol ApacheSectionCheck: ApacheCheck {
    /// The findings about `section` (most often none).
    func findings(in section: ApacheDirective) -> [Finding]
}

extension ApacheSectionCheck {
    /// Each section.
    var input: ApacheCheckInput { .eachSection }

    func findings(_ directives: [ApacheDirective], in audit: ApacheAuditContext) -> [Finding] {
        directives.flatMap { findings(in: $0) }
    }
}

extension ApacheCheck {
    /// A finding of this check: its id as the rule, its severity.
    func finding(_ cause: Cause, _ confidence: Confidence, _ summary: String, evidence: [Evidence], fixes: [Fix]) -> Finding {
        Finding(cause: cause, layer: .apache, confidence: confidence, summary: summary, evidence: evidence, fixes: fixes,
                rule: id, severity: severity)
    }
}

extension ApacheDirective {
    /// The section's opening as written in summaries, `<Directory /var/www>`.
    var sectionLabel: String { "<\(name) \(args.joined(separator: " "))>" }
    /// The section's 2.4 authorization directives (`Require`, `<RequireAll>`, ...).
    var authzChildren: [ApacheDirective] { (children ?? []).filter { AuthzNode.isAuthz($0) } }
}
