import ArgumentParser
import Foundation
import Why403Core

/// The root command: only lists the subcommands.
struct Why403: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why403",
        abstract: "Tells exactly why an HTTP request is refused: which layer, which rule, the evidence and the fix.",
        version: Why403Version.current,
        subcommands: [
            ProbeCommand.self, ResponseCommand.self, NginxCommand.self, ApacheCommand.self, FSCommand.self,
            TokenCommand.self, S3Command.self, AWSWAFCommand.self, CloudflareCommand.self, LogsCommand.self, DiagnoseCommand.self, AuditCommand.self,
            LabCommand.self, ModSecurityCommand.self,
        ]
    )
}

/// The entry point maps errors to the contract's exit statuses (cli-v1): 2 for bad input (usage
/// errors included, where ArgumentParser would say 64), 1 for an internal error.
@main
enum Entry {
    static func main() async {
        // A closed stdout must end the program through EPIPE (Terminal.out), not a signal mid-write.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try Why403.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as InputError {
            Terminal.error(Redactor().redact(error.description))
            exit(2)
        } catch let errors as InputErrors {
            Terminal.error(Redactor().redact(errors.description))
            exit(2)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = Why403.exitCode(for: error)
            let message = Why403.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            if error is ValidationError || code == .validationFailure || code.rawValue == 64 {
                Terminal.error(message)
                exit(2)
            }
            Terminal.error("error: internal: \(Redactor().redact(message.isEmpty ? String(describing: error) : message))")
            exit(1)
        }
    }
}

/// Writing to the terminal.
enum Terminal {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes to stdout; when the reader has gone (`why403 ... | head`), stops quietly as `cat` does.
    static func out(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(STDOUT_FILENO, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                exit(errno == EPIPE ? 0 : 1)
            }
            offset += n
        }
    }

    /// Colour only on a terminal and never with `NO_COLOR`.
    static var colorEnabled: Bool {
        if let v = ProcessInfo.processInfo.environment["NO_COLOR"], !v.isEmpty { return false }
        return isatty(STDOUT_FILENO) == 1
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
