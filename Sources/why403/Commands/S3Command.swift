import ArgumentParser
import Why403Core

/// `why403 s3` (see ../shared/spec/cli-v1.md). Not built yet.
struct S3Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "s3", abstract: "Not available yet.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        throw InputError(file: nil, message: "'why403 s3' is not available in this build yet")
    }
}
