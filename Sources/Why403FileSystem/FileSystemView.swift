import Why403Core

/// What the analysers need to know about one path, as `lstat` and the extended attributes tell it.
public struct FileInfo: Sendable, Equatable {
    /// The file type, as `lstat` reports it.
    public enum Kind: String, Sendable { case regular, directory, symlink, other }
    /// The file type (a symbolic link is not followed).
    public var kind: Kind
    /// Permission bits (07777).
    public var mode: UInt32
    /// The owner's uid.
    public var uid: UInt32
    /// The owning group's gid.
    public var gid: UInt32
    /// Size in bytes.
    public var size: UInt64
    /// For a symbolic link: where it points (as written in the link).
    public var symlinkTarget: String?
    /// POSIX ACL entries from `system.posix_acl_access`, when the file has an extended ACL.
    public var acl: [ACLEntry]?
    /// The SELinux label from `security.selinux`, when the filesystem carries one.
    public var selinuxLabel: String?

    /// A description of one path.
    public init(kind: Kind, mode: UInt32, uid: UInt32, gid: UInt32, size: UInt64 = 0,
                symlinkTarget: String? = nil, acl: [ACLEntry]? = nil, selinuxLabel: String? = nil) {
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.symlinkTarget = symlinkTarget
        self.acl = acl
        self.selinuxLabel = selinuxLabel
    }
}

/// One POSIX ACL entry (`user:alice:r-x`, `mask::r--`, ...).
public struct ACLEntry: Sendable, Equatable {
    /// The entry's kind, named as `acl(5)` names them.
    public enum Tag: String, Sendable { case userObj = "user_obj", user, groupObj = "group_obj", group, mask, other }
    /// The entry's kind.
    public var tag: Tag
    /// uid or gid for `user`/`group` entries.
    public var qualifier: UInt32?
    /// rwx bits (4, 2, 1).
    public var permissions: UInt8

    /// One entry: tag, uid/gid for named entries, rwx bits.
    public init(tag: Tag, qualifier: UInt32? = nil, permissions: UInt8) {
        self.tag = tag
        self.qualifier = qualifier
        self.permissions = permissions
    }
}

/// A user as the kernel checks it: uid, primary gid and supplementary groups.
public struct UserIdentity: Sendable, Equatable {
    /// The login name.
    public var name: String
    /// The uid.
    public var uid: UInt32
    /// The primary gid.
    public var gid: UInt32
    /// Every group the user is in (primary and supplementary), as `getgrouplist` says.
    public var groups: [UInt32]

    /// A user as the kernel checks it.
    public init(name: String, uid: UInt32, gid: UInt32, groups: [UInt32]) {
        self.name = name
        self.uid = uid
        self.gid = gid
        self.groups = groups
    }
}

/// Read-only access to a filesystem: the live one, or an in-memory twin for tests.
///
/// why403 only reads; nothing in this protocol writes.
public protocol FileSystemView: Sendable {
    /// `lstat` of the path (a symlink is described, not followed), or nil when it does not exist.
    func info(_ path: String) -> FileInfo?
    /// The names in a directory, or nil when it cannot be listed.
    func list(_ path: String) -> [String]?
    /// Up to `limit` bytes of a file.
    func read(_ path: String, limit: Int) throws -> [UInt8]
    /// The user named `name` (from the passwd and group databases), or nil.
    func user(named name: String) -> UserIdentity?
    /// Whether SELinux is enabled on this machine.
    var selinuxEnabled: Bool { get }
    /// Whether SELinux enforces (false when permissive: a wrong label is only logged).
    var selinuxEnforcing: Bool { get }
    /// The name of the user with this uid, for evidence (`namei -l` style), or nil.
    func userName(_ uid: UInt32) -> String?
    /// The name of the group with this gid, for evidence, or nil.
    func groupName(_ gid: UInt32) -> String?
}

extension FileSystemView {
    /// Default: enforcing whenever enabled.
    public var selinuxEnforcing: Bool { selinuxEnabled }
    /// Default: names unknown, evidence shows numbers.
    public func userName(_ uid: UInt32) -> String? { nil }
    /// Default: names unknown, evidence shows numbers.
    public func groupName(_ gid: UInt32) -> String? { nil }
}
