import Foundation
import Why403Core

/// The log files a `why403 logs` command line names: a directory stands for the log files under it, as the
/// providers deliver them (an S3 prefix of gzip files synced to disk — `AWSLogs/<account>/elasticloadbalancing/
/// <region>/<yyyy>/<mm>/<dd>/…log.gz`, `…/WAFLogs/…`, CloudFront's `<distribution>.<yyyy-mm-dd-hh>.<id>.gz`, a
/// Logpush bucket's `<yyyymmdd>/…log.gz`) or as a server keeps them (`/var/log/nginx`: the error log, the access log
/// and its rotated `.gz` files). Every file's format is detected on its own, as for files named one by one.
///
/// The rules, as a search tool's (ripgrep's) defaults:
/// - a directory is walked to any depth; its files come in path order (byte order of the UTF-8 names), which for
///   the providers' date-stamped names is the order of time, but for a server's rotated logs, which come oldest first
///   (`access.log.2.gz`, `access.log.1`, `access.log`; `rotationOrder`);
/// - names starting with `.` are skipped (`.DS_Store`, editors' and sync tools' files), and so are their subtrees;
/// - a symbolic link to a file is read; a symbolic link to a directory is not followed (a link can make a loop), nor
///   is a directory of another file system mounted inside (as `find -xdev`: `why403 logs /` stays out of `/proc`);
/// - anything but regular files and directories (FIFOs, sockets, devices) met inside a directory is skipped;
/// - a file reached twice (named twice, or named and inside a named directory, or through a link) is read once;
/// - a directory with no file to read, or one that cannot be listed, is an error that names it;
/// - a file found in a directory that is no log this reads (a provider's marker file, a README) is left out with a note
///   (`Input.listed`), where a file named itself would be an error.
/// Named files are passed on as they are (a missing or unreadable one is reported when it is read), but rotated siblings
/// named together come oldest first, as in a directory; `-` is stdin (once).
public enum LogPaths {
    /// The files to read, and which of them were found in a directory rather than named (`Input.listed`: those are
    /// left out, with a note, when they turn out to be no log this reads).
    public struct Expansion: Sendable, Equatable {
        /// Every file to read, in order: the named ones where they were named, a directory's in its place.
        public var paths: [String]
        /// The files of `paths` found in a directory and named nowhere (`LogsAnalyzer.Input.listed`).
        public var listed: Set<String>
    }

    /// `args` with each directory replaced by the files under it; order kept, duplicates dropped.
    public static func expand(_ args: [String]) throws -> Expansion {
        var out: [String] = []
        var listed = Set<String>()
        var seen = Set<FileID>()
        // A file named itself is never only listed, wherever else it is found.
        var named = Set<FileID>()
        for arg in args where arg != "-" {
            var st = stat()
            if stat(arg, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR { named.insert(FileID(st)) }
        }
        func add(_ path: String, _ id: FileID?, listed isListed: Bool = false) {
            if let id {
                guard seen.insert(id).inserted else { return }
                if isListed && !named.contains(id) { listed.insert(path) }
            }
            out.append(path)
        }
        for arg in args {
            // Standard input can be read once: named twice, it is one input, as a file named twice is.
            if arg == "-" { if !out.contains("-") { out.append(arg) }; continue }
            var st = stat()
            guard stat(arg, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                // Not a directory (or not there: the read says why, with the file named).
                add(arg, stat(arg, &st) == 0 ? FileID(st) : nil)
                continue
            }
            var files: [(String, FileID)] = []
            try walk(arg, device: st.st_dev, into: &files)
            guard !files.isEmpty else {
                throw InputError(file: arg, expected: "log files in the directory", found: "none",
                                 help: "a directory stands for the files under it (hidden ones, named with a leading '.', are skipped)")
            }
            // Each file's key made once (not twice per comparison: an AWSLogs/ prefix holds tens of thousands of files).
            let keyed = files.map { (file: $0, key: rotationOrder($0.0)) }.sorted { a, b in
                if a.key.base != b.key.base { return a.key.base.utf8.lexicographicallyPrecedes(b.key.base.utf8) }
                if a.key.rank != b.key.rank { return a.key.rank < b.key.rank }
                return a.file.0.utf8.lexicographicallyPrecedes(b.file.0.utf8)
            }
            for (path, id) in keyed.map(\.file) { add(path, id, listed: true) }
        }
        // Rotated siblings named one by one come oldest first too (a shell's `access.log*` expands newest first): each
        // group of one base takes its own positions in the list, in rotation order; everything else stays as named.
        var groups: [String: [Int]] = [:]
        for (i, p) in out.enumerated() where p != "-" { groups[rotationOrder(p).base, default: []].append(i) }
        for (_, positions) in groups where positions.count > 1 {
            let members = positions.map { (path: out[$0], rank: rotationOrder(out[$0]).rank) }.sorted { $0.rank < $1.rank }.map(\.path)
            for (k, i) in positions.enumerated() { out[i] = members[k] }
        }
        return Expansion(paths: out, listed: listed)
    }

    /// Where a file sorts among the files of its directory: its path with a rotation suffix taken off (`base`), then
    /// `rank`, so a server's rotated logs come oldest first and the current one last, as they were written (a burst
    /// across a rotation stays one burst). logrotate's numbered names (`access.log.2.gz`, `access.log.1`,
    /// `access.log`: a larger number is older) and its `dateext` names (`access.log-20261206.gz`,
    /// `access.log-20261207`, then `access.log`). Any other name sorts by its path (the providers' date-stamped names).
    static func rotationOrder(_ path: String) -> (base: String, rank: Int64) {
        var name = Substring(path)
        if name.hasSuffix(".gz") { name = name.dropLast(3) }
        if let dot = name.lastIndex(of: "."), let n = Int64(name[name.index(after: dot)...]), name.distance(from: dot, to: name.endIndex) <= 5,
           !name[..<dot].hasSuffix("/") {
            return (String(name[..<dot]), -1_000_000 - n)  // numbered: the larger, the older
        }
        if let dash = name.lastIndex(of: "-"), name.distance(from: dash, to: name.endIndex) - 1 >= 8,
           name.distance(from: dash, to: name.endIndex) - 1 <= 10, let d = Int64(name[name.index(after: dash)...]), d > 19_000_000 {
            return (String(name[..<dash]), -1_000_000_000_000 + d)  // dated: the earlier, the older
        }
        return (String(name), 0)
    }

    /// A file's identity: the same file reached by two paths is read once.
    struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ st: stat) {
            device = UInt64(st.st_dev)
            inode = UInt64(st.st_ino)
        }
    }

    /// The regular files under `dir` (see `LogPaths`), in no order, not below a directory of another file system than
    /// `device` (the named directory's).
    static func walk(_ dir: String, device: dev_t, into files: inout [(String, FileID)]) throws {
        guard let handle = opendir(dir) else {
            throw InputError(file: dir, expected: "a directory that can be listed", found: String(cString: strerror(errno)).lowercased())
        }
        defer { closedir(handle) }
        var subdirectories: [String] = []
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        while let entry = readdir(handle) {
            let name: String? = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                raw.withMemoryRebound(to: CChar.self) { String(validatingCString: $0.baseAddress!) }
            }
            guard let name else {
                throw InputError(file: dir, expected: "file names in UTF-8", found: "a name that is not",
                                 help: "name the files to read one by one, or rename that one")
            }
            if name.hasPrefix(".") { continue }  // `.`, `..` and hidden names
            let path = base + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }  // gone since it was listed
            switch st.st_mode & S_IFMT {
            case S_IFDIR: if st.st_dev == device { subdirectories.append(path) }
            case S_IFREG: files.append((path, FileID(st)))
            case S_IFLNK:
                var target = stat()
                if stat(path, &target) == 0, (target.st_mode & S_IFMT) == S_IFREG { files.append((path, FileID(target))) }
            default: continue
            }
        }
        for sub in subdirectories { try walk(sub, device: device, into: &files) }
    }
}
