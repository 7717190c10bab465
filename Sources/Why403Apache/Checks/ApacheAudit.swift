import Why403Core
import Why403FileSystem

/// Checks over a parsed Apache configuration that find what causes (or hides) 403s, each with
/// file:line evidence, for `why403 audit`.
///
/// - `apache.htaccess-ignored`: an `.htaccess` file in a DocumentRoot (top level) that AllowOverride None
///   makes httpd ignore.
/// - `apache.mixed-access-control`: a section mixing 2.2 `Order`/`Allow`/`Deny` with 2.4 `Require`
///   (both must pass under Satisfy All; a common source of surprise 403s).
/// - `apache.authtype-without-require`: `AuthType` without any `Require` in the section (AH01627, 500).
/// - `apache.root-granted`: `<Directory />` with `Require all granted` (exposes the whole filesystem).
/// - `apache.indexes-on`: `Options Indexes` in a section (directory listings are served).
public enum ApacheAudit {
    /// One problem found.
    public struct Problem: Sendable, Equatable {
        /// Stable check id (`apache.mixed-access-control`).
        public var id: String
        /// `error`, `warning` or `note`.
        public var severity: String
        /// The finding, with evidence.
        public var finding: Finding
    }

    /// Runs every check on the configuration at `configPath`; throws the parser's InputError.
    public static func run(configPath: String, fileSystem fs: any FileSystemView) throws -> [Problem] {
        var parser = ApacheConfigParser(fileSystem: fs)
        let config = try parser.parse(mainFile: configPath)
        var out: [Problem] = []
        func sections(_ list: [ApacheDirective]) -> [ApacheDirective] {
            var s: [ApacheDirective] = []
            for d in list where d.isSection {
                s.append(d)
                s += sections(d.children ?? [])
            }
            return s
        }
        let all = sections(config.directives)
        for sec in all {
            let kids = sec.children ?? []
            let compat = kids.filter { ["order", "allow", "deny"].contains($0.key) }
            let requires = kids.filter { AuthzNode.isAuthz($0) }
            if !compat.isEmpty && !requires.isEmpty {
                out.append(Problem(id: "apache.mixed-access-control", severity: "warning", finding: Finding(
                    cause: .accessDeny, layer: .apache, confidence: .possible,
                    summary: "<\(sec.name) \(sec.args.joined(separator: " "))> mixes 2.2 Order/Allow/Deny with 2.4 Require: under Satisfy All both must pass",
                    evidence: [sec.evidence] + compat.map(\.evidence) + requires.map(\.evidence),
                    fixes: [Fix(summary: "express the rule with Require only (e.g. Require ip …) and drop Order/Allow/Deny")],
                    rule: "apache.mixed-access-control")))
            }
            if let t = kids.first(where: { $0.is("AuthType") && $0.args.first?.lowercased() != "none" }), requires.isEmpty {
                out.append(Problem(id: "apache.authtype-without-require", severity: "warning", finding: Finding(
                    cause: .unknown, layer: .apache, confidence: .possible,
                    summary: "AuthType without Require in <\(sec.name) \(sec.args.joined(separator: " "))>: unless a Require is inherited, httpd answers 500 (AH01627)",
                    evidence: [sec.evidence, t.evidence],
                    fixes: [Fix(summary: "add the Require the authentication is for, e.g. Require valid-user")],
                    rule: "apache.authtype-without-require")))
            }
            if sec.is("Directory"), sec.args.first == "/",
               let g = requires.first(where: { $0.args.map { $0.lowercased() } == ["all", "granted"] }) {
                out.append(Problem(id: "apache.root-granted", severity: "error", finding: Finding(
                    cause: .none, layer: .apache, confidence: .certain,
                    summary: "<Directory /> grants everyone: every file httpd can read is reachable through an Alias or a symlink",
                    evidence: [sec.evidence, g.evidence],
                    fixes: [Fix(summary: "deny at / and grant only the document roots", patch: "-\(g.text)\n+Require all denied\n")],
                    rule: "apache.root-granted")))
            }
            if let o = kids.first(where: { $0.is("Options") && $0.args.contains { ["indexes", "+indexes", "all"].contains($0.lowercased()) } }) {
                out.append(Problem(id: "apache.indexes-on", severity: "note", finding: Finding(
                    cause: .none, layer: .apache, confidence: .certain,
                    summary: "directory listings are on in <\(sec.name) \(sec.args.joined(separator: " "))>",
                    evidence: [o.evidence], fixes: [Fix(summary: "turn listings off unless wanted", patch: "+Options -Indexes\n")],
                    rule: "apache.indexes-on")))
            }
        }
        // .htaccess files at the top of each DocumentRoot that AllowOverride None ignores.
        let roots = Set(allDirectives(config.directives).filter { $0.is("DocumentRoot") }.compactMap { $0.args.first })
        for root in roots.sorted() {
            let path = (root.hasSuffix("/") ? root : root + "/") + ".htaccess"
            guard fs.info(path) != nil else { continue }
            var dc = DirConfig()
            var errs: [ApacheDirective] = []
            let dirSections = all.filter { $0.is("Directory") && $0.args.first.map { root.hasPrefix($0.hasSuffix("/") ? String($0.dropLast()) : $0) || $0 == "/" } == true }
                .sorted { ($0.args.first ?? "").count < ($1.args.first ?? "").count }
            for d in dirSections { dc.apply(d.children ?? [], dir: nil, method: "GET", errors: &errs) }
            if dc.allowOverride.isEmpty && dc.allowOverrideList.isEmpty {
                var ev = [Evidence(source: path, text: "present, never read")]
                if let s = dc.allowOverrideSource { ev.insert(s.evidence, at: 0) }
                out.append(Problem(id: "apache.htaccess-ignored", severity: "warning", finding: Finding(
                    cause: .none, layer: .apache, confidence: .certain,
                    summary: "\(path) is ignored: AllowOverride None applies to \(root)",
                    evidence: ev, fixes: [Fix(summary: "move its directives into the <Directory> section, or allow the classes it needs with AllowOverride")],
                    rule: "apache.htaccess-ignored")))
            }
        }
        return out
    }

    static func allDirectives(_ list: [ApacheDirective]) -> [ApacheDirective] {
        var out: [ApacheDirective] = []
        for d in list {
            out.append(d)
            if let c = d.children { out += allDirectives(c) }
        }
        return out
    }
}
