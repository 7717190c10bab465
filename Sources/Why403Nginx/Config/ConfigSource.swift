#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Why403Core
import Why403FileSystem

/// Where configuration files are read from: the disk, or the sections of an `nginx -T` dump.
public protocol ConfigSource: Sendable {
    /// The text of the file at `path`; throws nginx's `open() ... failed` when it cannot be read.
    func read(_ path: String) throws -> String
    /// The paths matching a glob pattern, sorted (as nginx's `include` does).
    func glob(_ pattern: String) -> [String]
}

/// Reads configuration files through a `FileSystemView` (read only): the live filesystem, or the
/// in-memory twin in tests. Errors are in nginx's words (`open() "PATH" failed (2: No such file or directory)`).
public struct FileSystemConfigSource: ConfigSource {
    /// Where files are read.
    public var fileSystem: any FileSystemView
    /// Largest configuration file read.
    public static let maximumSize = 64 << 20

    /// A source over `fileSystem`.
    public init(_ fileSystem: any FileSystemView) { self.fileSystem = fileSystem }

    /// The file's text; nginx's `open() ... failed` message when it cannot be read.
    public func read(_ path: String) throws -> String {
        let quoted = InputError.quote(path, limit: 200)
        guard let info = fileSystem.info(path) else {
            throw InputError(file: path, message: "open() \(quoted) failed (2: No such file or directory)")
        }
        // Only regular files (or links to them): a device (/dev/zero) or a FIFO would never end.
        switch info.kind {
        case .directory: throw InputError(file: path, message: "open() \(quoted) failed (21: Is a directory)")
        case .other: throw InputError(file: path, expected: "a regular configuration file", found: "a device, socket or pipe")
        case .regular, .symlink: break
        }
        if info.kind == .regular && info.size > UInt64(Self.maximumSize) {
            throw InputError(file: path, expected: "a configuration file under 64 MiB", found: "\(info.size) bytes")
        }
        let bytes: [UInt8]
        do {
            bytes = try fileSystem.read(path, limit: Self.maximumSize + 1)
        } catch let e as InputError where e.message.contains("Permission denied") {
            throw InputError(file: path, message: "open() \(quoted) failed (13: Permission denied)")
        }
        if bytes.count > Self.maximumSize {
            throw InputError(file: path, expected: "a configuration file under 64 MiB", found: "more bytes")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The paths matching `pattern`, sorted, through the view.
    public func glob(_ pattern: String) -> [String] { fileSystem.glob(pattern) }
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

    /// The section of the dump for `path`, or nginx's `open() ... failed` message.
    public func read(_ path: String) throws -> String {
        guard let t = files[path] else {
            throw InputError(file: path, message: "open() \(InputError.quote(path, limit: 200)) failed (2: No such file or directory)",
                             help: "the 'nginx -T' output holds no section for this file")
        }
        return t
    }

    /// The sections whose paths match `pattern`, sorted.
    public func glob(_ pattern: String) -> [String] {
        files.keys.filter { fnmatch(pattern, $0, FNM_PATHNAME) == 0 }.sorted()
    }
}
