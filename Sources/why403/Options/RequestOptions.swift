import ArgumentParser
import Why403Core

/// `-X`, `-H` and `--client-ip`: they mean the same in every command that describes a request.
struct RequestOptions: ParsableArguments {
    @Option(name: .customShort("X"), help: "The request method.")
    var method: String = "GET"

    @Option(name: .customShort("H"), help: ArgumentHelp("A request header, 'Name: value' (repeatable).", valueName: "header"))
    var headers: [String] = []

    @Option(name: .customLong("client-ip"), help: "The client address the server sees.")
    var clientIP: String?

    /// The headers as name/value pairs, in order.
    func parsedHeaders() throws -> [(name: String, value: String)] {
        try headers.map { h in
            guard let colon = h.firstIndex(of: ":"), colon != h.startIndex else {
                throw InputError(file: nil, expected: "a header 'Name: value'", found: InputError.quote(Redactor().redact(h)))
            }
            return (String(h[..<colon]).trimmingSpaces, String(h[h.index(after: colon)...]).trimmingSpaces)
        }
    }
}

/// A URL without a scheme is taken as http:// (cli-v1).
func normalizeURL(_ raw: String) -> String {
    raw.contains("://") ? raw : "http://" + raw
}
