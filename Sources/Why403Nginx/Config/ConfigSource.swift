import Foundation
import Why403Core

/// Where configuration files are read from: the disk, or the sections of an `nginx -T` dump.
public protocol ConfigSource: Sendable {
    /// The text of the file at `path`; throws nginx's `open() ... failed` when it cannot be read.
    func read(_ path: String) throws -> String
    /// The paths matching a glob pattern, sorted (as nginx's `include` does).
    func glob(_ pattern: String) -> [String]
}

/// Reads configuration files from the disk (read only).
public struct DiskConfigSource: ConfigSource {
    /// A source reading the live filesystem.
    public init() {}

    public func read(_ path: String) throws -> String {
        // Only regular files: a device (/dev/zero) or a FIFO would never end.
        var st = stat()
        if stat(path, &st) == 0 {
            let fmt = UInt32(st.st_mode) & 0o170000
            if fmt == 0o040000 {
                throw InputError(file: path, message: "open() \(InputError.quote(path, limit: 200)) failed (21: Is a directory)")
            }
            if fmt != 0o100000 {
                throw InputError(file: path, expected: "a regular configuration file", found: "a device, socket or pipe")
            }
            if st.st_size > 64 << 20 {
                throw InputError(file: path, expected: "a configuration file under 64 MiB", found: "\(st.st_size) bytes")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw InputError(file: path, message: "open() \(InputError.quote(path, limit: 200)) failed (\(exists ? "13: Permission denied" : "2: No such file or directory"))")
        }
        if data.count > 64 << 20 {
            throw InputError(file: path, expected: "a configuration file under 64 MiB", found: "\(data.count) bytes")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public func glob(_ pattern: String) -> [String] {
        // glob(3) from the C library: the same function nginx's ngx_open_glob uses.
        var g = glob_t()
        defer { globfree(&g) }
        guard Glibc.glob(pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
        }
        return out.sorted()
    }
}

/// The files of an `nginx -T` dump (`# configuration file PATH:` sections), as shared in bug reports.
public struct DumpConfigSource: ConfigSource {
    /// Every file of the dump, by path.
    public var files: [String: String]
    /// The path of the first section: the main configuration file.
    public var mainPath: String

    /// Splits the dump's text into its files; text without any section is an input error.
    public init(text: String, name: String = "-") throws {
        var files: [String: String] = [:]
        var order: [String] = []
        var current: String?
        var buffer: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = line.hasSuffix("\r") ? line.dropLast() : line
            if l.hasPrefix("# configuration file "), l.hasSuffix(":") {
                if let c = current { files[c] = DumpConfigSource.join(buffer) }
                let path = String(l.dropFirst("# configuration file ".count).dropLast())
                current = path
                order.append(path)
                buffer = []
                continue
            }
            if current != nil { buffer.append(line) }
        }
        if let c = current { files[c] = DumpConfigSource.join(buffer) }
        guard let first = order.first else {
            throw InputError(file: name, line: 1, expected: "the output of 'nginx -T' (lines '# configuration file PATH:')",
                             found: "no configuration file section")
        }
        self.files = files
        self.mainPath = first
    }

    static func join(_ lines: [Substring]) -> String {
        var l = lines
        // nginx -T prints an empty line after each file.
        if l.last == "" { l.removeLast() }
        return l.joined(separator: "\n")
    }

    public func read(_ path: String) throws -> String {
        guard let t = files[path] else {
            throw InputError(file: path, message: "open() \(InputError.quote(path, limit: 200)) failed (2: No such file or directory)",
                             help: "the 'nginx -T' output holds no section for this file")
        }
        return t
    }

    public func glob(_ pattern: String) -> [String] {
        files.keys.filter { fnmatch(pattern, $0, FNM_PATHNAME) == 0 }.sorted()
    }
}
