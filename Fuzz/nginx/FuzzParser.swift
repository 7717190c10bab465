// libFuzzer harness for the nginx configuration parser (lexer + parser, includes from memory).
// Build and run with ./run.sh; every input must give a tree or an InputError, never a crash or hang.
import Foundation

struct MemorySource: ConfigSource {
    var files: [String: String]
    func read(_ path: String) throws -> String {
        guard let t = files[path] else { throw InputError(file: path, message: "open() failed (2: No such file or directory)") }
        return t
    }
    func glob(_ pattern: String) -> [String] { files.keys.filter { fnmatch(pattern, $0, FNM_PATHNAME) == 0 }.sorted() }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = MemorySource(files: ["/f/nginx.conf": text, "/f/inc.conf": text])
    do {
        let config = try Parser.parse(path: "/f/nginx.conf", source: source)
        _ = config.expanded
    } catch is InputError {
    } catch {
        fatalError("not an InputError: \(error)")
    }
    return 0
}
