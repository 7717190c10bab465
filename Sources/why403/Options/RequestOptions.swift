import ArgumentParser
import Foundation
import Why403Core

/// `-X`, `-H` and `--client-ip`: they mean the same in every command that describes a request.
struct RequestOptions: ParsableArguments {
    @Option(name: .customShort("X"), help: "The request method.")
    var method: String = "GET"

    @Option(name: .customShort("H"), help: ArgumentHelp("A request header, 'Name: value' (repeatable; 'Name:' is an empty value).", valueName: "header"))
    var headers: [String] = []

    @Option(name: .customLong("client-ip"), help: "The address the connection comes from (IPv4 or IPv6).")
    var clientIP: String?

    /// The headers as name/value pairs, in order.
    func parsedHeaders() throws -> [(name: String, value: String)] {
        try headers.map(Request.parseHeaderLine)
    }

    /// Core's request for `url` (no scheme means http); throws `InputError` for a malformed URL,
    /// header or address.
    func request(url: String, extraHeaders: [(name: String, value: String)] = []) throws -> Request {
        try Request(method: method, url: url, headers: try parsedHeaders() + extraHeaders, clientIP: clientIP)
    }

    /// A redactor that hides the secrets these headers carry, and the values of the secret parameters of `url`'s query
    /// and of a form `body` (engines quote the values they matched: ModSecurity's "Value: `…'", a rule's match).
    func redactor(url: String? = nil, body: [UInt8]? = nil) throws -> Redactor {
        var r = Redactor().adding(secretsOf: try parsedHeaders())
        if let url, let q = URLComponents(string: url)?.percentEncodedQuery ?? url.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) {
            r = r.adding(secretsOfParameters: q)
        }
        if let body { r = r.adding(secretsOfParameters: String(decoding: body, as: UTF8.self)) }
        return r
    }
}
