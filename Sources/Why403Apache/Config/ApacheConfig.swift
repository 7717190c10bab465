import Why403Core

/// A parsed Apache httpd configuration: the directive tree with includes and conditionals resolved,
/// plus what parsing learned on the way (modules loaded, variables defined, files read).
public struct ApacheConfig: Sendable {
    /// The main configuration file.
    public var mainFile: String
    /// `ServerRoot` (relative paths are resolved against it).
    public var serverRoot: String
    /// The resolved tree, in file order.
    public var directives: [ApacheDirective]
    /// Module identifiers known to be present: `rewrite_module` and `mod_rewrite.c` forms.
    public var modules: Set<String>
    /// `Define`d variables and `-D` parameters.
    public var defines: [String: String]
    /// Every configuration file read, in order.
    public var files: [String]
    /// Whether the Debian layout (apache2.conf + envvars) was recognised.
    public var debianLayout: Bool
    /// Things worth telling that are not errors (undefined variables, skipped optional includes).
    public var notes: [String]

    /// Whether a module is loaded (`rewrite_module`, `mod_rewrite.c` or `rewrite`).
    public func hasModule(_ id: String) -> Bool {
        modules.contains(id) || modules.contains("\(id)_module") || modules.contains("mod_\(id).c")
    }
}
