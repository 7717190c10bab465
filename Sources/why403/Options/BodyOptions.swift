import ArgumentParser
import Foundation
import Why403Core

/// `--data TEXT|@FILE`: the request body, as curl's `--data-binary` takes it (the text as given, or the
/// bytes of FILE after `@`). Without it the request has no body and no `Content-Length` (cli-v1).
struct BodyOptions: ParsableArguments {
    @Option(name: .customLong("data"), help: ArgumentHelp("The request body: TEXT, or @FILE for a file's bytes.", valueName: "text|@file"))
    var data: String?

    /// The body's bytes; throws `InputError` when `@FILE` cannot be read.
    func body() throws -> [UInt8]? {
        guard let data else { return nil }
        guard data.hasPrefix("@") else { return Array(data.utf8) }
        let path = String(data.dropFirst())
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "cannot read the body file", help: "--data @FILE takes the bytes of FILE; --data TEXT takes TEXT as given")
        }
        return Array(bytes)
    }
}
