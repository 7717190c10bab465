import Why403Core

/// One directive of an Apache httpd configuration, or a section (`<Directory …>` … `</Directory>`)
/// with its children, after includes, `<IfModule>`, `<IfDefine>`, `<IfVersion>` and `${VAR}` were resolved.
public struct ApacheDirective: Sendable, Equatable {
    /// The name as written (`Require`, `Directory`); compare with `is(_:)`, which ignores case as httpd does.
    public var name: String
    /// The arguments, unquoted, `${VAR}` expanded.
    public var args: [String]
    /// Where it starts.
    public var location: SourceLocation
    /// The line as written (continuations joined), for evidence.
    public var text: String
    /// For a section: its children. `nil` for a plain directive.
    public var children: [ApacheDirective]?

    /// A directive or section.
    public init(name: String, args: [String], location: SourceLocation, text: String,
                children: [ApacheDirective]? = nil) {
        self.name = name
        self.args = args
        self.location = location
        self.text = text
        self.children = children
    }

    /// The lower-cased name, as httpd compares directive names.
    public var key: String { name.lowercased() }

    /// Whether this is the directive `name` (case-insensitive).
    public func `is`(_ name: String) -> Bool { self.name.lowercased() == name.lowercased() }

    /// Whether this is a section.
    public var isSection: Bool { children != nil }

    /// The evidence line for this directive.
    public var evidence: Evidence { Evidence(location, text) }
}

