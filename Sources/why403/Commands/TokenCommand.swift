import ArgumentParser
import Foundation
import Why403Core
import Why403Token

/// `why403 token TOKEN` (see ../shared/spec/cli-v1.md): decode a bearer token locally and say whether
/// it explains a 401 or a 403.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Decode a bearer token locally (never sent anywhere): expiry, audience, issuer, scopes and roles against what the endpoint requires; 401 vs 403 as RFC 6750 says.",
        discussion: """
            TOKEN is a JWT, 'Bearer <jwt>', a whole 'Authorization: ...' line, '-' to read it from standard input \
            (keeps it out of the shell history), or '' for a request sent without credentials. The token is \
            redacted from every output.
            """)

    @Argument(help: ArgumentHelp("The token, 'Bearer <token>', an 'Authorization: ...' line, '-' for stdin, or '' for none.", valueName: "token"))
    var token: String

    @Option(name: .long, help: ArgumentHelp("A scope the endpoint requires (repeatable).", valueName: "scope"))
    var scope: [String] = []

    @Option(name: .long, help: ArgumentHelp("A role the endpoint requires (repeatable).", valueName: "role"))
    var role: [String] = []

    @Option(name: .customLong("www-authenticate"), help: ArgumentHelp("The WWW-Authenticate value the server answered with.", valueName: "value"))
    var wwwAuthenticate: String?

    @Option(name: .long, help: ArgumentHelp("Keys to check the signature: a JWKS, one JWK, a PEM public key or certificate, or an HMAC secret.", valueName: "file"))
    var jwks: String?

    @Option(name: .long, help: ArgumentHelp("The audience the API expects (aud).", valueName: "audience"))
    var audience: String?

    @Option(name: .long, help: ArgumentHelp("The issuer the API trusts (iss), compared exactly.", valueName: "issuer"))
    var issuer: String?

    @Option(name: .long, help: ArgumentHelp("The clock, in seconds since 1970 (default: this machine's clock).", valueName: "unix-time"))
    var now: Double?

    @Option(name: .long, help: ArgumentHelp("Clock skew allowed on exp, nbf and iat, in seconds.", valueName: "seconds"))
    var leeway: Double = 0

    @OptionGroup var output: OutputOptions<ReportFormats>

    /// Largest key file read: key sets are a few KiB.
    static let maximumKeyFile = 4 << 20

    func validate() throws {
        try output.checkFormat()
        guard leeway >= 0, leeway.isFinite else { throw ValidationError("--leeway takes a number of seconds, 0 or more") }
        if let now, !now.isFinite { throw ValidationError("--now takes a number of seconds since 1970") }
    }

    func run() async throws {
        var redactor = Redactor()
        let tokenText: String
        if token == "-" {
            let bytes = try Self.readStdin(limit: TokenText.maximumLength + 4096)
            // Junk on stdin is an InputError here, with its position, before any decoding.
            _ = try TokenText(bytes: bytes, source: "stdin")
            tokenText = String(decoding: bytes, as: UTF8.self)
        } else {
            tokenText = token
        }
        redactor = redactor.adding(secret: tokenText)
        if let clean = try? TokenText(tokenText) { redactor = redactor.adding(secret: clean.value) }
        var keys: KeySet?
        if let jwks {
            let data = try Self.readFile(jwks)
            let set = try KeySet(data: data, source: jwks)
            if set.form == .secret {
                // The secret as KeySet reads it: the file less its final newline.
                redactor = redactor.adding(secret: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines))
            }
            keys = set
        }
        let input = TokenAnalyzer.Input(token: tokenText, requiredScopes: scope, requiredRoles: role, wwwAuthenticate: wwwAuthenticate,
                               keys: keys, audience: audience, issuer: issuer,
                               now: now ?? Date().timeIntervalSince1970, leeway: leeway)
        let report: Report
        do {
            report = try await TokenAnalyzer().analyze(input)
        } catch var error as InputError {
            if token == "-" && error.file == "TOKEN" { error.file = "stdin" }
            throw error
        }
        output.emit(report, redactor: redactor)
    }

    /// Standard input, keeping at most `limit` bytes and one more (so that "too long" can be told apart).
    /// The rest is read and dropped up to 16 MiB, so a writer is not killed by SIGPIPE; an endless
    /// stream stops there instead of hanging.
    static func readStdin(limit: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var total = 0
        while total <= 16 << 20 {
            guard let chunk = try FileHandle.standardInput.read(upToCount: 65_536), !chunk.isEmpty else { break }
            total += chunk.count
            if out.count <= limit { out += chunk }
        }
        return out
    }

    static func readFile(_ path: String) throws -> Data {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw InputError(file: path, message: "no such file", help: "save the issuer's key set: curl -s ISSUER/.well-known/jwks.json > jwks.json")
        }
        guard !isDir.boolValue else { throw InputError(file: path, expected: "a file", found: "a directory") }
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw InputError(file: path, message: "cannot read the file (permission denied?)")
        }
        defer { try? h.close() }
        let data = (try? h.read(upToCount: maximumKeyFile + 1)) ?? Data()
        guard data.count <= maximumKeyFile else {
            throw InputError(file: path, expected: "a key file of at most 4 MiB", found: "a larger file")
        }
        return data
    }
}
