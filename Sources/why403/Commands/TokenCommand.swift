import ArgumentParser
import Why403Core

/// `why403 token` (see ../shared/spec/cli-v1.md). Not built yet.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "token", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 token' is not available in this build yet")
    }
}
