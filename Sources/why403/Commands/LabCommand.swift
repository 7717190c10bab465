import ArgumentParser
import Why403Core

/// `why403 lab` (see ../shared/spec/cli-v1.md). Not built yet.
struct LabCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lab", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 lab' is not available in this build yet")
    }
}
