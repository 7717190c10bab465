import ArgumentParser
import Why403Core

/// `why403 logs` (see ../shared/spec/cli-v1.md). Not built yet.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 logs' is not available in this build yet")
    }
}
