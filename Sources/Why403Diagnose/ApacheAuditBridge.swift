import Why403Core
import Why403FileSystem
import Why403Apache

/// The Apache side of `audit`: `ApacheAudit`'s problems as findings with a severity and a rule id.
enum ApacheAuditBridge {
    static func run(configPath: String, fileSystem: any FileSystemView) throws -> (findings: [Finding], notes: [String]) {
        let problems = try ApacheAudit.run(configPath: configPath, fileSystem: fileSystem)
        let findings = problems.map { p -> Finding in
            var f = p.finding
            f.rule = p.id
            f.severity = switch p.severity {
            case "error": .error
            case "warning": .warning
            default: .info
            }
            return f
        }
        return (findings, ["apache \(configPath): \(problems.count) finding(s)"])
    }
}
