#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core

/// The filesystem of this machine, read with `lstat`, `readlink`, `opendir`, `lgetxattr` and the
/// passwd/group databases. It never writes.
///
/// Hand-written over the C library rather than Foundation's FileManager: FileManager does not expose
/// `lstat`'s raw mode, extended attributes (POSIX ACLs, SELinux labels) or `getgrouplist`.
public struct LiveFileSystem: FileSystemView {
    /// Where SELinux's filesystem is mounted when it is enabled (overridable for tests).
    public var selinuxMount: String

    /// The live filesystem.
    public init(selinuxMount: String = "/sys/fs/selinux") {
        self.selinuxMount = selinuxMount
    }

    /// `lstat` plus the `system.posix_acl_access` and `security.selinux` attributes.
    public func info(_ path: String) -> FileInfo? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let fmt = UInt32(st.st_mode) & 0o170000
        let kind: FileInfo.Kind
        switch fmt {
        case 0o100000: kind = .regular
        case 0o040000: kind = .directory
        case 0o120000: kind = .symlink
        default: kind = .other
        }
        var target: String? = nil
        if kind == .symlink { target = Self.readLink(path) }
        var acl: [ACLEntry]? = nil
        if kind != .symlink, let bytes = Self.xattr(path, "system.posix_acl_access") {
            acl = ACLCodec.decode(bytes)
        }
        var label: String? = nil
        if let bytes = Self.xattr(path, "security.selinux") {
            var b = bytes
            while b.last == 0 { b.removeLast() }
            label = String(decoding: b, as: UTF8.self)
        }
        return FileInfo(kind: kind, mode: UInt32(st.st_mode) & 0o7777, uid: UInt32(st.st_uid),
                        gid: UInt32(st.st_gid), size: UInt64(st.st_size), symlinkTarget: target,
                        acl: acl, selinuxLabel: label)
    }

    /// The names in a directory (without `.` and `..`), sorted; nil when it cannot be opened.
    public func list(_ path: String) -> [String]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { ptr in
                ptr.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Up to `limit` bytes of a regular file; an unreadable file, or one that is not a regular file (a
    /// directory, a FIFO that would block, a device), is an `InputError` naming it.
    public func read(_ path: String, limit: Int) throws -> [UInt8] {
        // O_NONBLOCK: opening a FIFO must not hang; it is refused below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let e = errno
            throw InputError(file: path, message: "cannot open: \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, UInt32(st.st_mode) & 0o170000 == 0o100000 else {
            throw InputError(file: path, expected: "a regular file", found: "a directory, device, socket or pipe")
        }
        // Back to blocking reads for a regular file.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while out.count < limit {
            let want = min(buffer.count, limit - out.count)
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
            if n < 0 {
                if errno == EINTR { continue }
                let e = errno
                throw InputError(file: path, message: "cannot read: \(String(cString: strerror(e)))")
            }
            if n == 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }

    /// The user from `getpwnam_r` (or `getpwuid_r` for a number) with every group from `getgrouplist`.
    public func user(named name: String) -> UserIdentity? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buf = [CChar](repeating: 0, count: 16384)
        var rc = getpwnam_r(name, &pwd, &buf, buf.count, &result)
        if (rc != 0 || result == nil), let uid = UInt32(name) {
            rc = getpwuid_r(uid_t(uid), &pwd, &buf, buf.count, &result)
        }
        guard rc == 0, result != nil else { return nil }
        let login = String(cString: pwd.pw_name)
        let uid = UInt32(pwd.pw_uid), gid = UInt32(pwd.pw_gid)
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        while getgrouplist(login, gid_t(gid), &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count) + 64)
            count = Int32(groups.count)
        }
        var list: [UInt32] = []
        for g in groups.prefix(Int(count)) where !list.contains(UInt32(g)) { list.append(UInt32(g)) }
        return UserIdentity(name: login, uid: uid, gid: gid, groups: list)
    }

    /// True when SELinux's filesystem is mounted (`/sys/fs/selinux/enforce` or the directory exists).
    public var selinuxEnabled: Bool {
        access(selinuxMount + "/enforce", F_OK) == 0 || access(selinuxMount, F_OK) == 0
    }

    /// True when `/sys/fs/selinux/enforce` holds 1 (enforcing), false when 0 (permissive) or absent.
    public var selinuxEnforcing: Bool {
        guard let bytes = try? read(selinuxMount + "/enforce", limit: 4) else { return false }
        return bytes.first == UInt8(ascii: "1")
    }

    /// The user name from `getpwuid_r`.
    public func userName(_ uid: UInt32) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>? = nil
        var buf = [CChar](repeating: 0, count: 16384)
        guard getpwuid_r(uid_t(uid), &pwd, &buf, buf.count, &result) == 0, result != nil else { return nil }
        return String(cString: pwd.pw_name)
    }

    /// The group name from `getgrgid_r`.
    public func groupName(_ gid: UInt32) -> String? {
        var grp = group()
        var result: UnsafeMutablePointer<group>? = nil
        var buf = [CChar](repeating: 0, count: 65536)
        guard getgrgid_r(gid_t(gid), &grp, &buf, buf.count, &result) == 0, result != nil else { return nil }
        return String(cString: grp.gr_name)
    }

    static func readLink(_ path: String) -> String? {
        var buf = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buf, 4096)
        guard n >= 0 else { return nil }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    typealias GetXattr = @convention(c) (UnsafePointer<CChar>?, UnsafePointer<CChar>?, UnsafeMutableRawPointer?, Int)
        -> Int

    struct XattrFunction: @unchecked Sendable { var call: GetXattr? }

    // INVARIANT: looked up once, never written afterwards. Glibc's Swift module does not export
    // sys/xattr.h, so `lgetxattr` is found in the C library at run time.
    static let lgetxattrFunction: XattrFunction = {
        guard let handle = dlopen(nil, RTLD_NOW), let sym = dlsym(handle, "lgetxattr") else { return XattrFunction(call: nil) }
        return XattrFunction(call: unsafeBitCast(sym, to: GetXattr.self))
    }()

    static func xattr(_ path: String, _ name: String) -> [UInt8]? {
        guard let lgetxattr = lgetxattrFunction.call else { return nil }
        let size = lgetxattr(path, name, nil, 0)
        guard size > 0 else { return nil }
        var buf = [UInt8](repeating: 0, count: size + 64)
        let n = buf.withUnsafeMutableBytes { lgetxattr(path, name, $0.baseAddress, $0.count) }
        guard n >= 0 else { return nil }
        return Array(buf[0..<n])
    }
}

/// The binary form of a POSIX ACL in `system.posix_acl_access` (Linux `posix_acl_xattr.h`):
/// a little-endian u32 version (2), then entries of u16 tag, u16 permissions, u32 id.
public enum ACLCodec {
    /// Decodes the attribute's bytes; nil when they are not a version-2 ACL.
    public static func decode(_ bytes: [UInt8]) -> [ACLEntry]? {
        guard bytes.count >= 4, (bytes.count - 4) % 8 == 0 else { return nil }
        func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
        func u32(_ i: Int) -> UInt32 {
            UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24
        }
        guard u32(0) == 2 else { return nil }
        var entries: [ACLEntry] = []
        var i = 4
        while i < bytes.count {
            let tag = u16(i), perm = UInt8(truncatingIfNeeded: u16(i + 2) & 7), id = u32(i + 4)
            switch tag {
            case 0x01: entries.append(ACLEntry(tag: .userObj, permissions: perm))
            case 0x02: entries.append(ACLEntry(tag: .user, qualifier: id, permissions: perm))
            case 0x04: entries.append(ACLEntry(tag: .groupObj, permissions: perm))
            case 0x08: entries.append(ACLEntry(tag: .group, qualifier: id, permissions: perm))
            case 0x10: entries.append(ACLEntry(tag: .mask, permissions: perm))
            case 0x20: entries.append(ACLEntry(tag: .other, permissions: perm))
            default: return nil
            }
            i += 8
        }
        return entries
    }

    /// Encodes entries in the attribute's binary form (for tests and fixtures).
    public static func encode(_ entries: [ACLEntry]) -> [UInt8] {
        var out: [UInt8] = [2, 0, 0, 0]
        for e in entries {
            let tag: UInt16
            switch e.tag {
            case .userObj: tag = 0x01
            case .user: tag = 0x02
            case .groupObj: tag = 0x04
            case .group: tag = 0x08
            case .mask: tag = 0x10
            case .other: tag = 0x20
            }
            let id = e.qualifier ?? 0xFFFF_FFFF
            out += [UInt8(tag & 0xFF), UInt8(tag >> 8), e.permissions & 7, 0]
            out += [UInt8(id & 0xFF), UInt8((id >> 8) & 0xFF), UInt8((id >> 16) & 0xFF), UInt8(id >> 24)]
        }
        return out
    }
}
