import Why403Core

/// A deterministic filesystem for tests: paths, modes, owners, ACLs, labels, users and groups set by
/// the test. Parent directories are created (root:root 0755) as needed.
public struct InMemoryFileSystem: FileSystemView {
    struct Node: Sendable {
        var info: FileInfo
        var contents: [UInt8]
    }

    var nodes: [String: Node] = ["/": Node(info: FileInfo(kind: .directory, mode: 0o755, uid: 0, gid: 0), contents: [])]
    var users: [String: UserIdentity] = ["root": UserIdentity(name: "root", uid: 0, gid: 0, groups: [0])]
    var groups: [UInt32: String] = [0: "root"]
    /// Whether this twin claims SELinux is enabled.
    public var selinuxEnabled: Bool
    /// Whether this twin claims SELinux enforces (when enabled).
    public var selinuxEnforcing: Bool

    /// An empty filesystem holding only `/` and the user root.
    public init(selinuxEnabled: Bool = false, selinuxEnforcing: Bool = true) {
        self.selinuxEnabled = selinuxEnabled
        self.selinuxEnforcing = selinuxEnabled && selinuxEnforcing
    }

    /// Adds a directory (and its missing parents).
    public mutating func directory(_ path: String, mode: UInt32 = 0o755, uid: UInt32 = 0, gid: UInt32 = 0,
                                   acl: [ACLEntry]? = nil, label: String? = nil) {
        put(path, FileInfo(kind: .directory, mode: mode, uid: uid, gid: gid, acl: acl, selinuxLabel: label), [])
    }

    /// Adds a regular file (and its missing parents).
    public mutating func file(_ path: String, _ text: String = "", mode: UInt32 = 0o644, uid: UInt32 = 0,
                              gid: UInt32 = 0, acl: [ACLEntry]? = nil, label: String? = nil) {
        let bytes = Array(text.utf8)
        put(path, FileInfo(kind: .regular, mode: mode, uid: uid, gid: gid, size: UInt64(bytes.count), acl: acl,
                           selinuxLabel: label), bytes)
    }

    /// Adds a symbolic link pointing at `target` (as written in the link).
    public mutating func symlink(_ path: String, to target: String, uid: UInt32 = 0, gid: UInt32 = 0) {
        put(path, FileInfo(kind: .symlink, mode: 0o777, uid: uid, gid: gid, size: UInt64(target.utf8.count),
                           symlinkTarget: target), [])
    }

    /// Adds a user with a primary group and supplementary groups.
    public mutating func user(_ name: String, uid: UInt32, gid: UInt32, groups extra: [UInt32] = []) {
        var all = [gid]
        for g in extra where !all.contains(g) { all.append(g) }
        users[name] = UserIdentity(name: name, uid: uid, gid: gid, groups: all)
        if groups[gid] == nil { groups[gid] = name }
    }

    /// Names a group.
    public mutating func group(_ name: String, gid: UInt32) {
        groups[gid] = name
    }

    mutating func put(_ path: String, _ info: FileInfo, _ contents: [UInt8]) {
        let p = Self.normalize(path)
        var parent = ""
        for part in p.split(separator: "/").dropLast() {
            parent += "/" + part
            if nodes[parent] == nil {
                nodes[parent] = Node(info: FileInfo(kind: .directory, mode: 0o755, uid: 0, gid: 0), contents: [])
            }
        }
        nodes[p] = Node(info: info, contents: contents)
    }

    static func normalize(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + parts.joined(separator: "/")
    }

    /// The path's description (a symlink is not followed).
    public func info(_ path: String) -> FileInfo? { nodes[Self.normalize(path)]?.info }

    /// The names directly under a directory, sorted.
    public func list(_ path: String) -> [String]? {
        let p = Self.normalize(path)
        guard nodes[p]?.info.kind == .directory else { return nil }
        let prefix = p == "/" ? "/" : p + "/"
        return nodes.keys.filter { $0.hasPrefix(prefix) && $0 != p && !$0.dropFirst(prefix.count).contains("/") }
            .map { String($0.dropFirst(prefix.count)) }.sorted()
    }

    /// Up to `limit` bytes of a regular file.
    public func read(_ path: String, limit: Int) throws -> [UInt8] {
        guard let node = nodes[Self.normalize(path)], node.info.kind == .regular else {
            throw InputError(file: path, message: "cannot open: No such file or directory")
        }
        return Array(node.contents.prefix(limit))
    }

    /// The user by name (or by uid given as a number).
    public func user(named name: String) -> UserIdentity? {
        if let u = users[name] { return u }
        if let uid = UInt32(name) { return users.values.first { $0.uid == uid } }
        return nil
    }

    /// The user name of a uid.
    public func userName(_ uid: UInt32) -> String? { users.values.first { $0.uid == uid }?.name }

    /// The group name of a gid.
    public func groupName(_ gid: UInt32) -> String? { groups[gid] }
}
