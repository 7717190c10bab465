import ArgumentParser
import Why403Core
import Why403Render

extension OutputFormat: ExpressibleByArgument {
    /// Not the whole list: each command's `--format` help names what it writes (`OutputOptions<Formats>`).
    public static var allValueStrings: [String] { [] }
}

/// The formats one command can write: `--format` offers exactly these, and its help lists them.
protocol FormatSet {
    static var formats: [OutputFormat] { get }
}

/// text, json, markdown: every analysing command.
enum ReportFormats: FormatSet { static let formats: [OutputFormat] = [.text, .json, .markdown] }
/// `audit` adds SARIF (for code-scanning dashboards).
enum AuditFormats: FormatSet { static let formats: [OutputFormat] = [.text, .json, .markdown, .sarif] }
/// `logs` adds a self-contained HTML page.
enum LogsFormats: FormatSet { static let formats: [OutputFormat] = [.text, .json, .markdown, .html] }

/// `--format`, shared by every analysing command; `Formats` says which ones the command writes.
struct OutputOptions<Formats: FormatSet>: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Output format: \(Formats.formats.map(\.rawValue).joined(separator: ", ")).",
                                            valueName: Formats.formats.map(\.rawValue).joined(separator: "|")))
    var format: OutputFormat = .text

    init() {}

    /// Rejects a format the command does not write (exit 2). Named apart from `validate()`, which
    /// ArgumentParser calls by itself and which a command's own `validate()` would silently shadow.
    func checkFormat() throws {
        guard Formats.formats.contains(format) else {
            throw ValidationError("--format \(format.rawValue) is not available here; use \(Formats.formats.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// Redacts, renders and prints the report on stdout.
    func emit(_ report: Report, redactor: Redactor = Redactor()) {
        emit(redacted: report.redacted(by: redactor))
    }

    /// Renders and prints a report the caller has just passed through `Report.redacted(by:)` (redacting it
    /// twice costs a second pass over every string of a large report and changes nothing).
    func emit(redacted report: Report) {
        Terminal.out(Renderer.render(report, as: format, color: format == .text && Terminal.colorEnabled))
    }
}
