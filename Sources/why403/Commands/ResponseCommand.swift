import ArgumentParser
import Why403Core

/// `why403 response` (see ../shared/spec/cli-v1.md). Not built yet.
struct ResponseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "response", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 response' is not available in this build yet")
    }
}
