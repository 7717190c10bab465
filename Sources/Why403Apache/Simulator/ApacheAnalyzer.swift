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
        var sim = Simulation(config: config, input: input)
        return sim.run()
    }
}
