import Why403Core

/// Explains what an Apache httpd configuration, on this filesystem, answers to one request, and why.
///
/// Follows httpd 2.4's request processing (server/request.c): server-context mod_rewrite and
/// mod_alias (translate), the directory walk with `<Directory>` sections shortest first and
/// `.htaccess` files as `AllowOverride` permits, `<DirectoryMatch>`, `<Files>`, `<Location>`, `<If>`,
/// then mod_access_compat (`Order`/`Allow`/`Deny`, AH01797) and mod_authz_core (`Require`, AH01630)
/// combined by `Satisfy`, Basic authentication against `AuthUserFile` (AH01617/AH01618, 401),
/// per-directory mod_rewrite (fixups) and the default handler (AH01276, AH00132, AH00035, AH00037).
///
/// Denies on: the first of those phases that refuses. Evidence: the directives (file:line) that decide,
/// the `.htaccess` files read or ignored, and ModSecurity log lines. `certain` when every input of the
/// decision is known (the client address was given, no host-name or unmodelled rule was involved);
/// `likely` otherwise. Fixes: the directive to change, as a patch; `chmod`/`setfacl` from the
/// filesystem walk.
///
/// The phases live in one file each: `Simulation+Run` (the request loop), `Simulation+ServerSelection`,
/// `Simulation+Translate`, `Simulation+DirectoryWalk` with `Htaccess/`, `Simulation+Access` (authn/authz),
/// `Simulation+Rewrite`, `Simulation+Handler`.
public enum ApacheAnalyzer {
    /// Analyses one request; throws `InputError`/`InputErrors` when the configuration cannot be read.
    public static func analyze(_ input: Input) throws -> Report {
        var parser = ApacheConfigParser(fileSystem: input.fileSystem, defines: input.defines,
                                        environment: input.environment, httpdVersion: input.httpdVersion)
        let config = try parser.parse(mainFile: input.configPath)
        try checkListens(config, on: ApacheRequest(input.request))
        var sim = Simulation(config: config, input: input)
        return sim.run()
    }

    /// A configuration whose `Listen` lines do not include the request's port (and address, when the URL
    /// names one) is not the server that answered: httpd would refuse the connection. An input error, as
    /// nginx's "no server listening on port N", so it never explains, confirms or gets patched for a
    /// request it does not receive. Without any `Listen` line there is nothing to compare (httpd itself
    /// would not start): the analysis goes on.
    static func checkListens(_ config: ApacheConfig, on req: ApacheRequest) throws {
        let listens = config.directives.filter { $0.is("Listen") }
        guard !listens.isEmpty else { return }
        let requested = IPAddress(req.host)
        let matches = listens.contains { l in
            guard let spec = l.args.first else { return false }
            let (host, port) = RequestTarget.splitHostPort(spec)
            let portText = port ?? host
            guard Int(portText) == req.port else { return false }
            guard port != nil, let bound = IPAddress(host), !bound.bytes.allSatisfy({ $0 == 0 }), let requested else { return true }
            return bound == requested || bound.mappedIPv4 == requested || requested.mappedIPv4 == bound
        }
        guard !matches else { return }
        throw InputError(file: listens.first?.location.file ?? config.mainFile, line: listens.first?.location.line,
                         expected: "a Listen on port \(req.port)",
                         found: listens.compactMap { $0.args.first.map { "Listen \($0)" } }.joined(separator: ", ")
                            + " (httpd would refuse the connection: this configuration is not the server that answered)",
                         help: "give the configuration the running server reads (why403 diagnose finds it), or the URL with a port it listens on")
    }
}
