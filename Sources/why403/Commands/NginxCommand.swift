import ArgumentParser
import Why403Core

/// `why403 nginx` (see ../shared/spec/cli-v1.md). Not built yet.
struct NginxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nginx", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 nginx' is not available in this build yet")
    }
}
