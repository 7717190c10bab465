import ArgumentParser
import Foundation
import Why403Core
import Why403Response

/// `why403 response FILE` (see ../shared/spec/cli-v1.md): diagnose a saved response.
struct ResponseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "response",
        abstract: "Diagnose a saved response: raw `curl -si` output, a `curl -v` transcript, or a HAR file (each 401/403 entry).",
        discussion: "The format is detected. FILE '-' reads standard input. Secrets (cookies, tokens, signed URLs) are redacted.")

    @Argument(help: ArgumentHelp("The saved response, or '-' for standard input.", valueName: "file"))
    var file: String

    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws { try output.checkFormat() }

    func run() async throws {
        let bytes = try Self.readInput(file)
        let report = try ResponseAnalyzer.analyze(.init(bytes: bytes, file: file))
        output.emit(report)
    }

    /// The file's bytes (or stdin's); an unreadable path is an InputError naming it.
    static func readInput(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(file: path, message: "no such file", help: "save a response with `curl -si URL > response.http`")
        }
        guard !isDir.boolValue else { throw InputError(file: path, expected: "a file", found: "a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the file (permission denied?)")
        }
        return Array(data)
    }
}
