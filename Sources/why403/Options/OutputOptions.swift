import ArgumentParser
import Why403Core
import Why403Render

extension OutputFormat: ExpressibleByArgument {
    /// Help lists the formats every command takes; `audit` (sarif) and `logs` (html) say theirs.
    public static var allValueStrings: [String] { ["text", "json", "markdown"] }
}

/// `--format`, shared by every analysing command.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: text, json or markdown.")
    var format: OutputFormat = .text

    /// Rejects a format the command does not write; `extra` names what it accepts beyond text, json and
    /// markdown (`sarif` for audit, `html` for logs). Named apart from `validate()`, which ArgumentParser
    /// calls by itself and which a defaulted argument would silently shadow.
    func checkFormat(allowing extra: Set<OutputFormat>) throws {
        let base: Set<OutputFormat> = [.text, .json, .markdown]
        guard base.union(extra).contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available here; use text, json or markdown")
        }
    }

    /// Redacts, renders and prints the report on stdout.
    func emit(_ report: Report, redactor: Redactor = Redactor()) {
        let safe = report.redacted(by: redactor)
        Terminal.out(Renderer.render(safe, as: format, color: format == .text && Terminal.colorEnabled))
    }
}
