import Why403Core
import Why403FileSystem
import Why403Nginx
import Why403Apache

extension AuditAnalyzer {
    /// What `why403 audit` checks: configurations and a web root.
    public struct Input: Sendable {
        /// nginx main configurations to check (`--nginx`).
        public var nginx: [String]
        /// Apache main configurations to check (`--apache`).
        public var apache: [String]
        /// Web roots to walk as the server's user (`--root`).
        public var roots: [String]
        /// The server's user for `--root` (nil: found as `why403 fs` finds it).
        public var user: String?
        /// Where configurations and roots are read.
        public var fileSystem: any FileSystemView
        /// `--bypass URL`: the refused request whose bypass variants are simulated (nil: run the checks).
        public var bypass: Request?
        /// nginx's prefix (`-p`) for the bypass simulation: relative `root` paths start here.
        public var nginxPrefix: String

        /// An audit of these configurations and roots.
        public init(nginx: [String] = [], apache: [String] = [], roots: [String] = [], user: String? = nil,
                    fileSystem: any FileSystemView = LiveFileSystem(), bypass: Request? = nil,
                    nginxPrefix: String = "/usr/share/nginx") {
            self.bypass = bypass
            self.nginxPrefix = nginxPrefix
            self.nginx = nginx
            self.apache = apache
            self.roots = roots
            self.user = user
            self.fileSystem = fileSystem
        }
    }
}

/// Prevention, for CI: configuration and permission problems that cause (or would hide) 403s.
///
/// Runs the nginx checks (`NginxAudit`), the Apache checks (`ApacheAudit`), and the
/// web-root checks (`RootAudit`). Findings carry a severity; the verdict is the most serious one.
public enum AuditAnalyzer {
    /// Runs every check; findings sorted by severity, the verdict from the most serious. Throws `InputError` when nothing is given or a configuration is malformed.
    /// With `bypass`, simulates the well-known 403-bypass variants of that request instead (`BypassAudit`).
    public static func analyze(_ input: AuditAnalyzer.Input) throws -> Report {
        if let request = input.bypass { return try bypass(request, input: input) }
        guard !(input.nginx.isEmpty && input.apache.isEmpty && input.roots.isEmpty) else {
            throw InputError(file: nil, expected: "at least one of --nginx FILE, --apache FILE, --root DIR", found: "none")
        }
        var findings: [Finding] = []
        var notes: [String] = []
        for path in input.nginx {
            let config = try NginxAnalyzer.parse(.file(path), fileSystem: input.fileSystem)
            let found = NginxAudit.run(config)
            findings += found
            notes.append("nginx \(path): \(config.files.count) file(s) read, \(NginxAudit.checkIDs.count) checks, \(found.count) finding(s)")
        }
        for path in input.apache {
            let found = try ApacheAudit.run(configPath: path, fileSystem: input.fileSystem)
            findings += found
            notes.append("apache \(path): \(found.count) finding(s)")
        }
        for root in input.roots {
            let choice = input.user.map { ServerUser.Choice(name: $0, reason: "--user") }
                ?? ServerUser.detect(in: input.fileSystem, nginx: input.nginx, apache: input.apache)
            guard let user = input.fileSystem.user(named: choice.name) else {
                throw InputError(file: nil, message: "no such user \(InputError.quote(choice.name))", help: "pass --user NAME")
            }
            let (f, n) = try RootAudit(root: root, user: user).run(in: input.fileSystem)
            findings += f
            notes += n
            notes.append("\(root) checked as \(choice.name): \(choice.reason)")
        }
        findings.sort { ($0.severity ?? .info) > ($1.severity ?? .info) }
        let worst = findings.first
        let verdict = worst.map { Verdict(status: nil, layer: $0.layer, cause: $0.cause) } ?? Verdict(status: nil, layer: .none, cause: .none)
        let subject = Subject(kind: .audit, config: (input.nginx + input.apache).first,
                              path: input.roots.first,
                              extra: ["counts": .object(Dictionary(uniqueKeysWithValues: Severity.allCases.map { s in
                                  (s.rawValue, JSONValue.int(findings.filter { $0.severity == s }.count))
                              }))])
        return Report(subject: subject, verdict: verdict, findings: findings, notes: notes)
    }

    /// The most serious severity among the findings, nil when there are none.
    public static func worst(_ report: Report) -> Severity? {
        report.findings.compactMap(\.severity).max()
    }
}
