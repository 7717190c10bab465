import ArgumentParser
import Why403Core

/// `why403 diagnose` (see ../shared/spec/cli-v1.md). Not built yet.
struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diagnose", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 diagnose' is not available in this build yet")
    }
}
