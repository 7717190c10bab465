import ArgumentParser
import Foundation
import Why403Core
import Why403FileSystem

/// `why403 fs PATH [--user NAME]` (see ../shared/spec/cli-v1.md): can the server's user read this file.
struct FSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fs",
        abstract: "Can the server's user read this file: every directory on the way, mode, owner, group, ACL, SELinux label.",
        discussion: """
            Walks every component of PATH as the kernel checks it for the user: search permission on each \
            directory, read on the file (read and search to list a directory), owner/group/other classes, \
            supplementary groups, POSIX ACLs and their mask, symbolic links, and the SELinux label where \
            SELinux is enabled. The verdict's status is what a static file server running as that user \
            answers (200, 403 or 404). why403 only reads: fixes are printed, never run.
            """)

    @Argument(help: "The file or directory to check.")
    var path: String

    @Option(name: .long, help: "The user to check as (default: the user of the local nginx or Apache configuration, else www-data).")
    var user: String?

    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
        guard !path.isEmpty else { throw ValidationError("PATH must not be empty") }
    }

    func run() async throws {
        let report = try FSAnalyzer.analyze(FSAnalyzer.Input(path: path, user: user,
                                                             cwd: FileManager.default.currentDirectoryPath))
        output.emit(report)
    }
}
