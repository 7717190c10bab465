import Why403Core
import Why403FileSystem

/// Checks over a parsed Apache configuration that find what causes (or hides) 403s, each with
/// file:line evidence, for `why403 audit`.
///
/// Each check is one `ApacheCheck` in `Checks/<Name>Check.swift` (its doc comment says what it reports)
/// with a stable id (`apache.<kebab-name>`) and a typed severity; its findings carry both (the id as
/// the rule). `run` walks the configuration once and hands each check what it asked for.
public enum ApacheAudit {
    /// Every check, in the order they run (a new check is one line here).
    static let checks: [any ApacheCheck] = [
        MixedAccessControlCheck(),
        AuthTypeWithoutRequireCheck(),
        RootGrantedCheck(),
        IndexesOnCheck(),
        HtaccessIgnoredCheck(),
        RemoteIPTrustsEveryoneCheck(),
        AccessByClientHeaderCheck(),
    ]

    /// The ids of every check, in the order they run.
    public static let checkIDs = checks.map(\.id)

    /// Runs every check on the configuration at `configPath`; findings carry a severity, evidence and
    /// fixes. Throws the parser's InputError.
    ///
    /// Findings come in walk order: for each section in file order, the `.eachSection` checks; then the
    /// `.allNamed` checks.
    public static func run(configPath: String, fileSystem fs: any FileSystemView) throws -> [Finding] {
        var parser = ApacheConfigParser(fileSystem: fs)
        let config = try parser.parse(mainFile: configPath)
        let all = allDirectives(config.directives)
        let audit = ApacheAuditContext(config: config, fileSystem: fs, sections: all.filter(\.isSection))
        var out: [Finding] = []
        let perSection = checks.filter { if case .eachSection = $0.input { true } else { false } }
        for section in audit.sections {
            for check in perSection { out += check.findings([section], in: audit) }
        }
        for check in checks {
            guard case .allNamed(let names) = check.input else { continue }
            out += check.findings(all.filter { names.contains($0.key) }, in: audit)
        }
        return out
    }

    /// Every directive, in file order, a section before its contents.
    static func allDirectives(_ list: [ApacheDirective]) -> [ApacheDirective] {
        var out: [ApacheDirective] = []
        for d in list {
            out.append(d)
            if let c = d.children { out += allDirectives(c) }
        }
        return out
    }
}
