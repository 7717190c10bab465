import ArgumentParser
import Why403Core

/// `why403 fs` (see ../shared/spec/cli-v1.md). Not built yet.
struct FSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "fs", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 fs' is not available in this build yet")
    }
}
