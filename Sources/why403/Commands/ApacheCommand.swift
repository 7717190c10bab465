import ArgumentParser
import Why403Core

/// `why403 apache` (see ../shared/spec/cli-v1.md). Not built yet.
struct ApacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apache", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 apache' is not available in this build yet")
    }
}
