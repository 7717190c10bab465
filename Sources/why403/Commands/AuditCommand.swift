import ArgumentParser
import Why403Core

/// `why403 audit` (see ../shared/spec/cli-v1.md). Not built yet.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 audit' is not available in this build yet")
    }
}
