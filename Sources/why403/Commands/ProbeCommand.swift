import ArgumentParser
import Why403Core

/// `why403 probe` (see ../shared/spec/cli-v1.md). Not built yet.
struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "probe", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 probe' is not available in this build yet")
    }
}
