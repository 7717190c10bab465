import ArgumentParser
import Foundation
import Why403Core
import Why403Lab
import Why403Render

/// `why403 lab`: a self-contained tour of common 403 misconfigurations, built, served and explained.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab",
        abstract: "A self-contained tour: common 403 misconfigurations, built, served on loopback and explained.",
        discussion: """
        Builds each scenario (nginx and Apache configurations, saved CDN and S3 responses, an API token, an S3
        bucket policy, Cloudflare and AWS WAF rule exports whose printed patch is applied and checked) in a
        scratch folder and explains it. Where nginx and Apache httpd are installed, it also
        starts them on 127.0.0.1 and shows that the real server answers what why403 predicted.
        Exit status 1 when a scenario is not explained as expected or a real server disagrees.
        """)

    @OptionGroup var output: OutputOptions<ReportFormats>

    @Flag(name: .customLong("no-servers"), help: "Do not start nginx or Apache; only explain the scenarios.")
    var noServers = false

    @Flag(help: "Keep the scenario files (printed at the end) to try the other commands on them.")
    var keep = false

    @Option(help: "Run only these scenarios (repeatable): ids as printed by the tour.")
    var only: [String] = []

    func validate() throws { try output.checkFormat() }

    func run() async throws {
        let dir = NSTemporaryDirectory() + "why403-lab-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        chmod(dir, 0o755)
        defer { if !keep { try? FileManager.default.removeItem(atPath: dir) } }
        var scenarios = LabScenario.all
        if !only.isEmpty {
            scenarios = scenarios.filter { only.contains($0.id) }
            guard !scenarios.isEmpty else {
                throw InputError(file: nil, expected: "a scenario id (\(LabScenario.all.map(\.id).joined(separator: ", ")))",
                                 found: InputError.quote(only.joined(separator: ",")))
            }
        }
        let runner = LabRunner(directory: dir, startServers: !noServers)
        let text = output.format == .text
        // A scenario this machine cannot run (the ModSecurity one without libmodsecurity) is named and left out.
        var unavailable: [String] = []
        scenarios = scenarios.filter { s in
            guard let why = runner.unavailable(s) else { return true }
            unavailable.append("\(s.id): \(why)")
            return false
        }
        let color = text && Terminal.colorEnabled
        let total = scenarios.count
        if text { Terminal.out("why403 lab: \(total) misconfigurations, each built in \(dir)\n\n") }
        let counter = Counter()
        let results = try await runner.run(scenarios) { result in
            guard text else { return }
            Terminal.out(LabTourRenderer.entry(LabReport.tourEntry(result, index: counter.next(), of: total), color: color))
        }
        if text {
            for u in unavailable { Terminal.out("skipped \(u)\n") }
            Terminal.out(LabTourRenderer.summary(explained: results.filter(\.explained).count, total: results.count,
                                                compared: results.compactMap(\.agrees), directory: dir, kept: keep,
                                                serverScenarios: results.filter(\.scenario.runsServer).count))
        } else {
            output.emit(LabReport.report(results, directory: dir))
        }
        if results.contains(where: { !$0.explained || $0.agrees == false }) { throw ExitCode(1) }
    }
}

/// Numbers the tour's entries as they arrive.
final class Counter: @unchecked Sendable {
    private var n = 0
    private let lock = NSLock()
    func next() -> Int { lock.lock(); defer { lock.unlock() }; n += 1; return n }
}
