import Why403Core

/// Checks over a parsed nginx configuration for things that cause or hide 403s (for `why403 audit`).
///
/// Each check is one `NginxCheck` in `Checks/<Name>Check.swift` with a stable id (`nginx.<kebab-name>`), a
/// severity, the directive it is about as evidence (file:line) and, where one exists, a patch. `run` walks
/// the configuration once and hands each check the directives it asked for. Checks look at the
/// configuration only; they never read the served files.
public enum NginxAudit {
    /// Every check, in the order they run (a new check is one line here).
    static let checks: [any NginxCheck] = [
        MissingUserCheck(),
        RootInHomeCheck(),
        AliasTrailingSlashCheck(),
        AllowAfterDenyAllCheck(),
        ErrorPageHides403Check(),
        LimitStatus403Check(),
        AutoindexOffNoIndexCheck(),
        RealIPTrustsEveryoneCheck(),
        AccessByClientHeaderCheck(),
    ]

    /// The ids of every check, in the order they run.
    public static let checkIDs = checks.map(\.id)

    /// Runs every check over `config`; findings carry a severity, evidence and fixes.
    ///
    /// Findings come in walk order: for each block, the `blockStart` checks, then each directive in file
    /// order (its `inOrder` checks, then its own block), then the `blockEnd` checks.
    public static func run(_ config: NginxConfig) -> [Finding] {
        var walker = Walker(config: config)
        walker.walk(config.expanded, parents: [])
        return walker.out
    }

    /// The one tree walk: hands each check the directives it named, at the time it asked for.
    struct Walker {
        let config: NginxConfig
        let patcher: Patcher
        /// Per timing, the checks that want each directive name, in registry order.
        let wanted: [NginxCheckTiming: [String: [any NginxCheck]]]
        var out: [Finding] = []

        init(config: NginxConfig) {
            self.config = config
            patcher = Patcher(config: config)
            var wanted: [NginxCheckTiming: [String: [any NginxCheck]]] = [:]
            for check in NginxAudit.checks {
                for name in check.directives { wanted[check.timing, default: [:]][name, default: []].append(check) }
            }
            self.wanted = wanted
        }

        mutating func hand(_ timing: NginxCheckTiming, _ list: [Directive], at i: Int, parents: [Directive]) {
            guard let checks = wanted[timing]?[list[i].name] else { return }
            let site = NginxCheckSite(directive: list[i], parents: parents, siblings: list, index: i, config: config, patcher: patcher)
            for check in checks { out += check.findings(at: site) }
        }

        mutating func walk(_ list: [Directive], parents: [Directive]) {
            for i in list.indices { hand(.blockStart, list, at: i, parents: parents) }
            for (i, d) in list.enumerated() {
                hand(.inOrder, list, at: i, parents: parents)
                if let b = d.block, !DirectiveTable.specialBodies.contains(d.name) { walk(b, parents: parents + [d]) }
            }
            for i in list.indices { hand(.blockEnd, list, at: i, parents: parents) }
        }
    }
}
