import Foundation

/// nginx's prefix (`-p`) as the commands that take `--prefix` pass it on: a relative one (`--prefix .`) is taken from
/// the current directory, as nginx takes it.
enum NginxPrefix {
    static func absolute(_ prefix: String) -> String {
        prefix.hasPrefix("/") ? prefix : URL(fileURLWithPath: prefix).standardizedFileURL.path
    }
}
