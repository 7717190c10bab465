import Why403Core

/// An htpasswd file (`user:hash` lines), as written by `htpasswd` and read by nginx's
/// auth_basic_user_file and Apache's AuthUserFile.
public struct HtpasswdFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var user: String
        public var hash: String
        public var line: Int
    }

    public var path: String
    public var entries: [Entry]

    /// Parses the file's text; a malformed line is an `InputError` naming path and line.
    public init(path: String, contents: String) throws {
        self.path = path
        self.entries = []
        // Being built by the htpasswd work.
    }

    public enum Result: Sendable, Equatable {
        case match(line: Int)
        case mismatch(line: Int)
        case unknownUser
        /// A hash format this build cannot verify (named), at that line.
        case unsupported(format: String, line: Int)
    }

    /// Checks a user and password the way the server does (first entry of that user wins).
    public func verify(user: String, password: String) -> Result {
        .unknownUser
    }
}
